CREATE FUNCTION next_a() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE TABLE t (a integer DEFAULT next_a());
