CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE users (id integer PRIMARY KEY, username text UNIQUE, m mood);
CREATE INDEX users_m_idx ON users (m);
CREATE TABLE posts (id integer, author integer REFERENCES users (id));
