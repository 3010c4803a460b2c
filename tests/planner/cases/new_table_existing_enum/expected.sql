CREATE TABLE public.people (
  name text,
  m public.mood DEFAULT 'ok' NOT NULL
);
