CREATE SCHEMA app;
SET search_path = app, public;
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE SEQUENCE ticket;
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 2 * x';
CREATE TABLE t (id int DEFAULT nextval('ticket'), b int);
CREATE VIEW v AS SELECT id FROM t;
