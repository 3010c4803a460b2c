ALTER TABLE public.users RENAME TO people;
ALTER TABLE public.people RENAME COLUMN id TO pid;
ALTER SEQUENCE public.users_id_seq RENAME TO people_pid_seq;
