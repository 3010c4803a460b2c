SELECT set_config('strata.next_1e30b53e9991787c', coalesce((SELECT coalesce(last_value + increment_by, start_value)::text FROM pg_sequences WHERE format('%I.%I', schemaname, sequencename) = pg_get_serial_sequence('public.u', 'id')), ''), false);
ALTER TABLE public.u ALTER COLUMN id DROP IDENTITY;
CREATE SEQUENCE public.u_id_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;
ALTER TABLE public.u ALTER COLUMN id SET DEFAULT nextval('public.u_id_seq'::regclass);
ALTER SEQUENCE public.u_id_seq OWNED BY public.u.id;
SELECT setval('public.u_id_seq', (SELECT greatest(coalesce(max(id) + 1, 1), 1, coalesce(nullif(current_setting('strata.next_1e30b53e9991787c', true), '')::bigint, 1)) FROM public.u), false);
SELECT set_config('strata.next_1e30b53e9991787c', '', false);
