CREATE TABLE t0 (a int);
