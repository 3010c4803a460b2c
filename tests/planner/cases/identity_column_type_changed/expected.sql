ALTER TABLE public.t ALTER COLUMN id TYPE bigint USING id::bigint;
ALTER TABLE public.t ALTER COLUMN n TYPE bigint USING n::bigint;
