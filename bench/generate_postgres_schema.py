#!/usr/bin/env python3
"""Writes the generated PostgreSQL schema of DESIGN.md's performance targets:
N tables (10 to 12 columns, 2 indexes, a foreign key and a check each) and
N/10 enums. Usage: generate_postgres_schema.py N > schema.sql"""
import random
import sys

def main() -> None:
    tables = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = random.Random(42)
    out = sys.stdout
    enums = max(1, tables // 10)
    for e in range(enums):
        values = ", ".join(f"'v{e}_{k}'" for k in range(5))
        out.write(f"CREATE TYPE status_{e} AS ENUM ({values});\n")
    for t in range(tables):
        columns = ["id bigserial PRIMARY KEY", "name text NOT NULL", f"state status_{t % enums} NOT NULL DEFAULT 'v{t % enums}_0'",
                   "amount numeric(12,2) NOT NULL DEFAULT 0", "created_at timestamptz NOT NULL DEFAULT now()",
                   "updated_at timestamptz", "flags integer[]", "note varchar(200)", "score double precision"]
        if t > 0:
            columns.append(f"parent_id bigint REFERENCES t{rng.randrange(t)} (id) ON DELETE CASCADE")
        else:
            columns.append("parent_id bigint")
        for extra in range(rng.randrange(3)):
            columns.append(f"extra_{extra} text")
        columns.append("CHECK (amount >= 0)")
        out.write(f"CREATE TABLE t{t} (\n  " + ",\n  ".join(columns) + "\n);\n")
        out.write(f"CREATE INDEX t{t}_name_idx ON t{t} (name);\n")
        out.write(f"CREATE INDEX t{t}_created_idx ON t{t} (created_at DESC) WHERE updated_at IS NULL;\n")

if __name__ == "__main__":
    main()
