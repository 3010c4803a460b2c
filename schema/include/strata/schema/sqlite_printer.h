// SQLite DDL for a catalog read by the SQLite front end (see
// strata/parser/sqlite_catalog.h for its canonical forms). Object names are
// printed without their "main" schema; identifiers are double-quoted only when
// they are not plain words ([A-Za-z_][A-Za-z0-9_]*) or are SQLite keywords.
//
// SQLite has no ALTER TABLE ... ADD CONSTRAINT, so a table's constraints and
// foreign keys are printed inside its CREATE TABLE: a one-column primary key
// on its column (where AUTOINCREMENT must stand), every other constraint after
// the columns. A DEFAULT that is a literal, a signed number or
// CURRENT_TIME/DATE/TIMESTAMP is printed bare, any other in parentheses.
// Generated columns are printed GENERATED ALWAYS AS (...), that is VIRTUAL:
// the catalog does not record STORED (SQLite can only add VIRTUAL generated
// columns with ALTER TABLE anyway).
//
// The round trip holds: loading the output of sqlite_catalog_sql with
// load_sqlite_schema gives a catalog equal to the one printed.
#pragma once

#include <string>

#include "strata/schema/catalog.h"

namespace strata::schema {

// The identifier quoted for SQLite when it needs to be: "my col", "order".
std::string sqlite_quote_identifier(std::string_view identifier);

// A column definition as in CREATE TABLE or ALTER TABLE ... ADD COLUMN:
// name, type, NOT NULL, DEFAULT, COLLATE, GENERATED ALWAYS AS; without any
// key (primary keys and constraints belong to the table).
std::string sqlite_column_sql(const Column& column);
// The column definition of ALTER TABLE ... ADD COLUMN, with a one-column
// foreign key on it written inline ("REFERENCES t (id)"), or none.
std::string sqlite_add_column_sql(const Column& column, const Constraint* foreign_key);
// True for a DEFAULT that ALTER TABLE ... ADD COLUMN accepts: one SQLite
// prints bare (a literal, a word, a signed number) other than
// CURRENT_TIME/DATE/TIMESTAMP.
bool sqlite_default_is_constant(std::string_view default_expr);
// CREATE TABLE with its columns and every constraint; no trailing ';'.
std::string sqlite_create_table_sql(const Table& table);
// CREATE [UNIQUE] INDEX name ON table (elements) [WHERE ...]; no trailing ';'.
std::string sqlite_create_index_sql(const Index& index);
// CREATE VIEW name [(columns)] AS query; no trailing ';'.
std::string sqlite_create_view_sql(const View& view);
// CREATE TRIGGER from the SQLite front end's form: the body is the single
// element of function_args. No trailing ';'.
std::string sqlite_create_trigger_sql(const Trigger& trigger);

// The whole catalog, each statement ending with ";\n", in dependency order:
// tables (a table after the tables its foreign keys reference, by name
// otherwise; foreign-key cycles broken by name order, which SQLite accepts
// since it checks foreign keys only when rows change), indexes by name, views
// after the views in their depends_on (by name otherwise), then triggers.
std::string sqlite_catalog_sql(const Catalog& catalog);

}  // namespace strata::schema
