CREATE DOMAIN score AS integer NOT NULL CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 100) CONSTRAINT score_even CHECK (VALUE % 2 = 0);
CREATE TABLE results (id integer PRIMARY KEY, s score);
