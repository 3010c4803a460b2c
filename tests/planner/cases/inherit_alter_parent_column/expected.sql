ALTER TABLE public.events ALTER COLUMN id TYPE bigint USING id::bigint;
ALTER TABLE public.events ALTER COLUMN code TYPE integer USING code::integer;
ALTER TABLE public.events ALTER COLUMN code SET NOT NULL;
ALTER TABLE public.web_events ALTER COLUMN url SET NOT NULL;
