DROP VIEW public.bigger;
DROP VIEW public.big;
ALTER TABLE public.t ALTER COLUMN amount TYPE bigint USING amount::bigint;
CREATE VIEW public.big AS SELECT id, amount FROM t WHERE amount > 10;
CREATE VIEW public.bigger AS SELECT id FROM big;
COMMENT ON VIEW public.big IS 'the big ones';
