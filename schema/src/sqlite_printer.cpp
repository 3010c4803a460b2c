#include "strata/schema/sqlite_printer.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "strata/schema/dependency_order.h"
#include "strata/schema/names.h"
#include "strata/schema/printer.h"

namespace strata::schema {
namespace {

// SQLite 3.40's keywords (sqlite3_keyword_name), sorted for binary search.
constexpr std::array<std::string_view, 147> kKeywords = {
    "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC", "ATTACH",
    "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN",
    "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME",
    "CURRENT_TIMESTAMP", "DATABASE", "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DETACH", "DISTINCT",
    "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE", "EXCLUSIVE", "EXISTS", "EXPLAIN", "FAIL",
    "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "GENERATED", "GLOB", "GROUP", "GROUPS",
    "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN", "INDEX", "INDEXED", "INITIALLY", "INNER", "INSERT", "INSTEAD",
    "INTERSECT", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED",
    "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OTHERS",
    "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING", "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE",
    "REFERENCES", "REGEXP", "REINDEX", "RELEASE", "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RIGHT",
    "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SELECT", "SET", "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES", "TO",
    "TRANSACTION", "TRIGGER", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING", "VACUUM", "VALUES", "VIEW",
    "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
};

char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_upper);
  return out;
}

bool is_keyword(std::string_view word) {
  return std::binary_search(kKeywords.begin(), kKeywords.end(), upper(word));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || is_digit(c) ||
         (static_cast<unsigned char>(c) & 0x80U);
}

// True when `text` is one quoted token opened at 0 and closed at its end.
bool is_one_quoted(std::string_view text, std::size_t open_at, char close, bool doubling) {
  for (std::size_t i = open_at + 1; i < text.size(); ++i) {
    if (text[i] != close) continue;
    if (doubling && i + 1 < text.size() && text[i + 1] == close) {
      ++i;
      continue;
    }
    return i + 1 == text.size();
  }
  return false;
}

// A DEFAULT SQLite accepts without parentheses: one literal, word or quoted
// name, or a signed number.
bool is_bare_default(std::string_view text) {
  if (text.empty()) return false;
  if (text.front() == '\'') return is_one_quoted(text, 0, '\'', true);
  if (text.front() == '"' || text.front() == '`') return is_one_quoted(text, 0, text.front(), true);
  if (text.front() == '[') return is_one_quoted(text, 0, ']', false);
  if (text.size() > 1 && (text.front() == 'x' || text.front() == 'X') && text[1] == '\'')
    return is_one_quoted(text, 1, '\'', true);
  std::string_view body = text;
  if (body.front() == '-' || body.front() == '+') body.remove_prefix(1);
  if (body.empty()) return false;
  if (is_digit(body.front()) || body.front() == '.') {
    for (std::size_t i = 0; i < body.size(); ++i) {
      const char c = body[i];
      const bool exponent_sign = (c == '+' || c == '-') && i > 0 && (body[i - 1] == 'e' || body[i - 1] == 'E');
      if (!(is_word_char(c) || c == '.' || exponent_sign)) return false;
    }
    return true;
  }
  if (body.size() != text.size()) return false;  // a sign before a word is an expression
  return std::all_of(body.begin(), body.end(), is_word_char) && !is_digit(body.front());
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += sqlite_quote_identifier(names[i]);
  }
  return out;
}

std::string type_sql(const TypeRef& type) {
  std::string sql = type.name;
  if (!type.modifiers.empty()) {
    sql += "(";
    for (std::size_t i = 0; i < type.modifiers.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += type.modifiers[i];
    }
    sql += ")";
  }
  return sql;
}

std::string constraint_prefix(const Constraint& constraint) {
  return constraint.name.empty() ? "" : "CONSTRAINT " + sqlite_quote_identifier(constraint.name) + " ";
}

