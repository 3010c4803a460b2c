CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, public boolean NOT NULL DEFAULT false);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY readable ON docs FOR SELECT TO PUBLIC USING (public OR owner = current_user);
CREATE POLICY writable ON docs FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user);
