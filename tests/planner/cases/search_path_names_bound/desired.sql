CREATE SCHEMA app;
SET search_path = app, public;
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE SEQUENCE ticket;
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 2 * x';
CREATE TABLE t (id int DEFAULT nextval('ticket'), b int, m text CHECK (m::mood IS NOT NULL));
CREATE VIEW v AS SELECT id, b FROM t;
CREATE INDEX t_twice ON t ((twice(b)));
