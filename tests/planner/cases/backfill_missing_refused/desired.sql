CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, handle text NOT NULL, active boolean NOT NULL DEFAULT true);
