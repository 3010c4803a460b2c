CREATE TABLE t (a integer DEFAULT 42, b integer);
