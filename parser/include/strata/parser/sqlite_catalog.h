// Reads the schema of an open SQLite database into a Catalog: from
// sqlite_schema and the pragma table functions (pragma_table_list,
// pragma_table_xinfo, pragma_index_list, pragma_index_xinfo,
// pragma_foreign_key_list), and, for what those do not expose, from the CREATE
// text SQLite stores. Used for schemas loaded from SQL text
// (load_sqlite_schema) and for live databases alike.
//
// Canonical forms (so that two schemas SQLite treats the same compare equal):
//
// - Every object is in schema "main" (QualifiedName{"main", name}), and
//   catalog.schemas holds that one schema. Objects named sqlite_%, virtual
//   tables and their shadow tables are left out. Names are kept as SQLite
//   stores them (with the case written); references to tables and columns
//   (foreign keys, index and trigger tables, UPDATE OF columns) are spelled
//   as the object they resolve to, compared case-insensitively as SQLite does.
// - Expressions (CHECK, DEFAULT, generated columns, index expressions and
//   WHERE, trigger WHEN and body) are re-emitted from SQLite's tokens:
//   comments dropped, keywords upper-cased, function names lower-cased, other
//   words as written, quoted identifiers re-quoted with double quotes, single
//   spaces between tokens except none inside parentheses, before ',' and ';',
//   around '.', before a function call's '(' and after a unary sign: "age>=0"
//   and "age >= 0" are both "age >= 0". A DEFAULT also loses parentheses that
//   enclose it whole: DEFAULT (1) and DEFAULT 1 are both "1".
// - A view's query is kept verbatim (the text after AS up to its last token):
//   SQLite names an unaliased result column after the expression's text as
//   written, so a respelled query is a different view.
// - Column types: the declared type upper-cased, its words joined by single
//   spaces, modifiers split out: "varchar( 255 )" is {"VARCHAR", {"255"}};
//   no declared type is "".
// - Collations are upper-cased; COLLATE BINARY (the default) is no collation.
//   An index element's collation is set only when it differs from the one the
//   element has anyway (its column's collation; BINARY for expressions).
// - Table constraints are ordered: the primary key, then UNIQUE keys (by
//   columns), CHECKs (by name, then expression), FOREIGN KEYs (by columns),
//   since SQLite does not care about their order.
// - The primary key's columns come in key order, its name from CONSTRAINT
//   name in the CREATE text ("" when none), AUTOINCREMENT from that text.
// - UNIQUE keys are the automatic indexes SQLite made for UNIQUE constraints
//   (pragma_index_list origin 'u': duplicates and keys equal to the primary
//   key are already merged by SQLite); a key's name is the CONSTRAINT name of
//   the first UNIQUE constraint in the CREATE text with the same columns that
//   has one, else "".
// - CHECK constraints come from the CREATE text, column and table checks
//   alike, with their CONSTRAINT name or "".
// - Foreign keys: columns, table and actions from pragma_foreign_key_list;
//   referenced columns omitted in the SQL resolve to the referenced table's
//   primary key (they stay empty when that table is missing); MATCH is
//   ignored (SQLite ignores it). SQLite defers a foreign key only when it is
//   DEFERRABLE INITIALLY DEFERRED, so deferrable and initially_deferred are
//   both true for exactly that clause and both false otherwise. The name is
//   the clause's CONSTRAINT name or "".
// - Generated columns: generated_expr from the CREATE text. The catalog has no
//   field for STORED versus VIRTUAL; see sqlite_printer.h.
// - NOT NULL and DEFAULT as pragma_table_xinfo reports them (SQLite reports
//   the primary key columns of a WITHOUT ROWID table as NOT NULL).
// - Views: also the column names if written, and depends_on.relations: the
//   tables and views whose names appear as identifiers in the query (a cheap
//   over-approximation, used for ordering).
// - Triggers: SQLite's triggers are row triggers with a body of statements,
//   so a Trigger holds timing (BEFORE when omitted), events ({"INSERT"},
//   {"DELETE"}, {"UPDATE"} or {"UPDATE OF a, b"}, column names quoted as
//   needed), for_each_row (always true: FOR EACH ROW is optional in SQLite and
//   means nothing else), `when`, and the canonical body between BEGIN and END
//   as the single element of function_args; `function` stays empty.
// - Not represented (the catalog has no field for them): ON CONFLICT clauses,
//   ASC/DESC and COLLATE inside PRIMARY KEY and UNIQUE constraints (so
//   INTEGER PRIMARY KEY DESC, which is not a rowid alias, reads like INTEGER
//   PRIMARY KEY), STORED versus VIRTUAL generated columns.
#pragma once

#include <span>

#include "strata/schema/catalog.h"

struct sqlite3;

namespace strata::parser {

// Throws strata::Error when SQLite fails to answer a catalog query.
schema::Catalog read_sqlite_catalog(sqlite3* db);

// One schema loaded into several databases, each holding objects that name
// only each other (load_sqlite_schema splits a large schema so): read as the
// catalog of one database holding them all.
schema::Catalog read_sqlite_catalog(std::span<sqlite3* const> databases);

}  // namespace strata::parser
