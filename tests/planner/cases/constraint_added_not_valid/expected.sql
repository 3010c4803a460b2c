CREATE TABLE public.fresh (
  y integer
);
ALTER TABLE public.fresh ADD CONSTRAINT fresh_y CHECK (y > 0) NOT VALID;
ALTER TABLE public.k ADD CONSTRAINT k_x CHECK (x > 0) NOT VALID;
ALTER TABLE public.k ADD CONSTRAINT k_p FOREIGN KEY (pid) REFERENCES public.p (id) NOT VALID;
