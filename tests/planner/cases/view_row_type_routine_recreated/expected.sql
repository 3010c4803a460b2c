DROP FUNCTION public.f();
DROP VIEW public.v;
ALTER TABLE public.t ALTER COLUMN n TYPE bigint USING n::bigint;
CREATE VIEW public.v AS SELECT n FROM t;
CREATE FUNCTION public.f() RETURNS SETOF public.v LANGUAGE sql AS $$ SELECT * FROM v $$;
