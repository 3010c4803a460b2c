CREATE TABLE t (id bigint, code text);
