// The SQLite planner. SQLite's ALTER TABLE renames tables and columns, adds
// columns within strict rules and drops columns nothing else uses; anything
// else is the documented 12-step rebuild (https://sqlite.org/lang_altertable.html
// section 7), once per table however many of its parts change. Every
// intermediate and final state is SQLite's own: renames are run in an
// in-memory database to get the catalog the rest of the plan starts from, and
// the plan is verified by replaying it there.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "plan_internal.h"
#include "strata/parser/replay.h"
#include "strata/planner/diff.h"
#include "strata/planner/plan.h"
#include "strata/schema/compare.h"
#include "strata/schema/dependency_order.h"
#include "strata/schema/printer.h"
#include "strata/schema/sqlite_printer.h"

namespace strata::planner {
namespace {

using schema::Catalog;
using schema::Column;
using schema::Constraint;
using schema::Table;
using schema::TriggerKey;

std::string quoted(const std::string& name) { return schema::sqlite_quote_identifier(name); }
std::string quoted(const QualifiedName& name) { return quoted(name.name); }

// The SQLite front end upper-cases keywords in expressions (sqlite_catalog.h).
bool is_null_literal(const std::optional<std::string>& value) { return !value || *value == "NULL"; }

// The columns a constraint names in its own table.
std::vector<std::string> constrained_columns(const Constraint& constraint) {
  return std::visit(
      [](const auto& body) -> std::vector<std::string> {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, schema::PrimaryKey> || std::is_same_v<Body, schema::UniqueKey> ||
                      std::is_same_v<Body, schema::ForeignKey>)
          return body.columns;
        else
          return {};
      },
      constraint.body);
}

bool names_column(const std::vector<std::string>& columns, const std::string& column) {
  return std::find(columns.begin(), columns.end(), column) != columns.end();
}

// Constraints of `from` missing in `to`, and of `to` missing in `from`.
std::pair<std::vector<Constraint>, std::vector<Constraint>> constraint_changes(const Table& from, const Table& to) {
  std::vector<Constraint> removed;
  std::vector<Constraint> added;
  for (const auto& constraint : from.constraints)
    if (std::find(to.constraints.begin(), to.constraints.end(), constraint) == to.constraints.end())
      removed.push_back(constraint);
  for (const auto& constraint : to.constraints)
    if (std::find(from.constraints.begin(), from.constraints.end(), constraint) == from.constraints.end())
      added.push_back(constraint);
  return {removed, added};
}

// What ALTER TABLE ... ADD/DROP COLUMN can do to a table.
struct NativeAlteration {
  std::vector<DropColumn> dropped;
  std::vector<AddColumn> added;
};

// Decides between ALTER TABLE and a rebuild for one table, and builds the
// rebuild's column map. `previous` and `desired` are the whole catalogs (for
// what reads or references the table).
class TablePlanner {
 public:
  TablePlanner(const Catalog& previous, const Catalog& desired, const PlanOptions& options,
               std::vector<std::string>& missing_backfills)
      : previous_(previous), desired_(desired), options_(options), missing_backfills_(missing_backfills) {}

