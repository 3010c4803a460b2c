CREATE TABLE p (a integer);
CREATE TABLE c (b integer) INHERITS (p);
CREATE TABLE g () INHERITS (c);
