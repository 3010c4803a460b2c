CREATE FUNCTION small(x integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT x < 100 $$;
CREATE TABLE t (b integer CHECK (small(b)));
CREATE INDEX t_small ON t (b) WHERE small(b);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_only_small ON t USING (small(b));
