CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN feeling AS mood DEFAULT 'ok' CONSTRAINT feeling_not_sad CHECK (VALUE <> 'sad');
COMMENT ON DOMAIN feeling IS 'how it went';
CREATE DOMAIN steady AS mood NOT NULL CONSTRAINT steady_not_sad CHECK (VALUE <> 'sad');
CREATE DOMAIN feelings AS mood[];
CREATE TABLE diary (day integer, f feeling DEFAULT 'happy', history feelings, s steady, ss steady[], m mood);
CREATE VIEW happy_days AS SELECT day FROM diary WHERE f = 'happy';
