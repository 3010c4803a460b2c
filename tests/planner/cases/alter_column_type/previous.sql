CREATE TABLE t (id integer, code character varying(10));
