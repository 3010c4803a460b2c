CREATE FUNCTION public.positive(x integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT x > 0$$;
CREATE DOMAIN public.amount AS integer CONSTRAINT amount_check CHECK (positive(value));
ALTER TABLE public.t ADD COLUMN b public.amount;
