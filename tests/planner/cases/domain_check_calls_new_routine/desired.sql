CREATE FUNCTION positive(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
CREATE DOMAIN amount AS int CHECK (positive(VALUE));
CREATE TABLE t (a int, b amount);
