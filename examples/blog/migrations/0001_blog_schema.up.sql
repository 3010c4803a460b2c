-- strata migration 0001: blog schema
-- created: 2026-11-24T06:04:28Z
-- from schema: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
-- to schema: sha256:a1d1ee02e907fb918b0fd1e29fb60c4b87bdb200081862efc5d42f5a02731091
--
-- Directives the applier obeys, one per line in this header:
--   -- strata:no-transaction          run statement by statement, outside a transaction
--   -- strata:sqlite-foreign-keys-off turn SQLite foreign keys off around the transaction

-- Written by hand (strata new) until strata plans SQLite schemas.
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL CHECK (length(title) > 0),
  body TEXT,
  published INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX posts_author ON posts (author_id);
CREATE INDEX posts_published ON posts (author_id) WHERE published = 1;

CREATE VIEW published_posts AS
  SELECT p.id, p.title, u.email AS author
  FROM posts p JOIN users u ON u.id = p.author_id
  WHERE p.published = 1;
