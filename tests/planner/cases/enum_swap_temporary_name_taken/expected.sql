CREATE TYPE public.mood_strata_swap1 AS ENUM ('b', 'a');
DROP TYPE public.mood;
ALTER TYPE public.mood_strata_swap1 RENAME TO mood;
