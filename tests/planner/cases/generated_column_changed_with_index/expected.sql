DROP INDEX public.t_g;
ALTER TABLE public.t DROP COLUMN g;
ALTER TABLE public.t ADD COLUMN g integer GENERATED ALWAYS AS (a + 1) STORED;
CREATE INDEX t_g ON public.t (g);
