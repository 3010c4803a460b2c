#include "strata/parser/sqlite_catalog.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "sqlite_definition.h"
#include "sqlite_handles.h"
#include "sqlite_tokenizer.h"
#include "strata/schema/error.h"
#include "strata/schema/sqlite_printer.h"

namespace strata::parser {
namespace {

using sqlite::iequals;
using sqlite::to_upper;

constexpr const char* kMain = "main";

// One catalog query: prepared, its text parameters bound, stepped row by row.
class Query {
 public:
  Query(sqlite3* db, const char* sql, const std::vector<std::string>& parameters = {}) : db_(db) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) fail();
    statement_.reset(raw);
    for (std::size_t i = 0; i < parameters.size(); ++i)
      if (sqlite3_bind_text(raw, static_cast<int>(i + 1), parameters[i].data(),
                            static_cast<int>(parameters[i].size()), SQLITE_TRANSIENT) != SQLITE_OK)
        fail();
  }

  bool next() {
    const int rc = sqlite3_step(statement_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail();
    return false;
  }

  std::string text(int column) const { return sqlite::column_text(statement_.get(), column); }
  bool null(int column) const { return sqlite::column_is_null(statement_.get(), column); }
  int integer(int column) const { return sqlite3_column_int(statement_.get(), column); }

 private:
  [[noreturn]] void fail() const {
    throw Error(std::string("reading the SQLite catalog: ") + sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  sqlite::Statement statement_;
};

schema::QualifiedName main_name(std::string name) { return schema::QualifiedName{kMain, std::move(name)}; }

// "varchar( 255 )" -> {"VARCHAR", {"255"}}; "unsigned   big int" -> {"UNSIGNED BIG INT"}.
schema::TypeRef sqlite_type(std::string_view declared) {
  const std::vector<sqlite::Token> tokens = sqlite::tokenize(declared);
  schema::TypeRef type;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind == sqlite::TokenKind::LeftParen) {
      const std::size_t end = sqlite::skip_parenthesised(tokens, i);
      const bool closed = tokens[end - 1].kind == sqlite::TokenKind::RightParen && end > i + 1;
      const sqlite::Tokens inner = sqlite::Tokens(tokens).subspan(i + 1, (closed ? end - 1 : end) - (i + 1));
      for (const sqlite::Tokens modifier : sqlite::split_top_level(inner)) {
        std::string text;
        for (const sqlite::Token& token : modifier) text += token.text;
        type.modifiers.push_back(to_upper(text));
      }
      i = end - 1;
      continue;
    }
    if (!type.name.empty()) type.name += ' ';
    type.name += to_upper(sqlite::identifier_value(tokens[i]));
  }
  return type;
}

// The default as SQLite stores it, canonical, without parentheses enclosing it whole.
std::string canonical_default(std::string_view stored) {
  const std::vector<sqlite::Token> all = sqlite::tokenize(stored);
  sqlite::Tokens tokens = all;
  while (tokens.size() >= 2 && tokens.front().kind == sqlite::TokenKind::LeftParen &&
         sqlite::skip_parenthesised(tokens, 0) == tokens.size() &&
         tokens.back().kind == sqlite::TokenKind::RightParen)
    tokens = tokens.subspan(1, tokens.size() - 2);
  return sqlite::normalize(tokens);
}

std::optional<std::string> canonical_collation(const std::optional<std::string>& collation) {
  if (!collation) return std::nullopt;
  std::string upper = to_upper(*collation);
  if (upper == "BINARY") return std::nullopt;
  return upper;
}

schema::ReferentialAction referential_action(const std::string& action) {
  if (action == "RESTRICT") return schema::ReferentialAction::Restrict;
  if (action == "CASCADE") return schema::ReferentialAction::Cascade;
  if (action == "SET NULL") return schema::ReferentialAction::SetNull;
  if (action == "SET DEFAULT") return schema::ReferentialAction::SetDefault;
  return schema::ReferentialAction::NoAction;
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
           return iequals(x, y);
         });
}

