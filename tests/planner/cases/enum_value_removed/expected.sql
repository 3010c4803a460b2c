CREATE TYPE public.mood_strata_swap AS ENUM ('sad', 'happy');
ALTER TABLE ONLY public.t ALTER COLUMN m DROP DEFAULT;
ALTER TABLE public.t ALTER COLUMN m TYPE public.mood_strata_swap USING m::text::public.mood_strata_swap;
ALTER TABLE public.t ALTER COLUMN ms TYPE public.mood_strata_swap[] USING ms::text[]::public.mood_strata_swap[];
DROP TYPE public.mood;
ALTER TYPE public.mood_strata_swap RENAME TO mood;
ALTER TABLE ONLY public.t ALTER COLUMN m SET DEFAULT 'sad';