  // Nothing when SQLite's ALTER TABLE cannot do it.
  std::optional<NativeAlteration> native(const Table& from, const Table& to) const {
    if (from.without_rowid != to.without_rowid || from.strict != to.strict) return std::nullopt;
    const auto [removed_constraints, added_constraints] = constraint_changes(from, to);
    if (!removed_constraints.empty()) return std::nullopt;

    NativeAlteration alteration;
    std::vector<const Column*> kept;
    for (const auto& column : from.columns) {
      if (to.find_column(column.name) != nullptr) {
        kept.push_back(&column);
      } else {
        if (!droppable(from, column)) return std::nullopt;
        alteration.dropped.push_back({from.name, column});
      }
    }
    // The kept columns stay in place and unchanged; added ones come last.
    if (to.columns.size() < kept.size()) return std::nullopt;
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (!(to.columns[i] == *kept[i])) return std::nullopt;

    std::size_t inline_keys = 0;
    for (std::size_t i = kept.size(); i < to.columns.size(); ++i) {
      const Column& column = to.columns[i];
      std::optional<Constraint> foreign_key;
      for (const auto& constraint : added_constraints)
        if (names_column(constrained_columns(constraint), column.name)) {
          const bool one_column_key =
              std::holds_alternative<schema::ForeignKey>(constraint.body) && constrained_columns(constraint).size() == 1;
          if (!one_column_key || foreign_key) return std::nullopt;
          foreign_key = constraint;
        }
      for (const auto& constraint : to.constraints)
        if (!std::holds_alternative<schema::ForeignKey>(constraint.body) &&
            names_column(constrained_columns(constraint), column.name))
          return std::nullopt;
      if (!addable(column, foreign_key.has_value())) return std::nullopt;
      if (foreign_key) ++inline_keys;
      alteration.added.push_back({to.name, column, std::move(foreign_key)});
    }
    // Every added constraint must be the inline key of an added column.
    if (inline_keys != added_constraints.size()) return std::nullopt;
    return alteration;
  }

  RebuildTable rebuild(const Table& from, const Table& to, const std::string& temporary_name) const {
    RebuildTable rebuild{from, to, temporary_name, {}, {}};
    for (const auto& column : to.columns) {
      if (column.generated_expr) continue;  // computed by the new table
      const auto backfill = backfill_of(options_, to.name, column.name);
      const Column* old = from.find_column(column.name);
      if (old == nullptr) {
        rebuild.reasons.push_back("add column " + column.name);
        if (backfill) {
          rebuild.copied.push_back({column.name, *backfill});
        } else if (needs_backfill(column)) {
          missing_backfills_.push_back(column_path(to.name, column.name));
        }
        continue;  // without a value: its default, or NULL
      }
      if (!(*old == column)) rebuild.reasons.push_back("change column " + column.name);
      std::string expression = quoted(old->name);
      // Rows may hold NULL where the column becomes NOT NULL: the given
      // value or the default fills them in.
      if (column.not_null && !old->not_null) {
        if (backfill)
          expression = "coalesce(" + expression + ", " + *backfill + ")";
        else if (column.default_expr)
          expression = "coalesce(" + expression + ", " + *column.default_expr + ")";
      }
      rebuild.copied.push_back({column.name, expression});
    }
    for (const auto& column : from.columns)
      if (to.find_column(column.name) == nullptr) rebuild.reasons.push_back("drop column " + column.name);
    const auto [removed_constraints, added_constraints] = constraint_changes(from, to);
    if (!removed_constraints.empty() || !added_constraints.empty()) rebuild.reasons.push_back("constraints");
    if (from.without_rowid != to.without_rowid) rebuild.reasons.push_back("WITHOUT ROWID");
    if (from.strict != to.strict) rebuild.reasons.push_back("STRICT");
    std::vector<std::string> from_order;
    std::vector<std::string> to_order;
    for (const auto& column : from.columns)
      if (to.find_column(column.name) != nullptr) from_order.push_back(column.name);
    for (const auto& column : to.columns)
      if (from.find_column(column.name) != nullptr) to_order.push_back(column.name);
    if (from_order != to_order) rebuild.reasons.push_back("column order");
    return rebuild;
  }

 private:
  // ALTER TABLE ... DROP COLUMN works for a column no key, constraint,
  // generated column, view or trigger uses; anything less certain is rebuilt.
  bool droppable(const Table& table, const Column& column) const {
    for (const auto& constraint : table.constraints)
      if (names_column(constrained_columns(constraint), column.name)) return false;
    for (const auto& other : table.columns)
      if (other.generated_expr) return false;
    for (const Catalog* catalog : {&previous_, &desired_}) {
      for (const auto& [name, other] : catalog->tables)
        for (const auto& constraint : other.constraints)
          if (const auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
              key != nullptr && key->referenced_table == table.name &&
              (key->referenced_columns.empty() || names_column(key->referenced_columns, column.name)))
            return false;
    }
    for (const auto& [name, view] : previous_.views)
      if (reads_relation(view.depends_on.relations, table.name)) return false;
    for (const auto& [key, trigger] : previous_.triggers)
      if (trigger.table == table.name || reads_relation(trigger.depends_on.relations, table.name)) return false;
    return true;
  }

