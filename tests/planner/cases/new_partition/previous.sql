CREATE TABLE m (id integer, at date, CHECK (id > 0)) PARTITION BY RANGE (at);
