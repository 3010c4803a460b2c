#!/usr/bin/env bash
# Installs dependencies, builds strata and runs the user's loop on a copy of
# the example project (examples/blog, SQLite) in build/quickstart-blog:
# apply the committed migrations, add rows, edit the schema, let strata plan
# the next migration (a native ALTER TABLE and a table rebuild that keeps the
# rows), apply it and check the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target strata
strata="$PWD/build/compiler/strata"
project=build/quickstart-blog
rm -rf "$project"
cp -r examples/blog "$project"
rm -f "$project"/*.db
cd "$project"

echo "--- strata check (a copy of examples/blog in $project, $(grep -m1 '^dialect' strata.toml))"
"$strata" check
echo "--- strata apply"
"$strata" apply
sqlite3 blog.db "INSERT INTO users (email, name) VALUES ('ann@example.com', 'Ann');
                 INSERT INTO posts (author_id, title, published) VALUES (1, 'Hello', 1), (1, 'Draft', 0);"
echo "--- edit schema/schema.sql: users get a bio, posts a unique NOT NULL slug"
sed -i 's/^  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP$/&,\n  bio TEXT/' schema/schema.sql
sed -i 's/^  published INTEGER NOT NULL DEFAULT 0$/&,\n  slug TEXT NOT NULL UNIQUE/' schema/schema.sql
echo "--- strata plan -m profiles_and_slugs --backfill posts.slug=\"'post-' || id\""
"$strata" plan -m profiles_and_slugs --backfill "posts.slug='post-' || id"
echo "--- the planned migration"
cat migrations/0002_profiles_and_slugs.up.sql
echo "--- strata apply"
"$strata" apply
echo "--- strata status"
"$strata" status
echo "--- strata check"
"$strata" check
echo "--- the rows, kept through the rebuild of posts"
sqlite3 -header -column blog.db "SELECT id, author_id, title, published, slug FROM posts"
