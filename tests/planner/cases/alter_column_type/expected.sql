ALTER TABLE public.t ALTER COLUMN id TYPE bigint USING id::bigint;
ALTER TABLE public.t ALTER COLUMN code TYPE text USING code::text;
