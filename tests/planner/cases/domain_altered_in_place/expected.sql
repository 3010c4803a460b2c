ALTER DOMAIN public.score DROP CONSTRAINT score_range;
ALTER DOMAIN public.score DROP DEFAULT;
ALTER DOMAIN public.score SET NOT NULL;
ALTER DOMAIN public.score ADD CONSTRAINT score_even CHECK ((value % 2) = 0);
ALTER DOMAIN public.score ADD CONSTRAINT score_range CHECK (value BETWEEN 0 AND 100);
