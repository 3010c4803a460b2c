CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE reading AS (m mood, taken_at integer);
CREATE TABLE t (m mood NOT NULL);
CREATE FUNCTION cheer(m mood) RETURNS mood LANGUAGE sql AS $$ SELECT 'happy'::mood $$;
CREATE FUNCTION latest() RETURNS reading LANGUAGE sql AS $$ SELECT ROW('ok', 1)::reading $$;
CREATE FUNCTION gone(m mood) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE VIEW cheered AS SELECT cheer(m) AS m FROM t;
