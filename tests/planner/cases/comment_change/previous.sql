CREATE TABLE t (a integer);
COMMENT ON TABLE t IS 'old';
