CREATE TABLE users (id bigint PRIMARY KEY, name text DEFAULT 'x', age integer);
