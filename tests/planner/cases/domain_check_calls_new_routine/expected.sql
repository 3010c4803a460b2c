CREATE TYPE public.mood AS ENUM ('a', 'b');
CREATE FUNCTION public.is_positive(i integer, m public.mood) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT i > 0$$;
CREATE DOMAIN public.pos AS integer CONSTRAINT pos_check CHECK (is_positive(value, 'a'));
CREATE DOMAIN public.small_pos AS public.pos CONSTRAINT small_pos_check CHECK (value < 100);
CREATE TYPE public.pair AS (a public.pos, b public.small_pos);
CREATE TABLE public.t (
  p public.pair,
  s public.small_pos
);