  static bool reads_relation(const std::vector<QualifiedName>& relations, const QualifiedName& table) {
    return std::find(relations.begin(), relations.end(), table) != relations.end();
  }

  // SQLite's rules for ALTER TABLE ... ADD COLUMN: no key, a constant default
  // (non-NULL when NOT NULL), no default with a foreign key, and only
  // VIRTUAL generated columns.
  bool addable(const Column& column, bool has_foreign_key) const {
    if (column.default_expr && !schema::sqlite_default_is_constant(*column.default_expr)) return false;
    if (column.not_null && is_null_literal(column.default_expr)) {
      // No value SQLite could give existing rows: a rebuild with a backfill.
      return false;
    }
    if (has_foreign_key && !is_null_literal(column.default_expr)) return false;
    if (column.generated_expr && (column.generated_stored || column.not_null)) return false;
    return true;
  }

  const Catalog& previous_;
  const Catalog& desired_;
  const PlanOptions& options_;
  std::vector<std::string>& missing_backfills_;
};

// The changes from `previous` (already renamed) to `desired`, in the order
// they run.
class SqliteDiffer {
 public:
  SqliteDiffer(const Catalog& previous, const Catalog& desired, const PlanOptions& options)
      : previous_(previous), desired_(desired), tables_(previous, desired, options, missing_backfills_) {}

  std::vector<Change> run() {
    plan_tables();
    plan_dependents();
    emit_drops();
    emit_tables();
    emit_creates();
    return std::move(out_);
  }

  const std::vector<std::string>& missing_backfills() const { return missing_backfills_; }

 private:
  void plan_tables() {
    for (const auto& [name, table] : previous_.tables) {
      const auto wanted = desired_.tables.find(name);
      if (wanted == desired_.tables.end()) {
        dropped_tables_.push_back(table);
        touched_.insert(name);
      } else if (!(table == wanted->second)) {
        if (auto alteration = tables_.native(table, wanted->second)) {
          altered_.push_back(std::move(*alteration));
        } else {
          rebuilt_.push_back(tables_.rebuild(table, wanted->second, temporary_name(name)));
          rebuilt_names_.insert(name);
          touched_.insert(name);
        }
      }
    }
  }

  // "_strata_new_t", numbered when a relation has that name already.
  std::string temporary_name(const QualifiedName& table) const {
    std::string name = "_strata_new_" + table.name;
    for (int n = 2; previous_.has_relation({table.schema, name}) || desired_.has_relation({table.schema, name}); ++n)
      name = "_strata_new_" + table.name + "_" + std::to_string(n);
    return name;
  }

  bool reads_touched(const std::vector<QualifiedName>& relations) const {
    return std::any_of(relations.begin(), relations.end(),
                       [&](const QualifiedName& relation) { return touched_.contains(relation); });
  }

  // Views and triggers that change, go away, or read a table that is dropped
  // or rebuilt (or a view dropped for that reason) are dropped before the
  // tables change and created again after: SQLite checks every view and
  // trigger when a rebuilt table is renamed into place.
  void plan_dependents() {
    bool grew = true;
    while (grew) {
      grew = false;
      for (const auto& [name, view] : previous_.views) {
        if (touched_.contains(name)) continue;
        const auto wanted = desired_.views.find(name);
        if (wanted == desired_.views.end() || !(wanted->second == view) || reads_touched(view.depends_on.relations)) {
          touched_.insert(name);
          dropped_views_.insert(name);
          grew = true;
        }
      }
    }
    for (const auto& [key, trigger] : previous_.triggers) {
      const auto wanted = desired_.triggers.find(key);
      if (wanted == desired_.triggers.end() || !(wanted->second == trigger) || touched_.contains(trigger.table) ||
          reads_touched(trigger.depends_on.relations))
        dropped_triggers_.insert(key);
    }
  }

