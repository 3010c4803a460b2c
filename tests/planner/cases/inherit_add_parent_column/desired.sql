CREATE TABLE p (a integer, x integer DEFAULT 1);
CREATE TABLE c (b integer, x integer DEFAULT 2) INHERITS (p);
CREATE TABLE g () INHERITS (c);
