CREATE TYPE public.mood_strata_swap AS ENUM ('sad', 'happy');
ALTER TABLE ONLY public.events ALTER COLUMN m DROP DEFAULT;
ALTER TABLE ONLY public.events_2024 ALTER COLUMN m DROP DEFAULT;
ALTER TABLE public.base ALTER COLUMN m TYPE public.mood_strata_swap USING m::text::public.mood_strata_swap;
ALTER TABLE public.events ALTER COLUMN m TYPE public.mood_strata_swap USING m::text::public.mood_strata_swap;
DROP TYPE public.mood;
ALTER TYPE public.mood_strata_swap RENAME TO mood;
ALTER TABLE ONLY public.events ALTER COLUMN m SET DEFAULT 'happy';
ALTER TABLE ONLY public.events_2024 ALTER COLUMN m SET DEFAULT 'happy';
