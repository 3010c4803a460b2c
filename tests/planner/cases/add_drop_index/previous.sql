CREATE TABLE t (a integer, b integer);
CREATE INDEX t_a_idx ON t (a);