// REFERENCES table (columns) with its actions: the part a column-level and a
// table-level foreign key share.
std::string references_sql(const Constraint& constraint, const ForeignKey& key) {
  std::string sql = "REFERENCES " + sqlite_quote_identifier(key.referenced_table.name);
  if (!key.referenced_columns.empty()) sql += " (" + join_names(key.referenced_columns) + ")";
  if (key.on_update != ReferentialAction::NoAction) sql += " ON UPDATE " + std::string(referential_action_sql(key.on_update));
  if (key.on_delete != ReferentialAction::NoAction) sql += " ON DELETE " + std::string(referential_action_sql(key.on_delete));
  if (constraint.initially_deferred)
    sql += " DEFERRABLE INITIALLY DEFERRED";
  else if (constraint.deferrable)
    sql += " DEFERRABLE INITIALLY IMMEDIATE";
  return sql;
}

std::string foreign_key_sql(const Constraint& constraint, const ForeignKey& key) {
  return constraint_prefix(constraint) + "FOREIGN KEY (" + join_names(key.columns) + ") " +
         references_sql(constraint, key);
}

std::string column_sql(const Column& column, const Constraint* inline_key) {
  std::string sql = sqlite_quote_identifier(column.name);
  if (!column.type.name.empty()) sql += " " + type_sql(column.type);
  if (inline_key != nullptr) {
    sql += " " + constraint_prefix(*inline_key) + "PRIMARY KEY";
    if (std::get<PrimaryKey>(inline_key->body).autoincrement) sql += " AUTOINCREMENT";
  }
  if (column.not_null) sql += " NOT NULL";
  if (column.default_expr) {
    const std::string& value = *column.default_expr;
    sql += " DEFAULT " + (is_bare_default(value) ? value : "(" + value + ")");
  }
  if (column.collation) sql += " COLLATE " + sqlite_quote_identifier(*column.collation);
  if (column.generated_expr)
    sql += " GENERATED ALWAYS AS (" + *column.generated_expr + ")" + (column.generated_stored ? " STORED" : " VIRTUAL");
  return sql;
}

}  // namespace

std::string sqlite_quote_identifier(std::string_view identifier) {
  const bool plain = !identifier.empty() && !is_digit(identifier.front()) && !is_keyword(identifier) &&
                     std::all_of(identifier.begin(), identifier.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || is_digit(c);
                     });
  if (plain) return std::string(identifier);
  std::string out = "\"";
  for (const char c : identifier) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string sqlite_column_sql(const Column& column) { return column_sql(column, nullptr); }

std::string sqlite_add_column_sql(const Column& column, const Constraint* foreign_key) {
  std::string sql = column_sql(column, nullptr);
  if (foreign_key != nullptr)
    sql += " " + constraint_prefix(*foreign_key) + references_sql(*foreign_key, std::get<ForeignKey>(foreign_key->body));
  return sql;
}

bool sqlite_default_is_constant(std::string_view default_expr) {
  if (!is_bare_default(default_expr)) return false;
  const std::string upper = ascii_upper(default_expr);
  return upper != "CURRENT_TIME" && upper != "CURRENT_DATE" && upper != "CURRENT_TIMESTAMP";
}

std::string sqlite_create_table_sql(const Table& table) {
  const Constraint* primary = nullptr;
  for (const Constraint& constraint : table.constraints)
    if (std::holds_alternative<PrimaryKey>(constraint.body)) primary = &constraint;
  const Column* inline_column = nullptr;
  if (primary != nullptr) {
    const auto& key = std::get<PrimaryKey>(primary->body);
    if (key.columns.size() == 1) inline_column = table.find_column(key.columns.front());
  }

  std::vector<std::string> lines;
  for (const Column& column : table.columns)
    lines.push_back(column_sql(column, &column == inline_column ? primary : nullptr));
  for (const Constraint& constraint : table.constraints) {
    if (const auto* key = std::get_if<PrimaryKey>(&constraint.body)) {
      if (inline_column == nullptr)
        lines.push_back(constraint_prefix(constraint) + "PRIMARY KEY (" + join_names(key->columns) + ")");
    } else if (const auto* unique = std::get_if<UniqueKey>(&constraint.body)) {
      lines.push_back(constraint_prefix(constraint) + "UNIQUE (" + join_names(unique->columns) + ")");
    } else if (const auto* check = std::get_if<Check>(&constraint.body)) {
      lines.push_back(constraint_prefix(constraint) + "CHECK (" + check->expression + ")");
    } else if (const auto* foreign = std::get_if<ForeignKey>(&constraint.body)) {
      lines.push_back(foreign_key_sql(constraint, *foreign));
    }
    // Exclusion constraints do not exist in SQLite.
  }

  std::string sql = "CREATE TABLE " + sqlite_quote_identifier(table.name.name) + " (";
  for (std::size_t i = 0; i < lines.size(); ++i) sql += (i > 0 ? ",\n  " : "\n  ") + lines[i];
  sql += "\n)";
  if (table.without_rowid) sql += " WITHOUT ROWID";
  if (table.strict) sql += table.without_rowid ? ", STRICT" : " STRICT";
  return sql;
}

