ALTER TABLE public.users RENAME TO people;
ALTER TABLE public.people RENAME COLUMN username TO user_name;
ALTER INDEX public.users_m_idx RENAME TO people_m_idx;
ALTER TYPE public.mood RENAME VALUE 'sad' TO 'unhappy';
ALTER TABLE public.people RENAME CONSTRAINT users_pkey TO people_pkey;
ALTER TABLE public.people RENAME CONSTRAINT users_username_key TO people_user_name_key;
