DROP VIEW app.v;
ALTER TABLE app.t ADD COLUMN m text;
ALTER TABLE app.t ADD CONSTRAINT t_m_check CHECK (m::app.mood IS NOT NULL);
CREATE INDEX t_twice ON app.t ((app.twice(b)));
CREATE VIEW app.v AS SELECT id, b FROM app.t;
