ALTER TABLE public.b DROP CONSTRAINT b_a_id_fkey;
ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;
DROP TABLE public.b;
DROP TABLE public.a;
