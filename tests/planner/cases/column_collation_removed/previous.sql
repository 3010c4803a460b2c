CREATE TABLE t (id int, b text COLLATE "C");
