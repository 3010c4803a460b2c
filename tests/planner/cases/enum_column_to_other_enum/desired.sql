CREATE TYPE b AS ENUM ('x', 'y', 'z');
CREATE TABLE t (v b);
