// The SQLite front end: SQLite DDL is judged by SQLite itself. The files are
// executed, statement by statement, into an in-memory database whose catalog
// is then read back (read_sqlite_catalog, see sqlite_catalog.h for the
// canonical forms), so exactly SQLite's grammar and semantics are accepted.
//
// Every statement runs, DML included (INSERT, UPDATE, DELETE, SELECT), so the
// data steps of a migration replay too. Passed over, so that they cannot
// break the replay or the reading:
// - transaction control: BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE
//   (every statement runs in its own implicit transaction; a ROLLBACK TO in a
//   script is therefore not honoured);
// - PRAGMA foreign_keys (the replay runs with SQLite's default, enforcement
//   off, as DDL replays need) and the pragmas that would change or lock the
//   catalog: writable_schema, schema_version, query_only (with a warning);
// - ATTACH and DETACH (with a warning: they would open other files);
// - CREATE VIRTUAL TABLE runs, but the virtual table and its shadow tables
//   are not part of the catalog (with a warning).
// PRAGMA legacy_alter_table and every other pragma run, since they change
// what later statements do as they would on a real database.
#pragma once

#include <vector>

#include "strata/parser/interpreter.h"
#include "strata/parser/statements.h"
#include "strata/schema/catalog.h"

namespace strata::parser {

// Throws strata::Error at `file:line:col` of the statement SQLite rejects
// (the position SQLite reports inside it when it gives one, else the
// statement's first token, after any whitespace and comments), with the
// source line for a caret; columns count UTF-8 characters. A UTF-8 byte
// order mark at the start of a file is skipped.
//
// SQLite checks its whole schema for each CREATE statement, so one database
// takes time quadratic in the schema's size (8 s for 5,000 tables). A schema
// of more than `statements_per_part` statements, all CREATE TABLE, INDEX,
// VIEW or TRIGGER, is therefore loaded into several databases, each holding
// objects that name only each other, and read back as one catalog (the same
// catalog; a failing statement is reported from a load in one database).
schema::Catalog load_sqlite_schema(const std::vector<SourceFile>& files, std::vector<Warning>& warnings,
                                   std::size_t statements_per_part = 500);

// How many databases load_sqlite_schema loads `files` into.
std::size_t sqlite_schema_parts(const std::vector<SourceFile>& files, std::size_t statements_per_part = 500);

// Checks files (a migration chain, in order) against SQLite's grammar
// without running their data changes: the DDL runs in an empty in-memory
// database so that later statements prepare against the tables they name,
// everything else is only prepared. Throws strata::Error at file:line:col for
// a statement that does not parse; what only the database can tell (a
// missing table, a violated constraint) is left to it.
void check_sqlite_syntax(const std::vector<SourceFile>& files);

}  // namespace strata::parser
