#!/usr/bin/env python3
"""Writes a generated SQLite schema for the planner's benchmark: N tables (10
to 12 columns of mixed types, two indexes, a foreign key and a check each).
With --mutate, the changed version of the same schema: columns added to 10%
of the tables, dropped from 5%, a column type changed in 5%, an index added
to 10%, 1% of the tables dropped and 1% added.

Usage: generate_sqlite_schema.py N [--mutate] > schema.sql"""
import argparse
import random
import sys


def base_tables(count: int) -> list[dict]:
    rng = random.Random(42)
    tables = []
    for t in range(count):
        columns = [
            ["id", "INTEGER PRIMARY KEY"],
            ["name", "TEXT NOT NULL"],
            ["state", "TEXT NOT NULL DEFAULT 'new'"],
            ["amount", "NUMERIC NOT NULL DEFAULT 0"],
            ["created_at", "TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP"],
            ["updated_at", "TEXT"],
            ["flags", "INTEGER NOT NULL DEFAULT 0"],
            ["note", "VARCHAR(200)"],
            ["score", "REAL"],
            ["parent_id", f"INTEGER REFERENCES t{rng.randrange(t)} (id) ON DELETE CASCADE" if t > 0 else "INTEGER"],
        ]
        for extra in range(rng.randrange(3)):
            columns.append([f"extra_{extra}", "TEXT"])
        tables.append({
            "name": f"t{t}",
            "columns": columns,
            "checks": ["amount >= 0"],
            "indexes": [f"CREATE INDEX t{t}_name_idx ON t{t} (name)",
                        f"CREATE INDEX t{t}_created_idx ON t{t} (created_at DESC) WHERE updated_at IS NULL"],
        })
    return tables


def parent_of(table: dict) -> str | None:
    definition = dict(table["columns"]).get("parent_id", "")
    return definition.split()[2] if "REFERENCES" in definition else None


def mutate(tables: list[dict]) -> list[dict]:
    rng = random.Random(4242)
    count = len(tables)

    def share(percent: int) -> int:
        return max(1, count * percent // 100)

    # Dropped: only tables no other table references, so every foreign key
    # of the changed schema still names a table.
    referenced = {parent_of(table) for table in tables}
    leaves = [table["name"] for table in tables if table["name"] not in referenced]
    dropped = set(rng.sample(leaves, min(len(leaves), share(1))))
    kept = [table for table in tables if table["name"] not in dropped]

    # Disjoint sets, so that each change is seen on its own.
    order = rng.sample(range(len(kept)), len(kept))
    cursor = 0

    def take(number: int) -> list[dict]:
        nonlocal cursor
        chosen = [kept[i] for i in order[cursor:cursor + number]]
        cursor += number
        return chosen

    for table in take(share(10)):  # added columns: ALTER TABLE ... ADD COLUMN
        table["columns"].append(["added_note", "TEXT"])
        table["columns"].append(["added_count", "INTEGER NOT NULL DEFAULT 0"])
    for table in take(share(5)):  # dropped column: ALTER TABLE ... DROP COLUMN
        table["columns"] = [column for column in table["columns"] if column[0] != "note"]
    for table in take(share(5)):  # changed type: a rebuild
        for column in table["columns"]:
            if column[0] == "score":
                column[1] = "NUMERIC"
    for table in take(share(10)):  # added index
        name = table["name"]
        table["indexes"].append(f"CREATE INDEX {name}_parent_idx ON {name} (parent_id, amount)")

    for k in range(share(1)):  # added tables
        name = f"t{count + k}"
        parent = kept[rng.randrange(len(kept))]["name"] if kept else name
        kept.append({
            "name": name,
            "columns": [["id", "INTEGER PRIMARY KEY"], ["label", "TEXT NOT NULL"], ["weight", "REAL"],
                        ["parent_id", f"INTEGER NOT NULL REFERENCES {parent} (id)"]],
            "checks": ["weight IS NULL OR weight > 0"],
            "indexes": [f"CREATE UNIQUE INDEX {name}_label_idx ON {name} (label)"],
        })
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tables", type=int, nargs="?", default=5000)
    parser.add_argument("--mutate", action="store_true", help="write the changed version")
    arguments = parser.parse_args()
    tables = base_tables(arguments.tables)
    if arguments.mutate:
        tables = mutate(tables)
    out = sys.stdout
    for table in tables:
        lines = [f"{name} {definition}" for name, definition in table["columns"]]
        lines += [f"CHECK ({check})" for check in table["checks"]]
        out.write(f"CREATE TABLE {table['name']} (\n  " + ",\n  ".join(lines) + "\n);\n")
        for index in table["indexes"]:
            out.write(index + ";\n")


if __name__ == "__main__":
    main()
