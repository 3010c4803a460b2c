-- The schema this project wants. strata plans migrations towards it.
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
