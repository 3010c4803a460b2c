CREATE TABLE public.users (
  id bigint NOT NULL,
  email text NOT NULL,
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_pkey PRIMARY KEY (id)
);
