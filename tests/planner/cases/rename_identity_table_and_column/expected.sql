ALTER TABLE public.users RENAME TO people;
ALTER TABLE public.people RENAME COLUMN n TO number;
DO $strata$ BEGIN IF to_regclass('public.people_id_seq') IS NULL THEN EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', pg_get_serial_sequence('public.people', 'id'), 'people_id_seq'); END IF; END $strata$;
DO $strata$ BEGIN IF to_regclass('public.people_number_seq') IS NULL THEN EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', pg_get_serial_sequence('public.people', 'number'), 'people_number_seq'); END IF; END $strata$;