  bool rebuilt(const QualifiedName& table) const { return rebuilt_names_.contains(table); }
  bool dropped(const QualifiedName& table) const {
    return std::any_of(dropped_tables_.begin(), dropped_tables_.end(),
                       [&](const Table& t) { return t.name == table; });
  }

  void emit_drops() {
    for (const auto& key : dropped_triggers_) out_.emplace_back(DropTrigger{previous_.triggers.at(key)});
    const std::vector<QualifiedName> views(dropped_views_.begin(), dropped_views_.end());
    auto order = schema::dependency_order<QualifiedName>(
        views, [&](const QualifiedName& view) { return previous_.views.at(view).depends_on.relations; });
    for (auto view = order.rbegin(); view != order.rend(); ++view)
      out_.emplace_back(DropView{previous_.views.at(*view)});
    for (const auto& [name, index] : previous_.indexes) {
      if (dropped(index.table) || rebuilt(index.table)) continue;  // it goes with its table
      const auto wanted = desired_.indexes.find(name);
      if (wanted == desired_.indexes.end() || !(wanted->second == index)) out_.emplace_back(DropIndex{index});
    }
    for (const auto& table : dropped_tables_) out_.emplace_back(DropTable{table});
  }

  void emit_tables() {
    std::vector<QualifiedName> created;
    for (const auto& [name, table] : desired_.tables)
      if (!previous_.tables.contains(name)) created.push_back(name);
    for (const auto& name : schema::dependency_order<QualifiedName>(created, [&](const QualifiedName& table) {
           std::vector<QualifiedName> referenced;
           for (const auto& constraint : desired_.tables.at(table).constraints)
             if (const auto* key = std::get_if<schema::ForeignKey>(&constraint.body))
               referenced.push_back(key->referenced_table);
           return referenced;
         }))
      out_.emplace_back(CreateTable{desired_.tables.at(name)});
    for (auto& rebuild : rebuilt_) out_.emplace_back(std::move(rebuild));
    for (auto& alteration : altered_) {
      for (auto& drop : alteration.dropped) out_.emplace_back(std::move(drop));
      for (auto& add : alteration.added) out_.emplace_back(std::move(add));
    }
  }

  void emit_creates() {
    for (const auto& [name, index] : desired_.indexes) {
      const auto old = previous_.indexes.find(name);
      if (old == previous_.indexes.end() || !(old->second == index) || rebuilt(index.table))
        out_.emplace_back(CreateIndex{index});
    }
    std::vector<QualifiedName> views;
    for (const auto& [name, view] : desired_.views)
      if (!previous_.views.contains(name) || dropped_views_.contains(name)) views.push_back(name);
    for (const auto& name : schema::dependency_order<QualifiedName>(
             views, [&](const QualifiedName& view) { return desired_.views.at(view).depends_on.relations; }))
      out_.emplace_back(CreateView{desired_.views.at(name)});
    for (const auto& [key, trigger] : desired_.triggers)
      if (!previous_.triggers.contains(key) || dropped_triggers_.contains(key))
        out_.emplace_back(CreateTrigger{trigger});
  }

  const Catalog& previous_;
  const Catalog& desired_;
  std::vector<std::string> missing_backfills_;
  TablePlanner tables_;

  std::vector<Table> dropped_tables_;
  std::vector<RebuildTable> rebuilt_;  // moved into the changes once emitted
  std::set<QualifiedName> rebuilt_names_;
  std::vector<NativeAlteration> altered_;
  std::set<QualifiedName> touched_;  // dropped or rebuilt tables, dropped views
  std::set<QualifiedName> dropped_views_;
  std::set<TriggerKey> dropped_triggers_;
  std::vector<Change> out_;
};

// ---- rendering ------------------------------------------------------------------

using Statements = std::vector<std::string>;

struct RenderSqlite {
  const PlanOptions& options;

