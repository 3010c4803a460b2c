CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');
CREATE DOMAIN steady AS mood NOT NULL CONSTRAINT steady_not_sad CHECK (VALUE <> 'sad'::mood);
CREATE TABLE kinds (m mood PRIMARY KEY, label text);
CREATE TABLE diary (day integer, m mood CHECK (m <> 'meh'), ss steady[], k mood REFERENCES kinds (m),
  note text CHECK (note IS NULL OR note::mood IS NOT NULL));
CREATE INDEX diary_happy ON diary (day) WHERE m = 'happy';
CREATE INDEX diary_expr ON diary ((m = 'sad'::mood));
CREATE FUNCTION note_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER diary_sad BEFORE UPDATE ON diary FOR EACH ROW WHEN (NEW.m = 'sad') EXECUTE FUNCTION note_changed();
CREATE TRIGGER diary_k BEFORE UPDATE OF k, day ON diary FOR EACH ROW EXECUTE FUNCTION note_changed();
ALTER TABLE diary ENABLE ROW LEVEL SECURITY;
CREATE POLICY diary_no_meh ON diary USING (m <> 'meh');
