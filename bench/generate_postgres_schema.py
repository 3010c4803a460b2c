#!/usr/bin/env python3
"""Writes the generated PostgreSQL schema of DESIGN.md's performance targets:
N tables (10 to 12 columns, 2 indexes, a foreign key and a check each) and
N/10 enums. Usage: generate_postgres_schema.py N [--mutate] > schema.sql

--mutate writes the same schema (same seed) changed as a release would change
it: columns added to 10% of the tables (nullable or with a default, so that no
row needs a backfill), dropped in 5%, types changed in 5%, an index added to
5%, a value appended to 10% of the enums and inserted in the middle of 5%, 1%
of the tables dropped (the foreign keys to them with them) and 1% added."""
import random
import sys


def base_schema(tables: int) -> tuple[list[list[str]], list[dict]]:
    """The enums' values and the tables (name, column definitions, checks,
    indexes), drawn from the seed the unmutated output has always used."""
    rng = random.Random(42)
    enums = max(1, tables // 10)
    enum_values = [[f"v{e}_{k}" for k in range(5)] for e in range(enums)]
    table_list = [new_table(t, enums, rng.randrange(t) if t > 0 else None, rng) for t in range(tables)]
    return enum_values, table_list


def new_table(t: int, enums: int, parent: int | None, rng: random.Random) -> dict:
    columns = {"id": "bigserial PRIMARY KEY", "name": "text NOT NULL",
               "state": f"status_{t % enums} NOT NULL DEFAULT 'v{t % enums}_0'",
               "amount": "numeric(12,2) NOT NULL DEFAULT 0", "created_at": "timestamptz NOT NULL DEFAULT now()",
               "updated_at": "timestamptz", "flags": "integer[]", "note": "varchar(200)",
               "score": "double precision",
               "parent_id": "bigint" if parent is None else f"bigint REFERENCES t{parent} (id) ON DELETE CASCADE"}
    for extra in range(rng.randrange(3)):
        columns[f"extra_{extra}"] = "text"
    return {"name": f"t{t}", "parent": parent, "columns": columns, "checks": ["amount >= 0"],
            "indexes": [("name_idx", "(name)"), ("created_idx", "(created_at DESC) WHERE updated_at IS NULL")]}


def mutate(enum_values: list[list[str]], table_list: list[dict]) -> list[dict]:
    """Applies the release's changes to disjoint random sets of tables and
    enums; returns the tables that are left, in order."""
    rng = random.Random(4242)
    count = len(table_list)
    order = rng.sample(range(count), count)
    shares = {"add_column": count // 10, "drop_column": count // 20, "change_type": count // 20,
              "add_index": count // 20, "drop_table": max(1, count // 100)}
    chosen: dict[str, list[int]] = {}
    start = 0
    for change, share in shares.items():
        chosen[change] = order[start:start + share]
        start += share

    for t in chosen["add_column"]:
        columns = table_list[t]["columns"]
        columns["added_note"] = "text"
        if t % 2 == 0:
            columns["added_count"] = "integer NOT NULL DEFAULT 0"
    for t in chosen["drop_column"]:
        del table_list[t]["columns"]["score"]
    for t in chosen["change_type"]:
        columns = table_list[t]["columns"]
        if t % 2 == 0:
            columns["note"] = "text"
        else:
            columns["flags"] = "bigint[]"
    for t in chosen["add_index"]:
        table_list[t]["indexes"].append(("score_idx", "(score, amount)"))

    enum_order = rng.sample(range(len(enum_values)), len(enum_values))
    appended = len(enum_values) // 10
    inserted = len(enum_values) // 20
    for e in enum_order[:appended]:
        enum_values[e].append(f"v{e}_5")
    for e in enum_order[appended:appended + inserted]:
        enum_values[e].insert(2, f"v{e}_1b")

    dropped = set(chosen["drop_table"])
    for table in table_list:
        if table["parent"] in dropped:
            table["columns"]["parent_id"] = "bigint"
    kept = [table for t, table in enumerate(table_list) if t not in dropped]
    surviving = [t for t in range(count) if t not in dropped]
    for t in range(count, count + max(1, count // 100)):
        kept.append(new_table(t, len(enum_values), rng.choice(surviving) if surviving else None, rng))
    return kept


def write(out, enum_values: list[list[str]], table_list: list[dict]) -> None:
    for e, names in enumerate(enum_values):
        values = ", ".join(f"'{name}'" for name in names)
        out.write(f"CREATE TYPE status_{e} AS ENUM ({values});\n")
    for table in table_list:
        name = table["name"]
        parts = [f"{column} {definition}" for column, definition in table["columns"].items()]
        parts += [f"CHECK ({check})" for check in table["checks"]]
        out.write(f"CREATE TABLE {name} (\n  " + ",\n  ".join(parts) + "\n);\n")
        for suffix, definition in table["indexes"]:
            out.write(f"CREATE INDEX {name}_{suffix} ON {name} {definition};\n")


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if argument != "--mutate"]
    tables = int(arguments[0]) if arguments else 5000
    enum_values, table_list = base_schema(tables)
    if "--mutate" in sys.argv[1:]:
        table_list = mutate(enum_values, table_list)
    write(sys.stdout, enum_values, table_list)


if __name__ == "__main__":
    main()