  Statements operator()(const RenameObject& c) const {
    if (c.kind == RenameKind::Table) return {"ALTER TABLE " + quoted(c.object) + " RENAME TO " + quoted(c.new_name)};
    return {"ALTER TABLE " + quoted(c.object) + " RENAME COLUMN " + quoted(c.member) + " TO " + quoted(c.new_name)};
  }
  Statements operator()(const CreateTable& c) const { return {schema::sqlite_create_table_sql(c.table)}; }
  Statements operator()(const DropTable& c) const { return {"DROP TABLE " + quoted(c.table.name)}; }
  // A given backfill value overrides the default for the rows already there.
  Statements operator()(const AddColumn& c) const {
    Statements out{"ALTER TABLE " + quoted(c.table) + " ADD COLUMN " +
                   schema::sqlite_add_column_sql(c.column, c.foreign_key ? &*c.foreign_key : nullptr)};
    if (const auto backfill = backfill_of(options, c.table, c.column.name))
      out.push_back("UPDATE " + quoted(c.table) + " SET " + quoted(c.column.name) + " = " + *backfill);
    return out;
  }
  Statements operator()(const DropColumn& c) const {
    return {"ALTER TABLE " + quoted(c.table) + " DROP COLUMN " + quoted(c.column.name)};
  }
  // Steps 4 to 7 of the documented procedure; the caller's transaction, the
  // foreign keys being off and the foreign key check are the runtime's part.
  Statements operator()(const RebuildTable& c) const {
    Table staged = c.to;
    staged.name.name = c.temporary_name;
    const std::string temporary = quoted(c.temporary_name);
    Statements out{schema::sqlite_create_table_sql(staged)};
    if (!c.copied.empty()) {
      std::string columns;
      std::string values;
      // A rowid table keeps each row's rowid (FTS content tables and other
      // references key on it) unless the new table's INTEGER PRIMARY KEY,
      // copied like any column, is its rowid.
      if (const auto rowid = kept_rowid_name(c.from, c.to)) {
        columns = *rowid;
        values = *rowid;
      }
      for (const auto& copied : c.copied) {
        columns += (columns.empty() ? "" : ", ") + quoted(copied.column);
        values += (values.empty() ? "" : ", ") + copied.expression;
      }
      out.push_back("INSERT INTO " + temporary + " (" + columns + ") SELECT " + values + " FROM " + quoted(c.from.name));
    }
    // AUTOINCREMENT promises never to reuse an id, even one whose row was
    // deleted: the new table takes over the old one's high-water mark.
    if (autoincrement(c.from) && autoincrement(c.to)) {
      out.push_back("DELETE FROM sqlite_sequence WHERE name = " + schema::string_literal(c.temporary_name));
      out.push_back("INSERT INTO sqlite_sequence (name, seq) SELECT " + schema::string_literal(c.temporary_name) +
                    ", seq FROM sqlite_sequence WHERE name = " + schema::string_literal(c.from.name.name));
    }
    out.push_back("DROP TABLE " + quoted(c.from.name));
    out.push_back("ALTER TABLE " + temporary + " RENAME TO " + quoted(c.to.name));
    return out;
  }
  Statements operator()(const CreateIndex& c) const { return {schema::sqlite_create_index_sql(c.index)}; }
  Statements operator()(const DropIndex& c) const { return {"DROP INDEX " + quoted(c.index.name)}; }
  Statements operator()(const CreateView& c) const { return {schema::sqlite_create_view_sql(c.view)}; }
  Statements operator()(const DropView& c) const { return {"DROP VIEW " + quoted(c.view.name)}; }
  Statements operator()(const CreateTrigger& c) const { return {schema::sqlite_create_trigger_sql(c.trigger)}; }
  Statements operator()(const DropTrigger& c) const { return {"DROP TRIGGER " + quoted(c.trigger.name)}; }
  // The SQLite differ makes none of the other kinds.
  template <typename Other>
  Statements operator()(const Other& c) const {
    throw Error("internal error: " + describe(Change{c}) + " has no SQLite form");
  }

