CREATE TABLE people (pid serial, b text, CONSTRAINT users_pkey PRIMARY KEY (pid));
