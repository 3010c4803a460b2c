ALTER TABLE public.users ADD COLUMN name text DEFAULT 'x';
ALTER TABLE public.users ADD COLUMN age integer;