  // The name under which both tables' rowids can be copied ("rowid", or
  // "_rowid_" or "oid" when a column takes the name), or nothing when the new
  // table's rowid comes from a column of its own or either has none.
  static std::optional<std::string> kept_rowid_name(const Table& from, const Table& to) {
    if (from.without_rowid || to.without_rowid || has_rowid_alias(to)) return std::nullopt;
    for (const char* name : {"rowid", "_rowid_", "oid"})
      if (!has_column_named(from, name) && !has_column_named(to, name)) return std::string(name);
    return std::nullopt;
  }

  static bool has_column_named(const Table& table, std::string_view name) {
    return std::any_of(table.columns.begin(), table.columns.end(), [&](const schema::Column& column) {
      return std::equal(column.name.begin(), column.name.end(), name.begin(), name.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    });
  }

  // An INTEGER PRIMARY KEY of a single column is the table's rowid.
  static bool has_rowid_alias(const Table& table) {
    return std::any_of(table.constraints.begin(), table.constraints.end(), [&](const Constraint& constraint) {
      const auto* key = std::get_if<schema::PrimaryKey>(&constraint.body);
      if (key == nullptr || key->columns.size() != 1) return false;
      const schema::Column* column = table.find_column(key->columns.front());
      return column != nullptr && column->type.name == "INTEGER";
    });
  }

  static bool autoincrement(const Table& table) {
    return std::any_of(table.constraints.begin(), table.constraints.end(), [](const Constraint& constraint) {
      const auto* key = std::get_if<schema::PrimaryKey>(&constraint.body);
      return key != nullptr && key->autoincrement;
    });
  }
};

std::string catalog_script(const Catalog& catalog) { return schema::sqlite_catalog_sql(catalog); }

// The relations a change names (a table, the table of an index or trigger, a view).
struct NamedRelations {
  std::set<QualifiedName>& out;

  void operator()(const RenameObject& c) const {
    out.insert(c.object);
    if (c.kind == RenameKind::Table) out.insert({c.object.schema, c.new_name});
  }
  void operator()(const CreateTable& c) const { out.insert(c.table.name); }
  void operator()(const DropTable& c) const { out.insert(c.table.name); }
  void operator()(const AddColumn& c) const { out.insert(c.table); }
  void operator()(const DropColumn& c) const { out.insert(c.table); }
  void operator()(const RebuildTable& c) const { out.insert(c.to.name); }
  void operator()(const CreateIndex& c) const { out.insert(c.index.table); }
  void operator()(const DropIndex& c) const { out.insert(c.index.table); }
  void operator()(const CreateView& c) const { out.insert(c.view.name); }
  void operator()(const DropView& c) const { out.insert(c.view.name); }
  void operator()(const CreateTrigger& c) const { out.insert(c.trigger.table); }
  void operator()(const DropTrigger& c) const { out.insert(c.trigger.table); }
  template <typename Other>
  void operator()(const Other&) const {}  // the SQLite differ makes no other kind
};

// Relations that must be replayed together, as a union-find forest.
class RelationGroups {
 public:
  void add(const QualifiedName& relation) { parent_.try_emplace(relation, relation); }
  void join(const QualifiedName& a, const QualifiedName& b) {
    add(a);
    add(b);
    parent_[root(a)] = root(b);
  }
  bool contains(const QualifiedName& relation) const { return parent_.contains(relation); }
  QualifiedName root(const QualifiedName& relation) {
    QualifiedName& up = parent_.at(relation);
    if (up != relation) up = root(up);
    return up;
  }
  // Every relation, grouped by root.
  std::map<QualifiedName, std::set<QualifiedName>> groups() {
    std::map<QualifiedName, std::set<QualifiedName>> out;
    for (const auto& [relation, up] : parent_) out[root(relation)].insert(relation);
    return out;
  }

