ALTER TABLE public.timestamp_base DROP COLUMN e;
ALTER TABLE public.a DROP COLUMN a2;
ALTER TABLE public.a ADD COLUMN e integer;
