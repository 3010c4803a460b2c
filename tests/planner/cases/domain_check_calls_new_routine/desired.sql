CREATE TABLE t0 (a int);
CREATE TYPE mood AS ENUM ('a','b');
CREATE FUNCTION is_positive(i int, m mood) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT i > 0';
CREATE DOMAIN pos AS int CHECK (is_positive(VALUE, 'a'));
CREATE DOMAIN small_pos AS pos CHECK (VALUE < 100);
CREATE TYPE pair AS (a pos, b small_pos);
CREATE TABLE t (p pair, s small_pos);
