CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE t (id serial PRIMARY KEY, m mood, parent integer REFERENCES t);
CREATE INDEX t_m ON t (m);
CREATE VIEW v AS SELECT id FROM t;
