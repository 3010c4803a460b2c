// Applies statements to a catalog in order, with PostgreSQL's semantics: the
// names the server would choose, CASCADE/RESTRICT, serial expansion, and an
// error (at the statement's location) wherever the server would refuse.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "strata/parser/statements.h"
#include "strata/schema/catalog.h"

namespace strata::parser {

// The interpreter's reverse lookups from a table to what depends on it: the
// tables that inherit from it or reference it with a foreign key, the indexes
// on it and the sequences its columns own, each list in name order. Dropping
// a table or column reads them instead of scanning the whole catalog. The
// entries are candidates, checked again where used, so that statements which
// only remove objects leave them usable; any other statement makes them stale.
struct TableDependents {
  std::map<schema::QualifiedName, std::vector<schema::QualifiedName>> tables;
  std::map<schema::QualifiedName, std::vector<schema::QualifiedName>> indexes;
  std::map<schema::QualifiedName, std::vector<schema::QualifiedName>> sequences;
  bool stale = true;
};

// The tables that inherit from each table (partitions included), by name:
// kept between statements until one may change inheritance (CREATE TABLE,
// DROP, RENAME, ALTER TABLE [NO] INHERIT), so that ADD COLUMN and the like,
// which reach a table's children, do not scan every table.
struct InheritanceChildren {
  std::map<schema::QualifiedName, std::vector<schema::QualifiedName>> of;
  bool stale = true;
};

class Interpreter {
 public:
  explicit Interpreter(schema::Catalog start = schema::Catalog::postgres_default());

  // Throws strata::Error located at the statement when PostgreSQL would
  // reject it. Loading stops at the first error, so a failed statement's
  // partial effect is never used.
  void apply(const Statement& statement);

  const schema::Catalog& catalog() const { return catalog_; }
  schema::Catalog release() && { return std::move(catalog_); }

 private:
  schema::Catalog catalog_;
  std::vector<std::string> search_path_;
  // (schema, name) of every table and domain constraint: a chosen name must be
  // free in the whole schema. Kept while statements only add constraints;
  // rebuilt after one that may drop or rename some.
  std::set<std::pair<std::string, std::string>> constraint_names_;
  bool constraint_names_stale_ = true;
  TableDependents table_dependents_;
  InheritanceChildren inheritance_children_;
};

// Parses and applies PostgreSQL files in order into a catalog that starts as a
// fresh database does; warnings are collected in `warnings`.
struct SourceFile {
  std::string path;
  std::string text;
};
schema::Catalog load_postgres_schema(const std::vector<SourceFile>& files, std::vector<Warning>& warnings);

}  // namespace strata::parser
