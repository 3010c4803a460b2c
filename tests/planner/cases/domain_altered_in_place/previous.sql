CREATE DOMAIN score AS integer DEFAULT 0 CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 10);
CREATE TABLE results (id integer PRIMARY KEY, s score);
