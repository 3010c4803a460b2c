CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE people (name text, m mood NOT NULL DEFAULT 'ok');
