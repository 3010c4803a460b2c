CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1';
CREATE TABLE t (a integer CHECK (f(a) > 0));
