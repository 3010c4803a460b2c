#!/usr/bin/env bash
# Installs dependencies, builds strata and runs it on the example project
# (examples/blog, SQLite): prints the canonical DDL of its schema files,
# checks its migrations against them, applies them to examples/blog/blog.db
# and shows the database's status.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target strata
cd examples/blog
strata=../../build/compiler/strata
echo "--- strata inspect (examples/blog, $(grep -m1 '^dialect' strata.toml))"
"$strata" inspect
echo "--- strata check"
"$strata" check
echo "--- strata apply"
"$strata" apply
echo "--- strata status"
"$strata" status
