CREATE TYPE mood AS ENUM ('unhappy', 'ok');
CREATE TABLE people (id integer PRIMARY KEY, user_name text UNIQUE, m mood);
CREATE INDEX people_m_idx ON people (m);
CREATE TABLE posts (id integer, author integer REFERENCES people (id));
