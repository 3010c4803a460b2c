// What SQLite's pragmas do not expose, read from the CREATE text it stores in
// sqlite_schema: CHECK constraints, constraint names, AUTOINCREMENT, generated
// expressions and their storage, column collations, DEFERRABLE, partial-index
// WHERE clauses, index expressions, view queries and trigger definitions.
//
// SQLite has accepted every text given here, so parsing is lenient: anything
// unexpected is stepped over, nothing throws. Identifiers are returned
// unquoted and as written; expressions in their normalize()d canonical text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/schema/catalog.h"

namespace strata::parser::sqlite {

struct ColumnText {
  std::string name;
  std::optional<std::string> collation;       // as written
  std::optional<std::string> generated_expr;  // canonical expression text
};

// A PRIMARY KEY or UNIQUE constraint, as a column or table constraint.
struct KeyText {
  std::string name;  // CONSTRAINT name, or ""
  std::vector<std::string> columns;
  bool autoincrement = false;
};

struct CheckText {
  std::string name;
  std::string expression;
};

struct ForeignKeyText {
  std::string name;
  std::vector<std::string> columns;
  std::string table;
  std::vector<std::string> referenced_columns;
  bool deferrable = false;          // DEFERRABLE, not NOT DEFERRABLE
  bool initially_deferred = false;  // INITIALLY DEFERRED
};

struct TableText {
  std::vector<ColumnText> columns;
  std::optional<KeyText> primary_key;
  std::vector<KeyText> uniques;  // in the order written
  std::vector<CheckText> checks;
  std::vector<ForeignKeyText> foreign_keys;

  const ColumnText* find_column(std::string_view name) const;  // case-insensitive
};

TableText parse_create_table(std::string_view sql);

struct IndexElementText {
  std::string text;  // the element without COLLATE and ASC/DESC, canonical
  std::optional<std::string> collation;
  bool desc = false;
};

struct IndexText {
  bool unique = false;
  std::vector<IndexElementText> elements;
  std::optional<std::string> where;
};

IndexText parse_create_index(std::string_view sql);

struct ViewText {
  std::vector<std::string> column_names;
  std::string query;                     // the SELECT after AS, verbatim, without trailing comments
  std::vector<std::string> identifiers;  // every identifier the query names, for dependencies
};

ViewText parse_create_view(std::string_view sql);

struct TriggerText {
  schema::TriggerTiming timing = schema::TriggerTiming::Before;
  std::string event;                         // "INSERT", "DELETE", "UPDATE"
  std::vector<std::string> update_columns;   // UPDATE OF a, b
  std::optional<std::string> when;           // canonical expression
  std::string body;                          // canonical statements between BEGIN and END
  std::vector<std::string> identifiers;      // every identifier WHEN and the body name, for dependencies
};

TriggerText parse_create_trigger(std::string_view sql);

}  // namespace strata::parser::sqlite
