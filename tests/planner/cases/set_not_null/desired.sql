CREATE TABLE t (a integer NOT NULL, b integer, c text NOT NULL DEFAULT 'none');