std::string sqlite_create_index_sql(const Index& index) {
  std::string sql = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
                    sqlite_quote_identifier(index.name.name) + " ON " + sqlite_quote_identifier(index.table.name) +
                    " (";
  for (std::size_t i = 0; i < index.elements.size(); ++i) {
    const IndexElement& element = index.elements[i];
    if (i > 0) sql += ", ";
    sql += element.expression.empty() ? sqlite_quote_identifier(element.column) : element.expression;
    if (element.collation) sql += " COLLATE " + sqlite_quote_identifier(*element.collation);
    if (element.order == SortOrder::Desc) sql += " DESC";
    if (element.order == SortOrder::Asc) sql += " ASC";
  }
  sql += ")";
  if (index.where) sql += " WHERE " + *index.where;
  return sql;
}

std::string sqlite_create_view_sql(const View& view) {
  std::string sql = "CREATE VIEW " + sqlite_quote_identifier(view.name.name);
  if (!view.column_names.empty()) sql += " (" + join_names(view.column_names) + ")";
  return sql + " AS " + view.query;
}

std::string sqlite_create_trigger_sql(const Trigger& trigger) {
  std::string sql = "CREATE TRIGGER " + sqlite_quote_identifier(trigger.name) + " ";
  switch (trigger.timing) {
    case TriggerTiming::Before: sql += "BEFORE "; break;
    case TriggerTiming::After: sql += "AFTER "; break;
    case TriggerTiming::InsteadOf: sql += "INSTEAD OF "; break;
  }
  sql += trigger.events.empty() ? std::string("INSERT") : trigger.events.front();
  sql += " ON " + sqlite_quote_identifier(trigger.table.name);
  if (trigger.for_each_row) sql += " FOR EACH ROW";
  if (trigger.when) sql += " WHEN " + *trigger.when;
  sql += "\nBEGIN\n  ";
  if (!trigger.function_args.empty()) sql += trigger.function_args.front();
  return sql + "\nEND";
}

std::string sqlite_catalog_sql(const Catalog& catalog) {
  std::string out;
  std::vector<QualifiedName> tables;
  for (const auto& [name, table] : catalog.tables) tables.push_back(name);
  const auto referenced_tables = [&](const QualifiedName& name) {
    std::vector<QualifiedName> referenced;
    for (const Constraint& constraint : catalog.tables.at(name).constraints)
      if (const auto* key = std::get_if<ForeignKey>(&constraint.body)) referenced.push_back(key->referenced_table);
    return referenced;
  };
  for (const QualifiedName& name : dependency_order<QualifiedName>(tables, referenced_tables))
    out += sqlite_create_table_sql(catalog.tables.at(name)) + ";\n";
  for (const auto& [name, index] : catalog.indexes) out += sqlite_create_index_sql(index) + ";\n";
  std::vector<QualifiedName> views;
  for (const auto& [name, view] : catalog.views) views.push_back(name);
  const auto view_dependencies = [&](const QualifiedName& name) { return catalog.views.at(name).depends_on.relations; };
  for (const QualifiedName& name : dependency_order<QualifiedName>(views, view_dependencies))
    out += sqlite_create_view_sql(catalog.views.at(name)) + ";\n";
  for (const auto& [key, trigger] : catalog.triggers) out += sqlite_create_trigger_sql(trigger) + ";\n";
  return out;
}

}  // namespace strata::schema
