CREATE TABLE t (id integer, amount bigint);
CREATE VIEW big AS SELECT id, amount FROM t WHERE amount > 10;
CREATE VIEW bigger AS SELECT id FROM big;
COMMENT ON VIEW big IS 'the big ones';
