ALTER TABLE public.keep DROP COLUMN x;
DROP TABLE public.a;
