CREATE TABLE a (id int);
CREATE TABLE keep (id int, x a);
