CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE k (x int, pid int);
