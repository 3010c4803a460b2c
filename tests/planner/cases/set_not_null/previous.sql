CREATE TABLE t (a integer, b integer NOT NULL, c text DEFAULT 'none');
