CREATE TABLE t (a integer, b integer);
CREATE INDEX t_b_idx ON t (b) WHERE b > 0;
