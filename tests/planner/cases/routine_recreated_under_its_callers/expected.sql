DROP POLICY t_only_small ON public.t;
DROP INDEX public.t_small;
ALTER TABLE public.t DROP CONSTRAINT t_b_check;
DROP FUNCTION public.small(integer);
CREATE FUNCTION public.small(y integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT y < 100 $$;
ALTER TABLE public.t ADD CONSTRAINT t_b_check CHECK (small(b));
CREATE INDEX t_small ON public.t (b) WHERE (small(b));
CREATE POLICY t_only_small ON public.t AS PERMISSIVE FOR ALL TO PUBLIC USING (small(b));
