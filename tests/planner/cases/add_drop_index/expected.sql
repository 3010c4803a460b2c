DROP INDEX public.t_a_idx;
CREATE INDEX t_b_idx ON public.t (b) WHERE (b > 0);
