-- strata migration 0001: blog schema
-- created: 2026-11-24T06:04:28Z
-- from schema: sha256:a1d1ee02e907fb918b0fd1e29fb60c4b87bdb200081862efc5d42f5a02731091
-- to schema: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
--
-- Directives the applier obeys, one per line in this header:
--   -- strata:no-transaction          run statement by statement, outside a transaction
--   -- strata:sqlite-foreign-keys-off turn SQLite foreign keys off around the transaction

DROP VIEW published_posts;
DROP TABLE posts;
DROP TABLE users;
