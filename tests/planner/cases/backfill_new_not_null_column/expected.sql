ALTER TABLE public.users ADD COLUMN handle text;
UPDATE public.users SET handle = split_part(email, '@', 1);
ALTER TABLE public.users ALTER COLUMN handle SET NOT NULL;
ALTER TABLE public.users ADD COLUMN active boolean DEFAULT true;
UPDATE public.users SET active = email NOT LIKE '%@example.com';
ALTER TABLE public.users ALTER COLUMN active SET NOT NULL;
