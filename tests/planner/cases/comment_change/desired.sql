CREATE TABLE t (a integer);
COMMENT ON TABLE t IS 'new';
COMMENT ON COLUMN t.a IS 'the a';