 private:
  std::map<QualifiedName, QualifiedName> parent_;
};

std::set<QualifiedName> named_relations(const Change& change) {
  std::set<QualifiedName> named;
  std::visit(NamedRelations{named}, change);
  return named;
}

// The part of the schemas a plan can affect, in groups that can be replayed
// apart: the relations a change names (one group), the tables whose foreign
// keys point at them (a rename rewrites those), the views and triggers that
// read any of these, transitively, and what those read (SQLite checks every
// view and trigger when a table is renamed).
RelationGroups affected_relations(const Catalog& previous, const Catalog& desired,
                                  const std::vector<Change>& changes) {
  RelationGroups affected;
  std::set<QualifiedName> named;
  for (const auto& change : changes) {
    const std::set<QualifiedName> relations = named_relations(change);
    for (const auto& relation : relations) affected.join(relation, *relations.begin());
    named.insert(relations.begin(), relations.end());
  }
  for (const Catalog* catalog : {&previous, &desired})
    for (const auto& [name, table] : catalog->tables)
      for (const auto& constraint : table.constraints)
        if (const auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
            key != nullptr && named.contains(key->referenced_table))
          affected.join(name, key->referenced_table);
  const auto join_if_read = [&](const QualifiedName& reader, const std::vector<QualifiedName>& reads) {
    const bool touched = affected.contains(reader) ||
                         std::any_of(reads.begin(), reads.end(),
                                     [&](const QualifiedName& relation) { return affected.contains(relation); });
    if (!touched) return false;
    const bool grows = !affected.contains(reader) ||
                       std::any_of(reads.begin(), reads.end(),
                                   [&](const QualifiedName& relation) { return !affected.contains(relation); });
    affected.add(reader);
    for (const auto& relation : reads) affected.join(relation, reader);
    return grows;
  };
  for (bool grew = true; grew;) {
    grew = false;
    for (const Catalog* catalog : {&previous, &desired}) {
      for (const auto& [name, view] : catalog->views) grew = join_if_read(name, view.depends_on.relations) || grew;
      for (const auto& [key, trigger] : catalog->triggers)
        grew = join_if_read(trigger.table, trigger.depends_on.relations) || grew;
    }
  }
  return affected;
}

// The objects of `catalog` on the relations `keep` accepts, and a catalog of
// its own for each of them: `part(relation)` gives it, or nullptr.
template <typename Part>
void distribute(const Catalog& catalog, const Part& part) {
  for (const auto& [name, table] : catalog.tables)
    if (Catalog* out = part(name)) out->tables.emplace(name, table);
  for (const auto& [name, index] : catalog.indexes)
    if (Catalog* out = part(index.table)) out->indexes.emplace(name, index);
  for (const auto& [name, view] : catalog.views)
    if (Catalog* out = part(name)) out->views.emplace(name, view);
  for (const auto& [key, trigger] : catalog.triggers)
    if (Catalog* out = part(trigger.table)) out->triggers.emplace(key, trigger);
}

// The objects of `catalog` on relations no change can affect.
Catalog untouched_part(const Catalog& catalog, const RelationGroups& affected) {
  Catalog out;
  out.schemas = catalog.schemas;
  distribute(catalog, [&](const QualifiedName& relation) { return affected.contains(relation) ? nullptr : &out; });
  return out;
}

// The objects of `catalog` on affected relations, one catalog per group.
std::map<QualifiedName, Catalog> affected_parts(const Catalog& catalog, RelationGroups& affected) {
  std::map<QualifiedName, Catalog> parts;
  for (const auto& [root, group] : affected.groups()) parts[root].schemas = catalog.schemas;
  distribute(catalog, [&](const QualifiedName& relation) -> Catalog* {
    return affected.contains(relation) ? &parts.at(affected.root(relation)) : nullptr;
  });
  return parts;
}

// previous + plan, run by SQLite, must give desired. Every ALTER TABLE makes
// SQLite re-read and check the whole schema, so the replay is done group by
// group (affected_relations), each with its part of previous and the
// statements of its changes, which keeps it linear in the plan's size; what
// no change can affect must be the same in previous and desired.
// `statements_of[i]` are the statements of `changes[i]`, in plan order.
void verify(const Catalog& previous, const Catalog& desired, const std::vector<Change>& changes,
            const std::vector<std::vector<std::string>>& statements_of) {
  RelationGroups affected = affected_relations(previous, desired, changes);
  auto untouched = schema::differences(untouched_part(previous, affected), untouched_part(desired, affected));
  if (!untouched.empty())
    throw VerificationError("the plan leaves out changes to the desired schema", std::move(untouched));

  std::map<QualifiedName, std::string> script_of_group;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const std::set<QualifiedName> named = named_relations(changes[i]);
    if (named.empty()) continue;
    std::string& script = script_of_group[affected.root(*named.begin())];
    for (const auto& sql : statements_of[i]) script += sql + ";\n";
  }
  std::map<QualifiedName, Catalog> desired_parts = affected_parts(desired, affected);
  std::vector<std::string> differences;
  for (const auto& [root, previous_part] : affected_parts(previous, affected)) {
    std::vector<parser::Warning> warnings;
    const auto replay = parser::sqlite_replay(warnings);
    replay->run({"previous schema", catalog_script(previous_part)});
    try {
      replay->run({"plan.sql (the statements on " + quoted(root) + " and what goes with it)", script_of_group[root]});
    } catch (const Error& error) {
      throw VerificationError("the plan does not run in SQLite", {error.render()});
    }
    for (auto& difference : schema::differences(replay->catalog(), desired_parts.at(root)))
      differences.push_back(std::move(difference));
  }
  if (!differences.empty())
    throw VerificationError("the plan does not reach the desired schema", std::move(differences));
}

}  // namespace

