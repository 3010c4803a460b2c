CREATE TYPE public.b AS ENUM ('x', 'y', 'z');
ALTER TABLE public.t ALTER COLUMN v TYPE public.b USING v::text::public.b;
DROP TYPE public.a;
