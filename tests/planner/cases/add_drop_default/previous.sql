CREATE TABLE t (a integer, b integer DEFAULT 1);