// Names of relations in "main", looked up case-insensitively as SQLite does.
class NameIndex {
 public:
  void add(const std::string& name) { names_.emplace(to_upper(name), name); }
  void add(const NameIndex& other) { names_.insert(other.names_.begin(), other.names_.end()); }
  const std::string* find(const std::string& name) const {
    const auto found = names_.find(to_upper(name));
    return found == names_.end() ? nullptr : &found->second;
  }

 private:
  std::map<std::string, std::string> names_;
};

std::string canonical_column(const schema::Table* table, const std::string& column) {
  if (table != nullptr)
    for (const schema::Column& candidate : table->columns)
      if (iequals(candidate.name, column)) return candidate.name;
  return column;
}

struct TableSource {
  schema::QualifiedName name;
  sqlite::TableText text;
};

std::vector<schema::Column> read_columns(sqlite3* db, const std::string& table, const sqlite::TableText& text) {
  std::vector<schema::Column> columns;
  Query query(db,
              "SELECT name, type, \"notnull\", dflt_value, hidden FROM pragma_table_xinfo(?1, 'main') "
              "ORDER BY cid",
              {table});
  while (query.next()) {
    schema::Column column;
    column.name = query.text(0);
    column.type = sqlite_type(query.text(1));
    column.not_null = query.integer(2) != 0;
    if (!query.null(3)) column.default_expr = canonical_default(query.text(3));
    const sqlite::ColumnText* written = text.find_column(column.name);
    if (written != nullptr) {
      column.collation = canonical_collation(written->collation);
      const int hidden = query.integer(4);
      // pragma table_xinfo: hidden 2 is a VIRTUAL generated column, 3 a STORED one.
      if ((hidden == 2 || hidden == 3) && written->generated_expr) {
        column.generated_expr = written->generated_expr;
        column.generated_stored = hidden == 3;
      }
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

std::optional<schema::Constraint> read_primary_key(sqlite3* db, const std::string& table,
                                                   const sqlite::TableText& text) {
  schema::PrimaryKey key;
  Query query(db, "SELECT name FROM pragma_table_xinfo(?1, 'main') WHERE pk > 0 ORDER BY pk", {table});
  while (query.next()) key.columns.push_back(query.text(0));
  if (key.columns.empty()) return std::nullopt;
  std::string name;
  if (text.primary_key) {
    name = text.primary_key->name;
    key.autoincrement = text.primary_key->autoincrement;
  }
  return schema::Constraint{.name = name, .body = std::move(key)};
}

std::vector<std::string> index_key_columns(sqlite3* db, const std::string& index) {
  std::vector<std::string> columns;
  Query query(db, "SELECT name FROM pragma_index_xinfo(?1, 'main') WHERE key = 1 ORDER BY seqno", {index});
  while (query.next()) columns.push_back(query.text(0));
  return columns;
}

std::vector<schema::Constraint> read_unique_keys(sqlite3* db, const std::string& table,
                                                 const sqlite::TableText& text) {
  std::vector<std::string> indexes;
  {
    Query query(db, "SELECT name FROM pragma_index_list(?1, 'main') WHERE origin = 'u'", {table});
    while (query.next()) indexes.push_back(query.text(0));
  }
  std::vector<schema::Constraint> keys;
  for (const std::string& index : indexes) {
    schema::UniqueKey key;
    key.columns = index_key_columns(db, index);
    std::string name;
    for (const sqlite::KeyText& written : text.uniques) {
      if (!written.name.empty() && same_names(written.columns, key.columns)) {
        name = written.name;
        break;
      }
    }
    keys.push_back(schema::Constraint{.name = name, .body = std::move(key)});
  }
  return keys;
}

std::vector<schema::Constraint> read_checks(const sqlite::TableText& text) {
  std::vector<schema::Constraint> checks;
  for (const sqlite::CheckText& check : text.checks)
    checks.push_back(schema::Constraint{.name = check.name, .body = schema::Check{.expression = check.expression}});
  return checks;
}

// Foreign keys as SQLite reports them; referenced names are resolved later,
// once every table is known.
std::vector<schema::Constraint> read_foreign_keys(sqlite3* db, const std::string& table,
                                                  const sqlite::TableText& text) {
  std::map<int, schema::ForeignKey> keys;
  {
    Query query(db,
                "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                "FROM pragma_foreign_key_list(?1, 'main') ORDER BY id, seq",
                {table});
    while (query.next()) {
      schema::ForeignKey& key = keys[query.integer(0)];
      key.referenced_table = main_name(query.text(1));
      key.columns.push_back(query.text(2));
      if (!query.null(3)) key.referenced_columns.push_back(query.text(3));
      key.on_update = referential_action(query.text(4));
      key.on_delete = referential_action(query.text(5));
    }
  }
  // SQLite numbers foreign keys from the last one written: id 0 is the last.
  std::vector<bool> used(text.foreign_keys.size(), false);
  const auto matches = [&](std::size_t written, const schema::ForeignKey& key) {
    return !used[written] && same_names(text.foreign_keys[written].columns, key.columns) &&
           iequals(text.foreign_keys[written].table, key.referenced_table.name);
  };
  std::vector<schema::Constraint> constraints;
  for (auto& [id, key] : keys) {
    std::optional<std::size_t> written;
    const auto by_order = static_cast<std::size_t>(id);
    if (keys.size() == text.foreign_keys.size() && by_order < text.foreign_keys.size() &&
        matches(text.foreign_keys.size() - 1 - by_order, key))
      written = text.foreign_keys.size() - 1 - by_order;
    for (std::size_t i = 0; !written && i < text.foreign_keys.size(); ++i)
      if (matches(i, key)) written = i;
    schema::Constraint constraint{.name = "", .body = std::move(key)};
    if (written) {
      used[*written] = true;
      const sqlite::ForeignKeyText& clause = text.foreign_keys[*written];
      constraint.name = clause.name;
      constraint.deferrable = constraint.initially_deferred = clause.deferrable && clause.initially_deferred;
    }
    constraints.push_back(std::move(constraint));
  }
  return constraints;
}

void resolve_foreign_keys(schema::Catalog& catalog, const NameIndex& tables) {
  for (auto& [name, table] : catalog.tables) {
    for (schema::Constraint& constraint : table.constraints) {
      auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
      if (key == nullptr) continue;
      const std::string* target_name = tables.find(key->referenced_table.name);
      if (target_name == nullptr) continue;
      key->referenced_table.name = *target_name;
      const schema::Table& target = catalog.tables.at(main_name(*target_name));
      if (key->referenced_columns.empty()) {
        for (const schema::Constraint& candidate : target.constraints)
          if (const auto* primary = std::get_if<schema::PrimaryKey>(&candidate.body))
            key->referenced_columns = primary->columns;
      } else {
        for (std::string& column : key->referenced_columns) column = canonical_column(&target, column);
      }
    }
  }
}

int group_of(const schema::Constraint& constraint) {
  if (std::holds_alternative<schema::PrimaryKey>(constraint.body)) return 0;
  if (std::holds_alternative<schema::UniqueKey>(constraint.body)) return 1;
  if (std::holds_alternative<schema::Check>(constraint.body)) return 2;
  return 3;
}

bool constraint_less(const schema::Constraint& a, const schema::Constraint& b) {
  const int group_a = group_of(a);
  const int group_b = group_of(b);
  if (group_a != group_b) return group_a < group_b;
  if (const auto* unique_a = std::get_if<schema::UniqueKey>(&a.body)) {
    const auto& unique_b = std::get<schema::UniqueKey>(b.body);
    return std::tie(unique_a->columns, a.name) < std::tie(unique_b.columns, b.name);
  }
  if (const auto* check_a = std::get_if<schema::Check>(&a.body)) {
    const auto& check_b = std::get<schema::Check>(b.body);
    return std::tie(a.name, check_a->expression) < std::tie(b.name, check_b.expression);
  }
  if (const auto* key_a = std::get_if<schema::ForeignKey>(&a.body)) {
    const auto& key_b = std::get<schema::ForeignKey>(b.body);
    return std::tie(key_a->columns, key_a->referenced_table, key_a->referenced_columns, a.name) <
           std::tie(key_b.columns, key_b.referenced_table, key_b.referenced_columns, b.name);
  }
  return false;
}

void read_tables(sqlite3* db, schema::Catalog& catalog, NameIndex& tables) {
  std::vector<TableSource> sources;
  std::map<std::string, std::pair<bool, bool>> options;  // without_rowid, strict
  {
    Query query(db,
                "SELECT s.name, s.sql, l.wr, l.\"strict\" FROM main.sqlite_schema AS s "
                "JOIN pragma_table_list AS l ON l.schema = 'main' AND l.name = s.name "
                "WHERE s.type = 'table' AND l.type = 'table' AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "ORDER BY s.rowid");
    while (query.next()) {
      sources.push_back(TableSource{main_name(query.text(0)), sqlite::parse_create_table(query.text(1))});
      options[query.text(0)] = {query.integer(2) != 0, query.integer(3) != 0};
    }
  }
  for (TableSource& source : sources) {
    const std::string& name = source.name.name;
    schema::Table table;
    table.name = source.name;
    table.without_rowid = options[name].first;
    table.strict = options[name].second;
    table.columns = read_columns(db, name, source.text);
    if (auto key = read_primary_key(db, name, source.text)) table.constraints.push_back(std::move(*key));
    for (auto& key : read_unique_keys(db, name, source.text)) table.constraints.push_back(std::move(key));
    for (auto& check : read_checks(source.text)) table.constraints.push_back(std::move(check));
    for (auto& key : read_foreign_keys(db, name, source.text)) table.constraints.push_back(std::move(key));
    tables.add(name);
    catalog.tables.emplace(table.name, std::move(table));
  }
}

void read_indexes(sqlite3* db, schema::Catalog& catalog) {
  struct Source {
    std::string name;
    std::string table;
    std::string sql;
  };
  std::vector<Source> sources;
  {
    Query query(db,
                "SELECT name, tbl_name, sql FROM main.sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid");
    while (query.next()) sources.push_back(Source{query.text(0), query.text(1), query.text(2)});
  }
  for (const Source& source : sources) {
    const auto table = catalog.tables.find(main_name(source.table));
    if (table == catalog.tables.end()) continue;  // on a virtual or shadow table
    const sqlite::IndexText text = sqlite::parse_create_index(source.sql);
    schema::Index index;
    index.name = main_name(source.name);
    index.table = table->first;
    index.unique = text.unique;
    index.where = text.where;
    Query query(db,
                "SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo(?1, 'main') WHERE key = 1 "
                "ORDER BY seqno",
                {source.name});
    std::size_t position = 0;
    while (query.next()) {
      schema::IndexElement element;
      const int cid = query.integer(0);
      std::optional<std::string> natural;  // the collation the element has without COLLATE
      if (cid >= 0) {
        element.column = query.text(1);
        if (const schema::Column* column = table->second.find_column(element.column)) natural = column->collation;
      } else if (cid == -1) {
        element.column = "rowid";
      } else if (position < text.elements.size()) {
        element.expression = text.elements[position].text;
      }
      const std::optional<std::string> collation = canonical_collation(query.text(3));
      if (collation != natural) element.collation = collation ? *collation : std::string("BINARY");
      if (query.integer(2) != 0) element.order = schema::SortOrder::Desc;
      index.elements.push_back(std::move(element));
      ++position;
    }
    catalog.indexes.emplace(index.name, std::move(index));
  }
}

// The relations among `identifiers` other than `self`: an over-approximation
// (a column named like a table counts too), which only orders drops and creates.
std::vector<schema::QualifiedName> named_relations(const std::vector<std::string>& identifiers,
                                                   const NameIndex& relations, const std::string& self) {
  std::set<schema::QualifiedName> named;
  for (const std::string& identifier : identifiers) {
    const std::string* relation = relations.find(identifier);
    if (relation != nullptr && *relation != self) named.insert(main_name(*relation));
  }
  return {named.begin(), named.end()};
}

void read_views(sqlite3* db, schema::Catalog& catalog, NameIndex& relations) {
  std::vector<std::pair<std::string, sqlite::ViewText>> sources;
  {
    Query query(db,
                "SELECT name, sql FROM main.sqlite_schema WHERE type = 'view' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid");
    while (query.next()) sources.emplace_back(query.text(0), sqlite::parse_create_view(query.text(1)));
  }
  for (const auto& [name, text] : sources) relations.add(name);
  for (auto& [name, text] : sources) {
    schema::View view;
    view.name = main_name(name);
    view.query = text.query;
    view.column_names = text.column_names;
    view.depends_on.relations = named_relations(text.identifiers, relations, name);
    catalog.views.emplace(view.name, std::move(view));
  }
}

void read_triggers(sqlite3* db, schema::Catalog& catalog, const NameIndex& relations) {
  Query query(db,
              "SELECT name, tbl_name, sql FROM main.sqlite_schema WHERE type = 'trigger' "
              "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid");
  while (query.next()) {
    const sqlite::TriggerText text = sqlite::parse_create_trigger(query.text(2));
    schema::Trigger trigger;
    trigger.name = query.text(0);
    const std::string written_table = query.text(1);
    const std::string* relation = relations.find(written_table);
    trigger.table = main_name(relation != nullptr ? *relation : written_table);
    trigger.timing = text.timing;
    std::string event = text.event;
    if (!text.update_columns.empty()) {
      const auto table = catalog.tables.find(trigger.table);
      const schema::Table* target = table == catalog.tables.end() ? nullptr : &table->second;
      event += " OF ";
      for (std::size_t i = 0; i < text.update_columns.size(); ++i) {
        if (i > 0) event += ", ";
        event += schema::sqlite_quote_identifier(canonical_column(target, text.update_columns[i]));
      }
    }
    trigger.events = {event};
    trigger.for_each_row = true;
    trigger.when = text.when;
    trigger.function_args = {text.body};
    trigger.depends_on.relations = named_relations(text.identifiers, relations, "");
    catalog.triggers.emplace(schema::TriggerKey{trigger.table, trigger.name}, std::move(trigger));
  }
}

}  // namespace

schema::Catalog read_sqlite_catalog(std::span<sqlite3* const> databases) {
  schema::Catalog catalog;
  catalog.schemas.emplace(kMain, schema::Schema{.name = kMain});
  NameIndex tables;  // of every database: foreign keys are resolved across them
  for (sqlite3* db : databases) {
    NameIndex relations;  // this database's tables, then also its views
    read_tables(db, catalog, relations);
    tables.add(relations);
    read_indexes(db, catalog);
    read_views(db, catalog, relations);
    read_triggers(db, catalog, relations);
  }
  resolve_foreign_keys(catalog, tables);
  for (auto& [name, table] : catalog.tables)
    std::stable_sort(table.constraints.begin(), table.constraints.end(), constraint_less);
  return catalog;
}

schema::Catalog read_sqlite_catalog(sqlite3* db) { return read_sqlite_catalog(std::span<sqlite3* const>(&db, 1)); }

}  // namespace strata::parser
