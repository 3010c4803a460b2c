CREATE TABLE t (id int, a int, g int GENERATED ALWAYS AS (a + 1) STORED);
CREATE INDEX t_g ON t (g);
