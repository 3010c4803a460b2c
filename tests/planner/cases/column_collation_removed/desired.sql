CREATE TABLE t (id int, b text);
