CREATE TABLE u (id serial PRIMARY KEY, b text);