Plan plan_sqlite(const Catalog& previous, const Catalog& desired, const PlanOptions& options) {
  std::vector<Change> changes;
  // Renames run first, in SQLite itself: it rewrites every reference to the
  // renamed table or column (foreign keys, indexes, views, triggers), and the
  // rest of the plan starts from what it leaves. SQLite cannot rename an
  // index or a constraint: those hints only confirm that the object exists,
  // and the index is created again, the table rebuilt.
  Catalog renamed = previous;
  if (!options.renames.empty()) {
    std::vector<parser::Warning> warnings;
    const auto replay = parser::sqlite_replay(warnings);
    replay->run({"previous schema", catalog_script(previous)});
    for (const auto& [old_path, new_name] : options.renames) {
      RenameObject rename = resolve_rename(replay->catalog(), old_path, new_name);
      if (rename.kind != RenameKind::Table && rename.kind != RenameKind::Column) continue;
      replay->run({"rename hint " + old_path + "=" + new_name, RenderSqlite{options}(rename).front()});
      changes.emplace_back(std::move(rename));
    }
    renamed = replay->catalog();
  }

  SqliteDiffer differ(renamed, desired, options);
  for (auto& change : differ.run()) changes.push_back(std::move(change));
  if (!options.allow_destructive) refuse_data_loss(changes);
  if (options.require_backfills && !differ.missing_backfills().empty())
    throw MissingBackfill(differ.missing_backfills());

  Plan plan;
  std::vector<std::vector<std::string>> statements_of;
  for (const auto& change : changes) {
    const bool destructive = data_loss(change).has_value();
    std::string note;
    if (const auto* rebuild = std::get_if<RebuildTable>(&change))
      for (const auto& path : differ.missing_backfills())
        if (path.starts_with(rebuild->to.name.schema + "." + rebuild->to.name.name + "."))
          note += (note.empty() ? "" : "; ") + missing_backfill_note(path);
    // The note goes where the value belongs: above the copy of the rows.
    std::vector<std::string>& statements = statements_of.emplace_back(std::visit(RenderSqlite{options}, change));
    const auto copy = std::find_if(statements.begin(), statements.end(),
                                   [](const std::string& sql) { return sql.starts_with("INSERT INTO "); });
    const auto noted = copy == statements.end() ? statements.begin() : copy;
    for (auto sql = statements.begin(); sql != statements.end(); ++sql)
      plan.statements.push_back({*sql, describe(change), true, destructive, std::nullopt, sql == noted ? note : ""});
    if (std::holds_alternative<DropTable>(change) || std::holds_alternative<RebuildTable>(change))
      plan.sqlite_foreign_keys_off = true;
  }
  verify(previous, desired, changes, statements_of);
  return plan;
}

}  // namespace strata::planner
