ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'sad';
ALTER TYPE public.mood ADD VALUE 'awful' BEFORE 'meh';
ALTER TYPE public.mood ADD VALUE 'ecstatic';
