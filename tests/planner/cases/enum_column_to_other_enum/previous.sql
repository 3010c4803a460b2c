CREATE TYPE a AS ENUM ('x', 'y');
CREATE TABLE t (v a);
