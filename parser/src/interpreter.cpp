#include "strata/parser/interpreter.h"

#include <algorithm>
#include <set>
#include <utility>

#include "pg_tree.h"
#include "strata/parser/postgres_parser.h"
#include "strata/schema/names.h"
#include "strata/schema/printer.h"
#include "strata/schema/types.h"

namespace strata::parser {
namespace {

using schema::Catalog;
using schema::QualifiedName;

std::string display(const QualifiedName& name) { return schema::qualified_sql(name); }

template <typename Body>
bool holds(const schema::Constraint& constraint) {
  return std::holds_alternative<Body>(constraint.body);
}

// Key columns of a primary key, unique or exclusion constraint.
const std::vector<std::string>* key_columns(const schema::Constraint& constraint) {
  if (const auto* key = std::get_if<schema::PrimaryKey>(&constraint.body)) return &key->columns;
  if (const auto* key = std::get_if<schema::UniqueKey>(&constraint.body)) return &key->columns;
  if (const auto* key = std::get_if<schema::ForeignKey>(&constraint.body)) return &key->columns;
  return nullptr;
}

bool is_index_backed(const schema::Constraint& constraint) {
  return holds<schema::PrimaryKey>(constraint) || holds<schema::UniqueKey>(constraint) ||
         holds<schema::Exclusion>(constraint);
}

void sort_constraints(schema::Table& table) {
  std::sort(table.constraints.begin(), table.constraints.end(),
            [](const schema::Constraint& a, const schema::Constraint& b) { return a.name < b.name; });
}

// Statements after which the constraint-name index may be out of date: any
// that can drop or rename a constraint or a table.
bool may_remove_constraints(const StatementBody& body) {
  return std::holds_alternative<AlterTable>(body) || std::holds_alternative<Drop>(body) ||
         std::holds_alternative<Rename>(body) || std::holds_alternative<AlterDomain>(body);
}

// Statements that only remove objects: TableDependents built before one of
// them still holds every dependent after it (and some that are gone).
bool removes_only(const StatementBody& body) {
  if (std::holds_alternative<Drop>(body)) return true;
  const auto* alter = std::get_if<AlterTable>(&body);
  return alter != nullptr && std::all_of(alter->actions.begin(), alter->actions.end(), [](const auto& action) {
           return std::holds_alternative<DropColumn>(action) || std::holds_alternative<DropConstraint>(action);
         });
}

// Statements after which InheritanceChildren must be built again (ALTER
// TABLE [NO] INHERIT marks it itself, as later actions may need it).
bool may_change_inheritance(const StatementBody& body) {
  return std::holds_alternative<CreateTable>(body) || std::holds_alternative<Drop>(body) ||
         std::holds_alternative<Rename>(body);
}

// Applies one statement; one member function per statement type.
class Apply {
 public:
  using ConstraintNames = std::set<std::pair<std::string, std::string>>;
  using DependentLists = std::map<QualifiedName, std::vector<QualifiedName>>;

  Apply(Catalog& catalog, std::vector<std::string>& search_path, ConstraintNames& constraint_names,
        bool& constraint_names_stale, TableDependents& table_dependents, InheritanceChildren& inheritance_children,
        const Statement& statement)
      : catalog_(catalog),
        search_path_(search_path),
        constraint_names_(constraint_names),
        constraint_names_stale_(constraint_names_stale),
        table_dependents_(table_dependents),
        inheritance_children_(inheritance_children),
        names_may_change_(may_remove_constraints(statement.body)),
        removes_only_(removes_only(statement.body)),
        statement_(statement) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw Error(message, statement_.location, statement_.source_line);
  }
  [[noreturn]] void fail_at(const SourceLocation& location, const std::string& message) const {
    throw Error(message, location);
  }

  // ---- name resolution ------------------------------------------------------

  // The schema a new object goes to: as written, or the first existing schema
  // on search_path.
  QualifiedName creation_name(const QualifiedName& name) const {
    if (!name.schema.empty()) {
      if (name.schema == "pg_catalog" || name.schema == "information_schema")
        fail("cannot create objects in system schema " + name.schema);
      if (!catalog_.schemas.contains(name.schema)) fail("schema \"" + name.schema + "\" does not exist");
      return name;
    }
    for (const auto& schema : search_path_)
      if (catalog_.schemas.contains(schema)) return {schema, name.name};
    fail("no schema has been selected to create in");
  }

  template <typename Exists>
  std::optional<QualifiedName> lookup(const QualifiedName& name, Exists exists) const {
    if (!name.schema.empty()) {
      if (exists(name)) return name;
      return std::nullopt;
    }
    for (const auto& schema : search_path_) {
      QualifiedName candidate{schema, name.name};
      if (exists(candidate)) return candidate;
    }
    return std::nullopt;
  }

  std::optional<QualifiedName> lookup_table(const QualifiedName& name) const {
    return lookup(name, [&](const QualifiedName& n) { return catalog_.tables.contains(n); });
  }

  schema::Table& table(const QualifiedName& name) const {
    const auto resolved = lookup_table(name);
    if (!resolved) fail("relation \"" + display(name) + "\" does not exist");
    return catalog_.tables.at(*resolved);
  }

  void resolve_type(schema::TypeRef& type) const {
    if (type.schema.empty() && schema::builtin_type_name(type.name)) return;
    const auto resolved = lookup({type.schema, type.name}, [&](const QualifiedName& n) { return catalog_.has_type(n); });
    if (resolved) {
      type.schema = resolved->schema;
      return;
    }
    // Types that extensions bring (citext, hstore, vector) are not modelled;
    // with an extension installed, an unknown type is taken to be one of them.
    if (!catalog_.extensions.empty()) return;
    fail("type \"" + display({type.schema, type.name}) + "\" does not exist");
  }

  void check_relation_free(const QualifiedName& name) const {
    if (catalog_.has_relation(name) || catalog_.has_type(name))
      fail("relation \"" + display(name) + "\" already exists");
  }

  // ---- names bound under a search_path of the file's own --------------------

  // The server binds the names in a stored query or expression when it
  // stores it. Under a search_path other than the default one, a name that
  // the default path would not find the same way is written qualified, so
  // that the plans replay it where it was bound.
  bool default_search_path() const { return search_path_.size() == 1 && search_path_.front() == "public"; }

  // Refuses what strata cannot bind as the server would: a routine name that
  // more than one schema on the path holds (the server picks by argument
  // types), a WITH query named like a relation it would qualify.
  std::optional<std::string> binding_schema(pg::NameKind kind, const std::string& name) const {
    const auto is_relation = [&](const QualifiedName& n) {
      return catalog_.tables.contains(n) || catalog_.views.contains(n) || catalog_.sequences.contains(n);
    };
    std::optional<QualifiedName> found;
    switch (kind) {
      case pg::NameKind::Relation: found = lookup({"", name}, is_relation); break;
      case pg::NameKind::WithQueryName:
        if (const auto relation = lookup({"", name}, is_relation); relation && relation->schema != "public")
          fail("\"" + name + "\" names both a WITH query and relation " + display(*relation) +
               " under this search_path: rename the WITH query or qualify the relation");
        return std::nullopt;
      case pg::NameKind::Type:
        found = lookup({"", name}, [&](const QualifiedName& n) { return catalog_.has_type(n); });
        break;
      case pg::NameKind::Function: {
        std::vector<std::string> holders;
        for (const auto& schema : search_path_)
          if (std::any_of(catalog_.functions.begin(), catalog_.functions.end(),
                          [&](const auto& entry) { return entry.second.name == QualifiedName{schema, name}; }))
            holders.push_back(schema);
        if (holders.size() > 1)
          fail("routine " + name + " is defined in schemas " + holders[0] + " and " + holders[1] +
               " on this search_path: qualify the call (strata does not choose by argument types)");
        if (!holders.empty()) found = QualifiedName{holders.front(), name};
        break;
      }
    }
    if (!found || found->schema == "public") return std::nullopt;
    return found->schema;
  }

  pg::SchemaOfName binder() const {
    return [this](pg::NameKind kind, const std::string& name) { return binding_schema(kind, name); };
  }

  void bind_query(std::string& query) const {
    if (!default_search_path()) query = pg::qualify_query(query, binder());
  }

  void bind_expression(std::optional<std::string>& expression) const {
    if (!default_search_path() && expression) expression = pg::qualify_expression(*expression, binder());
  }

  // A regclass (regtype, regproc, regprocedure) column's default names an
  // object the server binds as it casts the default to the column's type:
  // bound as that cast (drop_own_type_cast then takes the cast off again).
  void bind_object_default(std::optional<std::string>& default_expr, const schema::TypeRef& type) const {
    const bool names_object = type.schema.empty() && type.array_dims == 0 &&
                              (type.name == "regclass" || type.name == "regtype" || type.name == "regproc" ||
                               type.name == "regprocedure");
    if (!names_object || !default_expr || default_search_path()) return;
    std::optional<std::string> cast = "(" + *default_expr + ")::" + type.name;
    bind_expression(cast);
    default_expr = std::move(cast);
  }

  void bind_expression(std::string& expression) const {
    std::optional<std::string> bound = std::move(expression);
    bind_expression(bound);
    expression = std::move(*bound);
  }

  bool constraint_name_taken(const std::string& schema, const std::string& name) const {
    // A statement that drops or renames constraints may have done so already.
    if (constraint_names_stale_ || names_may_change_) {
      constraint_names_.clear();
      for (const auto& [table_name, table] : catalog_.tables)
        for (const auto& constraint : table.constraints) constraint_names_.emplace(table_name.schema, constraint.name);
      for (const auto& [domain_name, domain] : catalog_.domains)
        for (const auto& check : domain.checks) constraint_names_.emplace(domain_name.schema, check.name);
      constraint_names_stale_ = false;
    }
    return constraint_names_.contains({schema, name});
  }

  void record_constraint_name(const std::string& schema, const std::string& name) const {
    if (!constraint_names_stale_) constraint_names_.emplace(schema, name);
  }

  // Built again unless only removals happened since it was built; a statement
  // that also adds objects builds it for each use.
  const TableDependents& table_dependents() const {
    if (!table_dependents_.stale && removes_only_) return table_dependents_;
    TableDependents& dependents = table_dependents_ = TableDependents{};
    auto add = [](std::vector<QualifiedName>& list, const QualifiedName& name) {
      if (list.empty() || list.back() != name) list.push_back(name);
    };
    for (const auto& [name, table] : catalog_.tables) {
      for (const auto& parent : table.inherits) add(dependents.tables[parent], name);
      for (const auto& constraint : table.constraints)
        if (const auto* key = std::get_if<schema::ForeignKey>(&constraint.body))
          add(dependents.tables[key->referenced_table], name);
    }
    for (const auto& [name, index] : catalog_.indexes) dependents.indexes[index.table].push_back(name);
    for (const auto& [name, sequence] : catalog_.sequences)
      if (sequence.owned_by) dependents.sequences[sequence.owned_by->table].push_back(name);
    dependents.stale = !removes_only_;
    return dependents;
  }

  static std::vector<QualifiedName> listed(const DependentLists& lists, const QualifiedName& table) {
    const auto found = lists.find(table);
    return found == lists.end() ? std::vector<QualifiedName>{} : found->second;
  }

  // The other tables that inherit from `table` or reference it, in name order.
  std::vector<std::pair<const QualifiedName, schema::Table>*> dependent_tables(const QualifiedName& table) const {
    std::vector<std::pair<const QualifiedName, schema::Table>*> found;
    for (const auto& name : listed(table_dependents().tables, table))
      if (const auto entry = catalog_.tables.find(name); entry != catalog_.tables.end() && name != table)
        found.push_back(&*entry);
    return found;
  }

  // Erases the indexes or sequences listed for `table` that `erase` picks.
  template <typename Objects, typename Erase>
  void erase_dependents(Objects& objects, const DependentLists& lists, const QualifiedName& table, Erase erase) {
    for (const auto& name : listed(lists, table))
      if (const auto found = objects.find(name); found != objects.end() && erase(*found)) objects.erase(found);
  }

  // ---- columns and constraints -------------------------------------------------

  std::string sequence_literal(const QualifiedName& sequence) const {
    // nextval('schema.seq'::regclass), qualified as the inspector reads it
    // back (its search_path is empty).
    return "nextval(" + schema::string_literal(schema::qualified_sql(sequence)) + "::regclass)";
  }

  // Defaults are kept as the inspector reads them back from the server:
  // without a cast of a string literal to the object's own (resolved) type.
  void drop_own_type_cast(std::optional<std::string>& default_expr, const schema::TypeRef& type) const {
    if (default_expr) default_expr = without_cast_to(*default_expr, type, catalog_);
  }

  schema::Column column(const QualifiedName& table_name, const ColumnDefinition& definition) {
    schema::Column column = definition.column;
    bind_expression(column.default_expr);
    bind_expression(column.generated_expr);
    if (definition.serial) {
      const std::string& kind = *definition.serial;
      column.type = {"", kind == "bigserial" ? "bigint" : kind == "smallserial" ? "smallint" : "integer", {}, 0};
      const std::string sequence_name = schema::choose_name(table_name.name, column.name, "seq", [&](const std::string& n) {
        return catalog_.has_relation({table_name.schema, n}) || catalog_.has_type({table_name.schema, n});
      });
      schema::Sequence sequence;
      sequence.name = {table_name.schema, sequence_name};
      sequence.options = schema::resolve_sequence_options({.data_type = column.type});
      sequence.owned_by = schema::ColumnRef{table_name, column.name};
      catalog_.sequences[sequence.name] = sequence;
      column.default_expr = sequence_literal(sequence.name);
      column.not_null = true;
    } else {
      resolve_type(column.type);
      bind_object_default(column.default_expr, column.type);
      drop_own_type_cast(column.default_expr, column.type);
    }
    if (column.identity) {
      if (column.default_expr) fail_at(definition.location, "both default and identity specified for column \"" + column.name + "\"");
      column.identity->options = identity_options(column.identity->options, column.type);
    }
    if (column.generated_expr && column.default_expr)
      fail_at(definition.location, "both default and generation expression specified for column \"" + column.name + "\"");
    return column;
  }

  // The resolved options of an identity on a column of `column_type`.
  schema::SequenceOptions identity_options(schema::SequenceOptions options, const schema::TypeRef& column_type) const {
    if (!schema::is_sequence_type(column_type)) fail("identity column type must be smallint, integer, or bigint");
    if (!options.data_type) options.data_type = column_type;
    return checked_bounds(schema::resolve_sequence_options(options));
  }

  schema::SequenceOptions checked_bounds(schema::SequenceOptions resolved) const {
    if (const auto problem = schema::sequence_bounds_problem(resolved)) fail(*problem);
    return resolved;
  }

  void require_columns(const schema::Table& table, const std::vector<std::string>& columns) const {
    for (const auto& column : columns)
      if (!table.find_column(column)) fail("column \"" + column + "\" named in key does not exist");
  }

  // Adds constraints in the order PostgreSQL names them: checks, then
  // index-backed constraints, then foreign keys.
  void add_constraints(schema::Table& table, const std::vector<ConstraintDefinition>& definitions) {
    auto add_pass = [&](auto accepts) {
      for (const auto& definition : definitions)
        if (accepts(definition.constraint)) add_constraint(table, definition);
    };
    add_pass([](const schema::Constraint& c) { return holds<schema::Check>(c); });
    add_pass([](const schema::Constraint& c) { return is_index_backed(c); });
    add_pass([](const schema::Constraint& c) { return holds<schema::ForeignKey>(c); });
    sort_constraints(table);
  }

  void add_constraint(schema::Table& table, const ConstraintDefinition& definition) {
    schema::Constraint constraint = definition.constraint;
    if (auto* check = std::get_if<schema::Check>(&constraint.body)) bind_expression(check->expression);
    const std::string& schema = table.name.schema;
    if (auto* key = std::get_if<schema::ForeignKey>(&constraint.body)) resolve_foreign_key(table, *key);
    if (const auto* columns = key_columns(constraint)) require_columns(table, *columns);

    if (constraint.name.empty()) {
      // The table may not be in the catalog yet (CREATE TABLE): look at its own constraints too.
      auto constraint_taken = [&](const std::string& n) {
        return table.find_constraint(n) != nullptr || constraint_name_taken(schema, n);
      };
      auto relation_or_constraint_taken = [&](const std::string& n) {
        return catalog_.has_relation({schema, n}) || constraint_taken(n);
      };
      std::visit(
          [&](const auto& body) {
            using Body = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<Body, schema::PrimaryKey>) {
              constraint.name = schema::choose_name(table.name.name, "", "pkey", relation_or_constraint_taken);
            } else if constexpr (std::is_same_v<Body, schema::UniqueKey>) {
              constraint.name = schema::choose_name(table.name.name, schema::column_name_addition(body.columns), "key",
                                                    relation_or_constraint_taken);
            } else if constexpr (std::is_same_v<Body, schema::Exclusion>) {
              std::vector<std::string> names;
              for (const auto& element : body.elements)
                names.push_back(element.element.starts_with("(") ? "expr" : element.element.substr(0, element.element.find(' ')));
              constraint.name = schema::choose_name(table.name.name, schema::column_name_addition(names), "excl",
                                                    relation_or_constraint_taken);
            } else if constexpr (std::is_same_v<Body, schema::ForeignKey>) {
              constraint.name = schema::choose_name(table.name.name, schema::column_name_addition(body.columns), "fkey",
                                                    constraint_taken);
            } else {
              const std::string column = definition.check_columns.size() == 1 ? definition.check_columns[0] : "";
              constraint.name = schema::choose_name(table.name.name, column, "check", constraint_taken);
            }
          },
          constraint.body);
    } else {
      if (table.find_constraint(constraint.name))
        fail("constraint \"" + constraint.name + "\" for relation \"" + table.name.name + "\" already exists");
      if (is_index_backed(constraint) && catalog_.has_relation({schema, constraint.name}))
        fail("relation \"" + constraint.name + "\" already exists");
    }

    if (const auto* key = std::get_if<schema::PrimaryKey>(&constraint.body)) {
      for (const auto& existing : table.constraints)
        if (holds<schema::PrimaryKey>(existing))
          fail("multiple primary keys for table \"" + table.name.name + "\" are not allowed");
      for (const auto& column : key->columns) table.find_column(column)->not_null = true;
    }
    // The columns were read from the check's parse tree: its canonical text
    // need not be parsed again.
    if (holds<schema::Check>(constraint))
      for (const auto& column : definition.check_columns)
        if (!table.find_column(column)) fail("column \"" + column + "\" does not exist");
    record_constraint_name(schema, constraint.name);
    table.constraints.push_back(std::move(constraint));
  }

  void resolve_foreign_key(const schema::Table& table, schema::ForeignKey& key) const {
    const schema::Table* referenced = nullptr;
    const bool self = (key.referenced_table.schema.empty() || key.referenced_table.schema == table.name.schema) &&
                      key.referenced_table.name == table.name.name && !lookup_table(key.referenced_table);
    if (self) {
      referenced = &table;
    } else {
      const auto resolved = lookup_table(key.referenced_table);
      if (!resolved) fail("relation \"" + display(key.referenced_table) + "\" does not exist");
      referenced = resolved == table.name ? &table : &catalog_.tables.at(*resolved);
    }
    key.referenced_table = referenced->name;
    if (key.referenced_columns.empty()) {
      for (const auto& constraint : referenced->constraints)
        if (const auto* primary = std::get_if<schema::PrimaryKey>(&constraint.body)) key.referenced_columns = primary->columns;
      if (key.referenced_columns.empty())
        fail("there is no primary key for referenced table \"" + referenced->name.name + "\"");
    }
    if (key.referenced_columns.size() != key.columns.size())
      fail("number of referencing and referenced columns for foreign key disagree");
    for (const auto& column : key.referenced_columns)
      if (!referenced->find_column(column)) fail("column \"" + column + "\" referenced in foreign key constraint does not exist");
    if (!has_unique_key(*referenced, key.referenced_columns))
      fail("there is no unique constraint matching given keys for referenced table \"" + referenced->name.name + "\"");
  }

  bool has_unique_key(const schema::Table& table, const std::vector<std::string>& columns) const {
    const std::set<std::string> wanted(columns.begin(), columns.end());
    auto matches = [&](const std::vector<std::string>& key) {
      return std::set<std::string>(key.begin(), key.end()) == wanted && key.size() == columns.size();
    };
    for (const auto& constraint : table.constraints) {
      if (const auto* primary = std::get_if<schema::PrimaryKey>(&constraint.body); primary && matches(primary->columns))
        return true;
      if (const auto* unique = std::get_if<schema::UniqueKey>(&constraint.body); unique && matches(unique->columns))
        return true;
    }
    for (const auto& [name, index] : catalog_.indexes) {
      if (index.table != table.name || !index.unique || index.where) continue;
      std::vector<std::string> index_columns;
      for (const auto& element : index.elements) index_columns.push_back(element.column);
      if (matches(index_columns)) return true;
    }
    return false;
  }

  // ---- statements -----------------------------------------------------------

  void operator()(const CreateSchema& s) {
    if (catalog_.schemas.contains(s.name)) {
      if (s.if_not_exists) return;
      fail("schema \"" + s.name + "\" already exists");
    }
    catalog_.schemas[s.name] = schema::Schema{s.name, std::nullopt};
  }

  void operator()(const CreateExtension& s) {
    if (catalog_.extensions.contains(s.extension.name)) {
      if (s.if_not_exists) return;
      fail("extension \"" + s.extension.name + "\" already exists");
    }
    schema::Extension extension = s.extension;
    if (!extension.schema) extension.schema = creation_name({"", extension.name}).schema;
    if (!catalog_.schemas.contains(*extension.schema)) fail("schema \"" + *extension.schema + "\" does not exist");
    catalog_.extensions[extension.name] = extension;
  }

  // Which versions the installed scripts lead to is only known on the server:
  // offline, the catalog takes the version asked for (the default one when
  // none is named, as after a CREATE EXTENSION without VERSION).
  void operator()(const AlterExtension& s) {
    const auto found = catalog_.extensions.find(s.name);
    if (found == catalog_.extensions.end()) fail("extension \"" + s.name + "\" does not exist");
    found->second.version = s.version;
  }

  void operator()(const CreateTable& s) {
    const QualifiedName name = creation_name(s.name);
    if (catalog_.has_relation(name) || catalog_.has_type(name)) {
      if (s.if_not_exists) return;
      fail("relation \"" + display(name) + "\" already exists");
    }
    schema::Table table;
    table.name = name;
    table.unlogged = s.unlogged;
    table.partition_by = s.partition_by;
    table.partition_bound = s.partition_bound;
    for (const auto& parent_name : s.inherits) {
      const schema::Table& parent = this->table(parent_name);
      if (s.partition_bound && !parent.partition_by)
        fail("table \"" + parent.name.name + "\" is not partitioned");
      table.inherits.push_back(parent.name);
      for (const auto& column : parent.columns)
        if (!table.find_column(column.name)) table.columns.push_back(inherited_column(column));
      for (const auto& constraint : parent.constraints) {
        const auto* check = std::get_if<schema::Check>(&constraint.body);
        if (check && !check->no_inherit && !table.find_constraint(constraint.name)) {
          schema::Constraint copy = constraint;
          copy.comment.reset();
          copy.not_valid = false;  // a new table has no rows to doubt
          table.constraints.push_back(copy);
        }
      }
    }
    std::set<std::string> own_columns;
    for (const auto& definition : s.columns) {
      if (!own_columns.insert(definition.column.name).second)
        fail_at(definition.location, "column \"" + definition.column.name + "\" specified more than once");
      schema::Column column = this->column(name, definition);
      if (schema::Column* existing = table.find_column(column.name)) {
        // A column also inherited from a parent merges with it.
        if (!(existing->type == column.type))
          fail_at(definition.location, "column \"" + column.name + "\" has a type conflict with the inherited column");
        if (column.default_expr) existing->default_expr = column.default_expr;
        existing->not_null = existing->not_null || column.not_null;
        // Defined here too, it outlives the parent's; a partition's column options never make it local.
        existing->origin.local = !s.partition_bound;
        continue;
      }
      table.columns.push_back(std::move(column));
    }
    add_constraints(table, s.constraints);
    catalog_.tables[name] = std::move(table);
  }

  void operator()(const CreateIndex& s) {
    const auto table_name = lookup(s.index.table, [&](const QualifiedName& n) {
      return catalog_.tables.contains(n) || (catalog_.views.contains(n) && catalog_.views.at(n).materialized);
    });
    if (!table_name) fail("relation \"" + display(s.index.table) + "\" does not exist");
    schema::Index index = s.index;
    index.table = *table_name;
    for (auto& element : index.elements)
      if (!element.expression.empty()) bind_expression(element.expression);
    bind_expression(index.where);
    const std::string& schema = table_name->schema;
    if (index.name.name.empty()) {
      index.name = {schema, schema::choose_name(table_name->name, schema::column_name_addition(s.element_names),
                                                "idx",
                                                [&](const std::string& n) { return catalog_.has_relation({schema, n}); })};
    } else {
      index.name.schema = schema;
      if (catalog_.has_relation(index.name) || catalog_.has_type(index.name)) {
        if (s.if_not_exists) return;
        fail("relation \"" + index.name.name + "\" already exists");
      }
    }
    if (const auto table = catalog_.tables.find(*table_name); table != catalog_.tables.end()) {
      for (const auto& element : index.elements)
        if (!element.column.empty() && !table->second.find_column(element.column))
          fail("column \"" + element.column + "\" does not exist");
    }
    catalog_.indexes[index.name] = std::move(index);
  }

  void operator()(const CreateEnum& s) {
    schema::Enum type = s.type;
    type.name = creation_name(type.name);
    check_relation_free(type.name);
    std::set<std::string> seen;
    for (const auto& value : type.values) {
      if (value.size() > schema::kMaxIdentifierBytes) fail("invalid enum label \"" + value + "\"");
      if (!seen.insert(value).second) fail("enum label \"" + value + "\" used more than once");
    }
    catalog_.enums[type.name] = std::move(type);
  }

  void operator()(const CreateDomain& s) {
    schema::Domain domain = s.domain;
    domain.name = creation_name(domain.name);
    check_relation_free(domain.name);
    resolve_type(domain.base_type);
    drop_own_type_cast(domain.default_expr, domain.base_type);
    bind_expression(domain.default_expr);
    domain.checks.clear();
    for (auto check : s.domain.checks) {
      bind_expression(check.expression);
      name_domain_check(domain, check);
      record_constraint_name(domain.name.schema, check.name);
      domain.checks.push_back(std::move(check));
    }
    sort_domain_checks(domain);
    catalog_.domains[domain.name] = std::move(domain);
  }

  void name_domain_check(const schema::Domain& domain, schema::DomainCheck& check) const {
    if (!check.name.empty()) {
      for (const auto& existing : domain.checks)
        if (existing.name == check.name)
          fail("constraint \"" + check.name + "\" for domain \"" + domain.name.name + "\" already exists");
      return;
    }
    check.name = schema::choose_name(domain.name.name, "", "check", [&](const std::string& n) {
      if (constraint_name_taken(domain.name.schema, n)) return true;
      return std::any_of(domain.checks.begin(), domain.checks.end(), [&](const auto& c) { return c.name == n; });
    });
  }

  static void sort_domain_checks(schema::Domain& domain) {
    std::sort(domain.checks.begin(), domain.checks.end(),
              [](const schema::DomainCheck& a, const schema::DomainCheck& b) { return a.name < b.name; });
  }

  void operator()(const CreateCompositeType& s) {
    schema::CompositeType type = s.type;
    type.name = creation_name(type.name);
    check_relation_free(type.name);
    for (auto& attribute : type.attributes) resolve_type(attribute.type);
    catalog_.composite_types[type.name] = std::move(type);
  }

  void operator()(const CreateSequence& s) {
    const QualifiedName name = creation_name(s.name);
    if (catalog_.has_relation(name) || catalog_.has_type(name)) {
      if (s.if_not_exists) return;
      fail("relation \"" + display(name) + "\" already exists");
    }
    schema::Sequence sequence;
    sequence.name = name;
    sequence.options = schema::resolve_sequence_options(s.options);
    if (s.owned_by) sequence.owned_by = owner(*s.owned_by);
    catalog_.sequences[name] = std::move(sequence);
  }

  schema::ColumnRef owner(const schema::ColumnRef& ref) const {
    const schema::Table& owner_table = table(ref.table);
    if (!owner_table.find_column(ref.column))
      fail("column \"" + ref.column + "\" of relation \"" + owner_table.name.name + "\" does not exist");
    return {owner_table.name, ref.column};
  }

  void operator()(const AlterSequence& s) {
    const auto name = lookup(s.name, [&](const QualifiedName& n) { return catalog_.sequences.contains(n); });
    if (!name) {
      if (s.if_exists) return;
      fail("relation \"" + display(s.name) + "\" does not exist");
    }
    schema::Sequence& sequence = catalog_.sequences.at(*name);
    merge_sequence_options(sequence.options, s.options, s.cycle);
    checked_bounds(sequence.options);
    if (s.owned_by) sequence.owned_by = owner(*s.owned_by);
    if (s.owned_by_none) sequence.owned_by.reset();
  }

  static void merge_sequence_options(schema::SequenceOptions& target, const schema::SequenceOptions& given,
                                     std::optional<bool> cycle) {
    if (given.data_type) target = schema::retyped_sequence_options(target, *given.data_type);
    if (given.increment) target.increment = given.increment;
    if (given.min_value) target.min_value = given.min_value;
    if (given.max_value) target.max_value = given.max_value;
    if (given.start) target.start = given.start;
    if (given.cache) target.cache = given.cache;
    if (cycle) target.cycle = *cycle;
  }

  schema::Dependencies resolve_dependencies(const schema::Dependencies& written, bool required) const {
    schema::Dependencies resolved;
    for (const auto& relation : written.relations) {
      const auto found = lookup(relation, [&](const QualifiedName& n) {
        return catalog_.tables.contains(n) || catalog_.views.contains(n) || catalog_.sequences.contains(n);
      });
      if (found) {
        resolved.relations.push_back(*found);
      } else if (required) {
        fail("relation \"" + display(relation) + "\" does not exist");
      }
    }
    for (const auto& function : written.functions) {
      const auto found = lookup(function, [&](const QualifiedName& n) {
        return std::any_of(catalog_.functions.begin(), catalog_.functions.end(),
                           [&](const auto& entry) { return entry.second.name == n; });
      });
      if (found) resolved.functions.push_back(*found);
    }
    std::sort(resolved.relations.begin(), resolved.relations.end());
    resolved.relations.erase(std::unique(resolved.relations.begin(), resolved.relations.end()), resolved.relations.end());
    std::sort(resolved.functions.begin(), resolved.functions.end());
    resolved.functions.erase(std::unique(resolved.functions.begin(), resolved.functions.end()), resolved.functions.end());
    return resolved;
  }

  void operator()(const CreateView& s) {
    schema::View view = s.view;
    bind_query(view.query);
    view.name = creation_name(view.name);
    view.depends_on = resolve_dependencies(view.depends_on, true);
    if (const auto existing = catalog_.views.find(view.name); existing != catalog_.views.end()) {
      if (s.if_not_exists) return;
      if (!s.or_replace || existing->second.materialized != view.materialized)
        fail("relation \"" + display(view.name) + "\" already exists");
      view.comment = existing->second.comment;
      existing->second = std::move(view);
      return;
    }
    check_relation_free(view.name);
    catalog_.views[view.name] = std::move(view);
  }

  void operator()(const CreateFunction& s) {
    schema::Function function = s.function;
    function.name = creation_name(function.name);
    for (auto& arg : function.args) {
      resolve_type(arg.type);
      drop_own_type_cast(arg.default_expr, arg.type);
    }
    if (function.returns) resolve_type(*function.returns);
    function.depends_on = resolve_dependencies(function.depends_on, false);
    const std::string signature = function.signature();
    if (const auto existing = catalog_.functions.find(signature); existing != catalog_.functions.end()) {
      if (!s.or_replace) fail("function " + signature + " already exists with same argument types");
      function.comment = existing->second.comment;
      existing->second = std::move(function);
      return;
    }
    catalog_.functions[signature] = std::move(function);
  }

  void operator()(const CreateTrigger& s) {
    schema::Trigger trigger = s.trigger;
    const auto table_name = lookup(trigger.table, [&](const QualifiedName& n) {
      return catalog_.tables.contains(n) || catalog_.views.contains(n);
    });
    if (!table_name) fail("relation \"" + display(trigger.table) + "\" does not exist");
    trigger.table = *table_name;
    const auto function = lookup(trigger.function, [&](const QualifiedName& n) {
      return std::any_of(catalog_.functions.begin(), catalog_.functions.end(),
                         [&](const auto& entry) { return entry.second.name == n && entry.second.args.empty(); });
    });
    if (!function) fail("function " + display(trigger.function) + "() does not exist");
    trigger.function = *function;
    const schema::TriggerKey key{trigger.table, trigger.name};
    if (const auto existing = catalog_.triggers.find(key); existing != catalog_.triggers.end()) {
      if (!s.or_replace)
        fail("trigger \"" + trigger.name + "\" for relation \"" + trigger.table.name + "\" already exists");
      trigger.comment = existing->second.comment;
      existing->second = std::move(trigger);
      return;
    }
    catalog_.triggers[key] = std::move(trigger);
  }

  void operator()(const CreatePolicy& s) {
    schema::Policy policy = s.policy;
    bind_expression(policy.using_expr);
    bind_expression(policy.check_expr);
    policy.table = table(policy.table).name;
    if (policy.roles.empty()) policy.roles = {"public"};
    const schema::TriggerKey key{policy.table, policy.name};
    if (catalog_.policies.contains(key))
      fail("policy \"" + policy.name + "\" for table \"" + policy.table.name + "\" already exists");
    catalog_.policies[key] = std::move(policy);
  }

  void operator()(const AlterPolicy& s) {
    schema::Policy& policy = existing_policy(s.table, s.name);
    if (s.roles) policy.roles = *s.roles;
    if (s.using_expr) policy.using_expr = s.using_expr;
    if (s.check_expr) policy.check_expr = s.check_expr;
  }

  schema::Policy& existing_policy(const QualifiedName& table_name, const std::string& name) const {
    const QualifiedName resolved = table(table_name).name;
    const auto found = catalog_.policies.find({resolved, name});
    if (found == catalog_.policies.end())
      fail("policy \"" + name + "\" for table \"" + resolved.name + "\" does not exist");
    return found->second;
  }

  // ---- ALTER TABLE --------------------------------------------------------------

  void operator()(const AlterTable& s) {
    const auto name = lookup_table(s.name);
    if (!name) {
      if (s.if_exists) return;
      fail("relation \"" + display(s.name) + "\" does not exist");
    }
    recurse_ = !s.only;
    for (const auto& action : s.actions) {
      schema::Table& table = catalog_.tables.at(*name);
      std::visit([&](const auto& a) { alter(table, a); }, action);
    }
  }

  schema::Column& existing_column(schema::Table& table, const std::string& column) const {
    schema::Column* found = table.find_column(column);
    if (!found) fail("column \"" + column + "\" of relation \"" + table.name.name + "\" does not exist");
    return *found;
  }

  // A parent's copy of a column as a child (or a partition) gets it: without
  // the parent's identity and comment, defined only by the parent.
  static schema::Column inherited_column(const schema::Column& column) {
    schema::Column inherited = column;
    inherited.identity.reset();
    inherited.comment.reset();
    inherited.origin.local = false;
    return inherited;
  }

  // The tables that inherit from `table` directly (partitions included), from
  // an index kept between statements (InheritanceChildren): table_dependents()
  // is built again for each use in a statement that adds objects, as ADD
  // COLUMN does.
  std::vector<schema::Table*> children(const QualifiedName& table) const {
    if (inheritance_children_.stale) {
      inheritance_children_.of.clear();
      for (const auto& [name, other] : catalog_.tables)
        for (const auto& parent : other.inherits) inheritance_children_.of[parent].push_back(name);
      inheritance_children_.stale = false;
    }
    std::vector<schema::Table*> found;
    if (const auto listed = inheritance_children_.of.find(table); listed != inheritance_children_.of.end())
      for (const auto& name : listed->second)
        if (const auto child = catalog_.tables.find(name); child != catalog_.tables.end()) found.push_back(&child->second);
    return found;
  }

  // True when a parent of `table` other than `except` has `column`.
  bool inherited_elsewhere(const schema::Table& table, const std::string& column, const QualifiedName& except) const {
    return std::any_of(table.inherits.begin(), table.inherits.end(), [&](const QualifiedName& parent) {
      const auto found = catalog_.tables.find(parent);
      return parent != except && found != catalog_.tables.end() && found->second.find_column(column) != nullptr;
    });
  }

  // The server adds the column to every descendant too: a child that has a
  // column of that name already merges with it (the types must agree), the
  // others get the parent's definition as an inherited column.
  void alter(schema::Table& table, const AddColumn& a) {
    if (table.find_column(a.column.column.name)) {
      if (a.if_not_exists) return;
      fail("column \"" + a.column.column.name + "\" of relation \"" + table.name.name + "\" already exists");
    }
    if (!recurse_ && !children(table.name).empty()) fail("column must be added to child tables too");
    table.columns.push_back(column(table.name, a.column));
    add_constraints(table, a.constraints);
    add_to_children(table.name, table.columns.back());
  }

  void add_to_children(const QualifiedName& parent, const schema::Column& column) {
    for (schema::Table* child : children(parent)) {
      if (const schema::Column* existing = child->find_column(column.name)) {
        if (!(existing->type == column.type))
          fail("child table \"" + child->name.name + "\" has different type for column \"" + column.name + "\"");
        continue;
      }
      if (column.identity) fail("cannot recursively add identity column to table that has child tables");
      child->columns.push_back(inherited_column(column));
      add_to_children(child->name, child->columns.back());
    }
  }

  // Indexes, constraints and owned sequences that go with a dropped column.
  // A child's column goes with its parent's when the child only inherits it
  // from that parent (the server's attislocal and attinhcount); one the child
  // defines itself, or inherits from another parent too, stays.
  void alter(schema::Table& table, const DropColumn& a) {
    if (!table.find_column(a.column)) {
      if (a.if_exists) return;
      fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" does not exist");
    }
    if (inherited_elsewhere(table, a.column, {})) fail("cannot drop inherited column \"" + a.column + "\"");
    refuse_partition_key_column(table, "drop", a.column);
    for (const auto* entry : dependent_tables(table.name)) {
      const auto& [other_name, other] = *entry;
      for (const auto& constraint : other.constraints) {
        const auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
        if (!key || key->referenced_table != table.name) continue;
        if (std::find(key->referenced_columns.begin(), key->referenced_columns.end(), a.column) ==
            key->referenced_columns.end())
          continue;
        if (!a.cascade)
          fail("cannot drop column " + a.column + " of table " + table.name.name +
               " because other objects depend on it (constraint " + constraint.name + " on table " + other_name.name + ")");
      }
    }
    std::erase_if(table.constraints,
                  [&](const schema::Constraint& constraint) { return constraint_uses_column(constraint, a.column); });
    drop_foreign_keys_to(table.name, a.column);
    erase_dependents(catalog_.indexes, table_dependents().indexes, table.name, [&](const auto& entry) {
      return entry.second.table == table.name && index_uses_column(entry.second, a.column);
    });
    erase_dependents(catalog_.sequences, table_dependents().sequences, table.name, [&](const auto& entry) {
      return entry.second.owned_by && entry.second.owned_by->table == table.name && entry.second.owned_by->column == a.column;
    });
    std::erase_if(table.columns, [&](const schema::Column& c) { return c.name == a.column; });
    // With ONLY, such a column stays as the child's own.
    for (schema::Table* child : children(table.name)) {
      schema::Column* inherited = child->find_column(a.column);
      if (!inherited || inherited->origin.local || inherited_elsewhere(*child, a.column, table.name)) continue;
      if (recurse_)
        alter(*child, DropColumn{a.column, false, a.cascade});
      else
        inherited->origin.local = true;
    }
  }

  static bool constraint_uses_column(const schema::Constraint& constraint, const std::string& column) {
    if (const auto* columns = key_columns(constraint))
      if (std::find(columns->begin(), columns->end(), column) != columns->end()) return true;
    if (const auto* check = std::get_if<schema::Check>(&constraint.body)) {
      const auto used = pg::expression_columns(check->expression);
      return std::find(used.begin(), used.end(), column) != used.end();
    }
    if (const auto* exclusion = std::get_if<schema::Exclusion>(&constraint.body)) {
      for (const auto& element : exclusion->elements) {
        // "column [opclass]" or "(expression) [opclass]"
        const std::string& text = element.element;
        const std::string expression =
            text.starts_with("(") ? text.substr(0, text.rfind(')') + 1) : text.substr(0, text.find(' '));
        const auto used = pg::expression_columns(expression);
        if (std::find(used.begin(), used.end(), column) != used.end()) return true;
      }
    }
    return false;
  }

  static bool index_uses_column(const schema::Index& index, const std::string& column) {
    for (const auto& element : index.elements) {
      if (element.column == column) return true;
      if (!element.expression.empty()) {
        const auto used = pg::expression_columns(element.expression);
        if (std::find(used.begin(), used.end(), column) != used.end()) return true;
      }
    }
    if (std::find(index.include.begin(), index.include.end(), column) != index.include.end()) return true;
    if (index.where) {
      const auto used = pg::expression_columns(*index.where);
      if (std::find(used.begin(), used.end(), column) != used.end()) return true;
    }
    return false;
  }

  // Foreign keys elsewhere that reference `table` (and `column`, if given).
  void drop_foreign_keys_to(const QualifiedName& table, const std::string& column = {}) {
    for (auto* entry : dependent_tables(table)) {
      auto& [other_name, other] = *entry;
      std::erase_if(other.constraints, [&](const schema::Constraint& constraint) {
        const auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
        if (!key || key->referenced_table != table || other_name == table) return false;
        return column.empty() || std::find(key->referenced_columns.begin(), key->referenced_columns.end(), column) !=
                                     key->referenced_columns.end();
      });
    }
  }

  void refuse_partition_key_column(const schema::Table& table, const std::string& verb, const std::string& column) {
    const std::vector<std::string> key = partition_key_columns(table.partition_by);
    if (std::find(key.begin(), key.end(), column) != key.end())
      fail("cannot " + verb + " column \"" + column + "\" because it is part of the partition key of relation \"" +
           table.name.name + "\"");
  }

  // The server changes the type in every descendant too, and only there: a
  // child's inherited column follows its parent's type.
  void alter(schema::Table& table, const AlterColumnType& a) {
    schema::Column& column = existing_column(table, a.column);
    if (!recursing_ && inherited_elsewhere(table, a.column, {}))
      fail("cannot alter inherited column \"" + a.column + "\"");
    refuse_partition_key_column(table, "alter", a.column);
    const std::vector<schema::Table*> heirs = with_column(children(table.name), a.column);
    if (!recurse_ && !heirs.empty()) fail("type of inherited column \"" + a.column + "\" must be changed in child tables too");
    schema::TypeRef type = a.type;
    resolve_type(type);
    column.type = type;
    // The identity's sequence takes the new type with it.
    if (column.identity)
      column.identity->options = identity_options(schema::retyped_sequence_options(column.identity->options, type), type);
    column.collation = a.collation;  // without COLLATE, the new type's default
    for_children(heirs, [&](schema::Table& child) { alter(child, a); });
  }

  void alter(schema::Table& table, const SetColumnDefault& a) {
    schema::Column& column = existing_column(table, a.column);
    if (a.default_expr && column.identity)
      fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" is an identity column");
    if (a.default_expr && column.generated_expr)
      fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" is a generated column");
    column.default_expr = a.default_expr;
    bind_expression(column.default_expr);
    drop_own_type_cast(column.default_expr, column.type);
    // The server sets it on the children's column too, unless ONLY.
    if (recurse_)
      for (schema::Table* child : children(table.name))
        if (child->find_column(a.column)) alter(*child, a);
  }

  void alter(schema::Table& table, const SetColumnNotNull& a) {
    schema::Column& column = existing_column(table, a.column);
    if (!a.not_null) {
      for (const auto& constraint : table.constraints)
        if (const auto* key = std::get_if<schema::PrimaryKey>(&constraint.body))
          if (std::find(key->columns.begin(), key->columns.end(), a.column) != key->columns.end())
            fail("column \"" + a.column + "\" is in a primary key");
      if (column.identity) fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" is an identity column");
    }
    // A child keeps NOT NULL while a parent has it; the parent's change
    // reaches the children first (before PostgreSQL 17, NOT NULL is no
    // inherited constraint but is passed down like one).
    if (!a.not_null && !recursing_)
      for (const auto& parent : table.inherits)
        if (const auto found = catalog_.tables.find(parent); found != catalog_.tables.end())
          if (const schema::Column* inherited = found->second.find_column(a.column); inherited && inherited->not_null)
            fail("column \"" + a.column + "\" is marked NOT NULL in parent table");
    const std::vector<schema::Table*> heirs = with_column(children(table.name), a.column);
    if (a.not_null && !recurse_ && !heirs.empty()) fail("constraint must be added to child tables too");
    column.not_null = a.not_null;
    if (recurse_) for_children(heirs, [&](schema::Table& child) { alter(child, a); });
  }

  static std::vector<schema::Table*> with_column(std::vector<schema::Table*> tables, const std::string& column) {
    std::erase_if(tables, [&](const schema::Table* table) { return table->find_column(column) == nullptr; });
    return tables;
  }

  // Applies `change` to each child as the server's recursion does: the checks
  // that refuse a statement written on a child itself do not apply.
  template <typename Change>
  void for_children(const std::vector<schema::Table*>& children, const Change& change) {
    const bool was_recursing = std::exchange(recursing_, true);
    for (schema::Table* child : children) change(*child);
    recursing_ = was_recursing;
  }

  void alter(schema::Table& table, const AddIdentity& a) {
    schema::Column& column = existing_column(table, a.column);
    if (!column.not_null)
      fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" must be declared NOT NULL before identity can be added");
    if (column.identity) fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" is already an identity column");
    if (column.default_expr) fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" already has a default value");
    schema::Identity identity = a.identity;
    identity.options = identity_options(identity.options, column.type);
    column.identity = identity;
  }

  void alter(schema::Table& table, const SetIdentity& a) {
    schema::Column& column = existing_column(table, a.column);
    if (!column.identity) fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" is not an identity column");
    if (a.kind) column.identity->kind = *a.kind;
    merge_sequence_options(column.identity->options, a.options, a.cycle);
    checked_bounds(column.identity->options);
  }

  void alter(schema::Table& table, const DropIdentity& a) {
    schema::Column& column = existing_column(table, a.column);
    if (!column.identity) {
      if (a.if_exists) return;
      fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" is not an identity column");
    }
    column.identity.reset();
  }

  void alter(schema::Table& table, const DropExpression& a) {
    schema::Column& column = existing_column(table, a.column);
    if (!column.generated_expr) {
      if (a.if_exists) return;
      fail("column \"" + a.column + "\" of relation \"" + table.name.name + "\" is not a stored generated column");
    }
    column.generated_expr.reset();
  }

  // A CHECK (unless NO INHERIT) reaches the descendants, as it does at
  // their creation; one of the same name there is theirs already.
  void alter(schema::Table& table, const AddConstraint& a) {
    std::set<std::string> names_before;
    for (const auto& constraint : table.constraints) names_before.insert(constraint.name);
    add_constraints(table, {a.constraint});
    const auto added = std::find_if(table.constraints.begin(), table.constraints.end(), [&](const auto& constraint) {
      return !names_before.contains(constraint.name);
    });
    // CREATE TABLE validates every constraint; ALTER TABLE ... NOT VALID leaves it so.
    if (added != table.constraints.end()) added->not_valid = a.constraint.not_valid;
    const auto* check = std::get_if<schema::Check>(&a.constraint.constraint.body);
    if (!recurse_ || check == nullptr || check->no_inherit) return;
    if (added == table.constraints.end()) return;
    ConstraintDefinition inherited{*added, a.constraint.check_columns, a.constraint.not_valid};
    inherited.constraint.comment.reset();
    for_children(children(table.name), [&](schema::Table& child) {
      if (!child.find_constraint(inherited.constraint.name)) alter(child, AddConstraint{inherited});
    });
  }

  void alter(schema::Table& table, const DropConstraint& a) {
    const schema::Constraint* constraint = table.find_constraint(a.name);
    if (!constraint) {
      if (a.if_exists) return;
      fail("constraint \"" + a.name + "\" of relation \"" + table.name.name + "\" does not exist");
    }
    if (holds<schema::PrimaryKey>(*constraint) || holds<schema::UniqueKey>(*constraint)) {
      // A foreign key depends on the key whose columns it references, in any order.
      const auto* columns = key_columns(*constraint);
      const std::set<std::string> key(columns->begin(), columns->end());
      auto references_key = [&](const schema::Constraint& c) {
        const auto* foreign = std::get_if<schema::ForeignKey>(&c.body);
        return foreign && foreign->referenced_table == table.name &&
               std::set<std::string>(foreign->referenced_columns.begin(), foreign->referenced_columns.end()) == key;
      };
      for (auto& [other_name, other] : catalog_.tables)
        for (const auto& other_constraint : other.constraints)
          if (references_key(other_constraint) && !a.cascade)
            fail("cannot drop constraint " + a.name + " on table " + table.name.name +
                 " because other objects depend on it (constraint " + other_constraint.name + " on table " +
                 other_name.name + ")");
      for (auto& [other_name, other] : catalog_.tables) std::erase_if(other.constraints, references_key);
    }
    const schema::Constraint dropped = *constraint;
    std::erase_if(table.constraints, [&](const schema::Constraint& c) { return c.name == a.name; });
    // The descendants' copies of a CHECK go with it.
    for_copies_in_children(table, dropped, a);
  }

  // Applies `a` (recursing as the server does) to the children's copies of
  // a CHECK: theirs of the same name and expression.
  template <typename Action>
  void for_copies_in_children(const schema::Table& table, const schema::Constraint& check, const Action& a) {
    if (!recurse_ || !holds<schema::Check>(check)) return;
    for_children(children(table.name), [&](schema::Table& child) {
      const schema::Constraint* copy = child.find_constraint(check.name);
      if (copy != nullptr && copy->body == check.body) alter(child, a);
    });
  }

  // The server validates the descendants' copies of a CHECK too.
  void alter(schema::Table& table, const ValidateConstraint& a) {
    const auto constraint = std::find_if(table.constraints.begin(), table.constraints.end(),
                                         [&](const schema::Constraint& c) { return c.name == a.name; });
    if (constraint == table.constraints.end())
      fail("constraint \"" + a.name + "\" of relation \"" + table.name.name + "\" does not exist");
    constraint->not_valid = false;
    for_copies_in_children(table, *constraint, a);
  }

  void alter(schema::Table& table, const SetLogged& a) { table.unlogged = !a.logged; }

  void alter(schema::Table& table, const SetRowSecurity& a) {
    if (a.enabled) table.row_security = *a.enabled;
    if (a.forced) table.force_row_security = *a.forced;
  }

  void alter(schema::Table& table, const AddInherit& a) {
    const schema::Table& parent = this->table(a.parent);
    if (std::find(table.inherits.begin(), table.inherits.end(), parent.name) != table.inherits.end())
      fail("relation \"" + parent.name.name + "\" would be inherited from more than once");
    table.inherits.push_back(parent.name);
    inheritance_children_.stale = true;
  }

  void alter(schema::Table& table, const DropInherit& a) {
    const auto parent = lookup_table(a.parent);
    if (!parent || std::find(table.inherits.begin(), table.inherits.end(), *parent) == table.inherits.end())
      fail("relation \"" + display(a.parent) + "\" is not a parent of relation \"" + table.name.name + "\"");
    // A column no parent provides any more becomes the table's own.
    const schema::Table& former = catalog_.tables.at(*parent);
    for (auto& column : table.columns)
      if (former.find_column(column.name) && !inherited_elsewhere(table, column.name, *parent)) column.origin.local = true;
    std::erase(table.inherits, *parent);
    inheritance_children_.stale = true;
  }

  // ---- enums and domains ------------------------------------------------------

  schema::Enum& existing_enum(const QualifiedName& name) const {
    const auto resolved = lookup(name, [&](const QualifiedName& n) { return catalog_.enums.contains(n); });
    if (!resolved) fail("type \"" + display(name) + "\" does not exist");
    return catalog_.enums.at(*resolved);
  }

  void operator()(const AddEnumValue& s) {
    schema::Enum& type = existing_enum(s.type);
    if (std::find(type.values.begin(), type.values.end(), s.value) != type.values.end()) {
      if (s.if_not_exists) return;
      fail("enum label \"" + s.value + "\" already exists");
    }
    auto position = type.values.end();
    if (s.neighbour) {
      position = std::find(type.values.begin(), type.values.end(), *s.neighbour);
      if (position == type.values.end()) fail("\"" + *s.neighbour + "\" is not an existing enum label");
      if (s.after) ++position;
    }
    type.values.insert(position, s.value);
  }

  void operator()(const RenameEnumValue& s) {
    schema::Enum& type = existing_enum(s.type);
    const auto from = std::find(type.values.begin(), type.values.end(), s.from);
    if (from == type.values.end()) fail("\"" + s.from + "\" is not an existing enum label");
    if (std::find(type.values.begin(), type.values.end(), s.to) != type.values.end())
      fail("enum label \"" + s.to + "\" already exists");
    *from = s.to;
  }

  void operator()(const AlterDomain& s) {
    const auto name = lookup(s.name, [&](const QualifiedName& n) { return catalog_.domains.contains(n); });
    if (!name) fail("type \"" + display(s.name) + "\" does not exist");
    schema::Domain& domain = catalog_.domains.at(*name);
    switch (s.alteration) {
      case DomainAlteration::SetDefault:
        domain.default_expr = s.default_expr;
        bind_expression(domain.default_expr);
        drop_own_type_cast(domain.default_expr, domain.base_type);
        break;
      case DomainAlteration::DropDefault: domain.default_expr.reset(); break;
      case DomainAlteration::SetNotNull: domain.not_null = true; break;
      case DomainAlteration::DropNotNull: domain.not_null = false; break;
      case DomainAlteration::AddCheck: {
        schema::DomainCheck check = *s.check;
        bind_expression(check.expression);
        name_domain_check(domain, check);
        domain.checks.push_back(std::move(check));
        sort_domain_checks(domain);
        break;
      }
      case DomainAlteration::DropCheck: {
        const auto removed = std::erase_if(domain.checks, [&](const auto& c) { return c.name == s.constraint_name; });
        if (removed == 0 && !s.if_exists)
          fail("constraint \"" + s.constraint_name + "\" of domain \"" + domain.name.name + "\" does not exist");
        break;
      }
      case DomainAlteration::ValidateCheck:
        if (std::none_of(domain.checks.begin(), domain.checks.end(), [&](const auto& c) { return c.name == s.constraint_name; }))
          fail("constraint \"" + s.constraint_name + "\" of domain \"" + domain.name.name + "\" does not exist");
        break;
    }
  }

  // ---- DROP ---------------------------------------------------------------------

  void operator()(const Drop& s) {
    for (const auto& object : s.objects) drop(object, s.if_exists, s.cascade);
  }

  [[noreturn]] void fail_dependents(const std::string& object, const std::string& dependent) const {
    fail("cannot drop " + object + " because other objects depend on it (" + dependent +
         "); use DROP ... CASCADE to drop the dependent objects too");
  }

  void drop(const ObjectRef& object, bool if_exists, bool cascade) {
    switch (object.kind) {
      case ObjectKind::Table: return drop_table(object.name, if_exists, cascade);
      case ObjectKind::View:
      case ObjectKind::MaterializedView: {
        const bool materialized = object.kind == ObjectKind::MaterializedView;
        const auto name = lookup(object.name, [&](const QualifiedName& n) {
          return catalog_.views.contains(n) && catalog_.views.at(n).materialized == materialized;
        });
        if (!name) {
          if (if_exists) return;
          fail(std::string(materialized ? "materialized view" : "view") + " \"" + display(object.name) + "\" does not exist");
        }
        return drop_view(*name, cascade);
      }
      case ObjectKind::Index: {
        const auto name = lookup(object.name, [&](const QualifiedName& n) { return catalog_.indexes.contains(n); });
        if (!name) {
          if (if_exists) return;
          fail("index \"" + display(object.name) + "\" does not exist");
        }
        catalog_.indexes.erase(*name);
        return;
      }
      case ObjectKind::Sequence: {
        const auto name = lookup(object.name, [&](const QualifiedName& n) { return catalog_.sequences.contains(n); });
        if (!name) {
          if (if_exists) return;
          fail("sequence \"" + display(object.name) + "\" does not exist");
        }
        // nextval('s.seq') names it qualified; nextval('seq') names public's
        // (stored defaults are bound: another schema's is written qualified).
        const std::string qualified = schema::string_literal(schema::qualified_sql(*name));
        const std::string bare = schema::string_literal(schema::quote_identifier(name->name));
        const auto reads_sequence = [&](const std::string& expression) {
          return expression.find(qualified) != std::string::npos ||
                 (name->schema == "public" && expression.find(bare) != std::string::npos);
        };
        for (auto& [table_name, table] : catalog_.tables)
          for (auto& column : table.columns)
            if (column.default_expr && column.default_expr->starts_with("nextval(") &&
                reads_sequence(*column.default_expr)) {
              if (!cascade) fail_dependents("sequence " + name->name, "default value for column " + column.name + " of table " + table_name.name);
              column.default_expr.reset();
            }
        catalog_.sequences.erase(*name);
        return;
      }
      case ObjectKind::Type:
      case ObjectKind::Domain: return drop_type(object, if_exists, cascade);
      case ObjectKind::Function:
      case ObjectKind::Procedure: {
        const auto signature = find_function(object, if_exists);
        if (!signature) return;
        const schema::Function& function = catalog_.functions.at(*signature);
        for (const auto& [key, trigger] : catalog_.triggers)
          if (trigger.function == function.name && !cascade)
            fail_dependents("function " + *signature, "trigger " + trigger.name + " on table " + trigger.table.name);
        std::erase_if(catalog_.triggers, [&](const auto& entry) { return entry.second.function == function.name; });
        catalog_.functions.erase(*signature);
        return;
      }
      case ObjectKind::Trigger: {
        const auto table_name = lookup(object.parent, [&](const QualifiedName& n) {
          return catalog_.tables.contains(n) || catalog_.views.contains(n);
        });
        if (!table_name) fail("relation \"" + display(object.parent) + "\" does not exist");
        if (catalog_.triggers.erase({*table_name, object.name.name}) == 0 && !if_exists)
          fail("trigger \"" + object.name.name + "\" for table \"" + table_name->name + "\" does not exist");
        return;
      }
      case ObjectKind::Policy: {
        const QualifiedName table_name = table(object.parent).name;
        if (catalog_.policies.erase({table_name, object.name.name}) == 0 && !if_exists)
          fail("policy \"" + object.name.name + "\" for table \"" + table_name.name + "\" does not exist");
        return;
      }
      case ObjectKind::Schema: {
        const std::string& name = object.name.name;
        if (!catalog_.schemas.contains(name)) {
          if (if_exists) return;
          fail("schema \"" + name + "\" does not exist");
        }
        drop_schema(name, cascade);
        return;
      }
      case ObjectKind::Extension:
        if (catalog_.extensions.erase(object.name.name) == 0 && !if_exists)
          fail("extension \"" + object.name.name + "\" does not exist");
        return;
      default: fail("DROP of this kind of object is not supported");
    }
  }

  void drop_table(const QualifiedName& written, bool if_exists, bool cascade) {
    const auto name = lookup_table(written);
    if (!name) {
      if (if_exists) return;
      fail("table \"" + display(written) + "\" does not exist");
    }
    for (const auto* entry : dependent_tables(*name)) {
      const auto& [other_name, other] = *entry;
      if (std::find(other.inherits.begin(), other.inherits.end(), *name) != other.inherits.end()) {
        if (!cascade) fail_dependents("table " + name->name, "table " + other_name.name + " inherits from it");
        drop_table(other_name, true, true);
        return drop_table(*name, if_exists, cascade);
      }
      for (const auto& constraint : other.constraints) {
        const auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
        if (key && key->referenced_table == *name && !cascade)
          fail_dependents("table " + name->name, "constraint " + constraint.name + " on table " + other_name.name);
      }
    }
    drop_dependent_views(*name, cascade, "table " + name->name);
    drop_foreign_keys_to(*name);
    erase_dependents(catalog_.indexes, table_dependents().indexes, *name,
                     [&](const auto& entry) { return entry.second.table == *name; });
    std::erase_if(catalog_.triggers, [&](const auto& entry) { return entry.second.table == *name; });
    std::erase_if(catalog_.policies, [&](const auto& entry) { return entry.second.table == *name; });
    erase_dependents(catalog_.sequences, table_dependents().sequences, *name,
                     [&](const auto& entry) { return entry.second.owned_by && entry.second.owned_by->table == *name; });
    catalog_.tables.erase(*name);
  }

  void drop_dependent_views(const QualifiedName& relation, bool cascade, const std::string& what) {
    std::vector<QualifiedName> dependents;
    for (const auto& [view_name, view] : catalog_.views)
      if (std::find(view.depends_on.relations.begin(), view.depends_on.relations.end(), relation) !=
          view.depends_on.relations.end())
        dependents.push_back(view_name);
    for (const auto& dependent : dependents) {
      if (!cascade) fail_dependents(what, "view " + dependent.name);
      if (catalog_.views.contains(dependent)) drop_view(dependent, true);
    }
  }

  void drop_view(const QualifiedName& name, bool cascade) {
    drop_dependent_views(name, cascade, "view " + name.name);
    std::erase_if(catalog_.indexes, [&](const auto& entry) { return entry.second.table == name; });
    std::erase_if(catalog_.triggers, [&](const auto& entry) { return entry.second.table == name; });
    catalog_.views.erase(name);
  }

  static bool uses_type(const schema::TypeRef& type, const QualifiedName& name) {
    return type.schema == name.schema && type.name == name.name;
  }

  void drop_type(const ObjectRef& object, bool if_exists, bool cascade) {
    const bool domain = object.kind == ObjectKind::Domain;
    const auto name = lookup(object.name, [&](const QualifiedName& n) {
      return domain ? catalog_.domains.contains(n) : (catalog_.enums.contains(n) || catalog_.composite_types.contains(n));
    });
    if (!name) {
      if (if_exists) return;
      fail("type \"" + display(object.name) + "\" does not exist");
    }
    for (auto& [table_name, table] : catalog_.tables) {
      for (const auto& column : table.columns) {
        if (!uses_type(column.type, *name)) continue;
        if (!cascade) fail_dependents("type " + name->name, "column " + column.name + " of table " + table_name.name);
      }
      std::erase_if(table.columns, [&](const schema::Column& column) { return uses_type(column.type, *name); });
    }
    for (const auto& [domain_name, other] : catalog_.domains)
      if (uses_type(other.base_type, *name) && !cascade)
        fail_dependents("type " + name->name, "type " + domain_name.name);
    for (const auto& [type_name, type] : catalog_.composite_types)
      for (const auto& attribute : type.attributes)
        if (uses_type(attribute.type, *name) && !cascade)
          fail_dependents("type " + name->name, "column " + attribute.name + " of composite type " + type_name.name);
    for (const auto& [signature, function] : catalog_.functions) {
      bool uses = function.returns && uses_type(*function.returns, *name);
      for (const auto& arg : function.args) uses = uses || uses_type(arg.type, *name);
      if (uses && !cascade) fail_dependents("type " + name->name, "function " + signature);
    }
    std::erase_if(catalog_.functions, [&](const auto& entry) {
      bool uses = entry.second.returns && uses_type(*entry.second.returns, *name);
      for (const auto& arg : entry.second.args) uses = uses || uses_type(arg.type, *name);
      return uses;
    });
    catalog_.enums.erase(*name);
    catalog_.domains.erase(*name);
    catalog_.composite_types.erase(*name);
  }

  void drop_schema(const std::string& name, bool cascade) {
    auto in_schema = [&](const QualifiedName& n) { return n.schema == name; };
    bool empty = true;
    for (const auto& [n, t] : catalog_.tables) empty = empty && !in_schema(n);
    for (const auto& [n, v] : catalog_.views) empty = empty && !in_schema(n);
    for (const auto& [n, s] : catalog_.sequences) empty = empty && !in_schema(n);
    for (const auto& [n, e] : catalog_.enums) empty = empty && !in_schema(n);
    for (const auto& [n, d] : catalog_.domains) empty = empty && !in_schema(n);
    for (const auto& [n, c] : catalog_.composite_types) empty = empty && !in_schema(n);
    for (const auto& [n, f] : catalog_.functions) empty = empty && !in_schema(f.name);
    if (!empty && !cascade) fail_dependents("schema " + name, "objects in it");
    std::vector<QualifiedName> tables;
    for (const auto& [n, t] : catalog_.tables)
      if (in_schema(n)) tables.push_back(n);
    for (const auto& table : tables)
      if (catalog_.tables.contains(table)) drop_table(table, true, true);
    std::vector<QualifiedName> views;
    for (const auto& [n, v] : catalog_.views)
      if (in_schema(n)) views.push_back(n);
    for (const auto& view : views)
      if (catalog_.views.contains(view)) drop_view(view, true);
    std::erase_if(catalog_.sequences, [&](const auto& e) { return in_schema(e.first); });
    std::erase_if(catalog_.indexes, [&](const auto& e) { return in_schema(e.first); });
    std::erase_if(catalog_.enums, [&](const auto& e) { return in_schema(e.first); });
    std::erase_if(catalog_.domains, [&](const auto& e) { return in_schema(e.first); });
    std::erase_if(catalog_.composite_types, [&](const auto& e) { return in_schema(e.first); });
    std::erase_if(catalog_.functions, [&](const auto& e) { return in_schema(e.second.name); });
    std::erase_if(catalog_.extensions, [&](const auto& e) { return e.second.schema == name; });
    catalog_.schemas.erase(name);
  }

  std::optional<std::string> find_function(const ObjectRef& object, bool if_exists) const {
    std::vector<std::string> candidates;
    for (const auto& schema : object.name.schema.empty() ? search_path_ : std::vector<std::string>{object.name.schema}) {
      for (const auto& [signature, function] : catalog_.functions) {
        if (function.name != QualifiedName{schema, object.name.name}) continue;
        if (object.argument_types) {
          std::vector<schema::TypeRef> wanted = *object.argument_types;
          for (auto& type : wanted) resolve_type(type);
          std::vector<schema::TypeRef> inputs;
          for (const auto& arg : function.args)
            if (arg.mode != schema::ArgMode::Out && arg.mode != schema::ArgMode::Table) inputs.push_back(arg.type);
          if (inputs != wanted) continue;
        }
        candidates.push_back(signature);
      }
      if (!candidates.empty()) break;
    }
    if (candidates.empty()) {
      if (if_exists) return std::nullopt;
      fail("function " + display(object.name) + " does not exist");
    }
    if (candidates.size() > 1) fail("function name \"" + display(object.name) + "\" is not unique");
    return candidates.front();
  }

  // ---- RENAME -------------------------------------------------------------------

  void operator()(const Rename& s) {
    const std::string& to = s.new_name;
    switch (s.object.kind) {
      case ObjectKind::Table: return rename_table(s);
      case ObjectKind::Column: {
        const auto name = lookup_table(s.object.parent);
        if (!name) {
          if (s.if_exists) return;
          fail("relation \"" + display(s.object.parent) + "\" does not exist");
        }
        return rename_column(catalog_.tables.at(*name), s.object.name.name, to);
      }
      case ObjectKind::Constraint: {
        schema::Table& table = this->table(s.object.parent);
        auto found = std::find_if(table.constraints.begin(), table.constraints.end(),
                                  [&](const auto& c) { return c.name == s.object.name.name; });
        if (found == table.constraints.end())
          fail("constraint \"" + s.object.name.name + "\" for table \"" + table.name.name + "\" does not exist");
        if (table.find_constraint(to))
          fail("constraint \"" + to + "\" for relation \"" + table.name.name + "\" already exists");
        found->name = to;
        sort_constraints(table);
        return;
      }
      case ObjectKind::Index: {
        const auto name = lookup(s.object.name, [&](const QualifiedName& n) { return catalog_.indexes.contains(n); });
        if (name) {
          const QualifiedName renamed{name->schema, to};
          check_relation_free(renamed);
          auto node = catalog_.indexes.extract(*name);
          node.key() = renamed;
          node.mapped().name = renamed;
          catalog_.indexes.insert(std::move(node));
          return;
        }
        // ALTER INDEX on the index of a primary key or unique constraint renames the constraint.
        for (auto& [table_name, table] : catalog_.tables) {
          if (!s.object.name.schema.empty() && table_name.schema != s.object.name.schema) continue;
          for (auto& constraint : table.constraints)
            if (is_index_backed(constraint) && constraint.name == s.object.name.name) {
              constraint.name = to;
              sort_constraints(table);
              return;
            }
        }
        if (s.if_exists) return;
        fail("relation \"" + display(s.object.name) + "\" does not exist");
      }
      case ObjectKind::View:
      case ObjectKind::MaterializedView: rename_relation(s, catalog_.views); return;
      case ObjectKind::Sequence: return rename_sequence(s);
      case ObjectKind::Type:
      case ObjectKind::Domain: return rename_type(s);
      case ObjectKind::Trigger: {
        const auto table_name = lookup(s.object.parent, [&](const QualifiedName& n) {
          return catalog_.tables.contains(n) || catalog_.views.contains(n);
        });
        if (!table_name) fail("relation \"" + display(s.object.parent) + "\" does not exist");
        auto node = catalog_.triggers.extract({*table_name, s.object.name.name});
        if (node.empty()) fail("trigger \"" + s.object.name.name + "\" for table \"" + table_name->name + "\" does not exist");
        if (catalog_.triggers.contains({*table_name, to}))
          fail("trigger \"" + to + "\" for relation \"" + table_name->name + "\" already exists");
        node.key().name = to;
        node.mapped().name = to;
        catalog_.triggers.insert(std::move(node));
        return;
      }
      case ObjectKind::Policy: {
        const QualifiedName table_name = table(s.object.parent).name;
        auto node = catalog_.policies.extract({table_name, s.object.name.name});
        if (node.empty())
          fail("policy \"" + s.object.name.name + "\" for table \"" + table_name.name + "\" does not exist");
        if (catalog_.policies.contains({table_name, to}))
          fail("policy \"" + to + "\" for table \"" + table_name.name + "\" already exists");
        node.key().name = to;
        node.mapped().name = to;
        catalog_.policies.insert(std::move(node));
        return;
      }
      case ObjectKind::Function:
      case ObjectKind::Procedure: {
        const auto signature = find_function(s.object, s.if_exists);
        if (!signature) return;
        schema::Function function = catalog_.functions.at(*signature);
        function.name.name = to;
        if (catalog_.functions.contains(function.signature()))
          fail("function " + function.signature() + " already exists");
        catalog_.functions.erase(*signature);
        catalog_.functions[function.signature()] = std::move(function);
        return;
      }
      default: fail("renaming this kind of object is not supported");
    }
  }

  // The relation's name before the rename; nothing when IF EXISTS finds none.
  template <typename Map>
  std::optional<QualifiedName> rename_relation(const Rename& s, Map& map) {
    const auto name = lookup(s.object.name, [&](const QualifiedName& n) { return map.contains(n); });
    if (!name) {
      if (s.if_exists) return std::nullopt;
      fail("relation \"" + display(s.object.name) + "\" does not exist");
    }
    const QualifiedName renamed{name->schema, s.new_name};
    check_relation_free(renamed);
    auto node = map.extract(*name);
    node.key() = renamed;
    node.mapped().name = renamed;
    map.insert(std::move(node));
    for (auto& [view_name, view] : catalog_.views) std::replace(view.depends_on.relations.begin(), view.depends_on.relations.end(), *name, renamed);
    for (auto& [signature, function] : catalog_.functions)
      std::replace(function.depends_on.relations.begin(), function.depends_on.relations.end(), *name, renamed);
    return name;
  }

  // Defaults hold the sequence's identity ('s'::regclass): they follow.
  void rename_sequence(const Rename& s) {
    const auto name = rename_relation(s, catalog_.sequences);
    if (!name) return;
    for (auto& [table_name, table] : catalog_.tables)
      for (auto& column : table.columns)
        if (column.default_expr)
          column.default_expr = pg::rename_regclass_in_expression(*column.default_expr, *name, s.new_name);
  }

  void rename_table(const Rename& s) {
    const auto name = rename_relation(s, catalog_.tables);
    if (!name) return;
    const QualifiedName renamed{name->schema, s.new_name};
    for (auto& [table_name, table] : catalog_.tables) {
      for (auto& constraint : table.constraints)
        if (auto* key = std::get_if<schema::ForeignKey>(&constraint.body); key && key->referenced_table == *name)
          key->referenced_table = renamed;
      std::replace(table.inherits.begin(), table.inherits.end(), *name, renamed);
    }
    for (auto& [index_name, index] : catalog_.indexes)
      if (index.table == *name) index.table = renamed;
    for (auto& [sequence_name, sequence] : catalog_.sequences)
      if (sequence.owned_by && sequence.owned_by->table == *name) sequence.owned_by->table = renamed;
    std::map<schema::TriggerKey, schema::Trigger> triggers;
    for (auto& [key, trigger] : catalog_.triggers) {
      if (trigger.table == *name) trigger.table = renamed;
      triggers[{trigger.table, trigger.name}] = std::move(trigger);
    }
    catalog_.triggers = std::move(triggers);
    std::map<schema::TriggerKey, schema::Policy> policies;
    for (auto& [key, policy] : catalog_.policies) {
      if (policy.table == *name) policy.table = renamed;
      policies[{policy.table, policy.name}] = std::move(policy);
    }
    catalog_.policies = std::move(policies);
  }

  // The server renames the column in every descendant too, and refuses to
  // rename an inherited column on its own.
  void rename_column(schema::Table& table, const std::string& from, const std::string& to, bool from_parent = false) {
    schema::Column& column = existing_column(table, from);
    if (!from_parent && inherited_elsewhere(table, from, {})) fail("cannot rename inherited column \"" + from + "\"");
    if (table.find_column(to)) fail("column \"" + to + "\" of relation \"" + table.name.name + "\" already exists");
    column.name = to;
    for (schema::Table* child : children(table.name))
      if (child->find_column(from)) rename_column(*child, from, to, true);
    auto rename_in = [&](std::vector<std::string>& columns) { std::replace(columns.begin(), columns.end(), from, to); };
    auto rename_expression = [&](std::string& expression) {
      expression = pg::rename_column_in_expression(expression, from, to);
    };
    for (auto& other : table.columns)
      if (other.generated_expr) rename_expression(*other.generated_expr);
    for (auto& constraint : table.constraints) {
      std::visit(
          [&](auto& body) {
            using Body = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<Body, schema::Check>) {
              rename_expression(body.expression);
            } else if constexpr (std::is_same_v<Body, schema::Exclusion>) {
              rename_in(body.include);
            } else {
              rename_in(body.columns);
              if constexpr (!std::is_same_v<Body, schema::ForeignKey>) rename_in(body.include);
            }
          },
          constraint.body);
    }
    for (auto& [other_name, other] : catalog_.tables)
      for (auto& constraint : other.constraints)
        if (auto* key = std::get_if<schema::ForeignKey>(&constraint.body); key && key->referenced_table == table.name)
          rename_in(key->referenced_columns);
    for (auto& [index_name, index] : catalog_.indexes) {
      if (index.table != table.name) continue;
      for (auto& element : index.elements) {
        if (element.column == from) element.column = to;
        if (!element.expression.empty()) rename_expression(element.expression);
      }
      rename_in(index.include);
      if (index.where) rename_expression(*index.where);
    }
    for (auto& [sequence_name, sequence] : catalog_.sequences)
      if (sequence.owned_by && sequence.owned_by->table == table.name && sequence.owned_by->column == from)
        sequence.owned_by->column = to;
  }

  void rename_type(const Rename& s) {
    const auto name = lookup(s.object.name, [&](const QualifiedName& n) {
      return catalog_.enums.contains(n) || catalog_.domains.contains(n) || catalog_.composite_types.contains(n);
    });
    if (!name) {
      if (s.if_exists) return;
      fail("type \"" + display(s.object.name) + "\" does not exist");
    }
    const QualifiedName renamed{name->schema, s.new_name};
    check_relation_free(renamed);
    auto rekey = [&](auto& map) {
      if (!map.contains(*name)) return;
      auto node = map.extract(*name);
      node.key() = renamed;
      node.mapped().name = renamed;
      map.insert(std::move(node));
    };
    rekey(catalog_.enums);
    rekey(catalog_.domains);
    rekey(catalog_.composite_types);
    auto retype = [&](schema::TypeRef& type) {
      if (uses_type(type, *name)) type.name = renamed.name;
    };
    for (auto& [table_name, table] : catalog_.tables)
      for (auto& column : table.columns) retype(column.type);
    for (auto& [domain_name, domain] : catalog_.domains) retype(domain.base_type);
    rename_type_in_expressions(*name, renamed.name);
    for (auto& [type_name, type] : catalog_.composite_types)
      for (auto& attribute : type.attributes) retype(attribute.type);
    std::map<std::string, schema::Function> functions;
    for (auto& [signature, function] : catalog_.functions) {
      for (auto& arg : function.args) retype(arg.type);
      if (function.returns) retype(*function.returns);
      functions[function.signature()] = std::move(function);
    }
    catalog_.functions = std::move(functions);
  }

  // The server's stored expressions name a type by its identity, so a cast
  // to a renamed type reads the new name.
  void rename_type_in_expressions(const QualifiedName& type, const std::string& new_name) {
    const auto rename = [&](std::string& expression) {
      expression = pg::rename_type_in_expression(expression, type, new_name);
    };
    const auto rename_optional = [&](std::optional<std::string>& expression) {
      if (expression) rename(*expression);
    };
    for (auto& [table_name, table] : catalog_.tables) {
      for (auto& column : table.columns) {
        rename_optional(column.default_expr);
        rename_optional(column.generated_expr);
      }
      for (auto& constraint : table.constraints) {
        if (auto* check = std::get_if<schema::Check>(&constraint.body)) rename(check->expression);
        if (auto* exclusion = std::get_if<schema::Exclusion>(&constraint.body)) rename_optional(exclusion->where);
      }
    }
    for (auto& [index_name, index] : catalog_.indexes) {
      for (auto& element : index.elements)
        if (!element.expression.empty()) rename(element.expression);
      rename_optional(index.where);
    }
    for (auto& [domain_name, domain] : catalog_.domains) {
      rename_optional(domain.default_expr);
      for (auto& check : domain.checks) rename(check.expression);
    }
    for (auto& [key, policy] : catalog_.policies) {
      rename_optional(policy.using_expr);
      rename_optional(policy.check_expr);
    }
    for (auto& [key, trigger] : catalog_.triggers) rename_optional(trigger.when);
  }

  // ---- COMMENT, SET, pass-over -----------------------------------------------------

  void operator()(const Comment& s) { *comment_target(s.object) = s.text; }

  std::optional<std::string>* comment_target(const ObjectRef& object) {
    auto find_in = [&](auto& map, const char* what) -> std::optional<std::string>* {
      const auto name = lookup(object.name, [&](const QualifiedName& n) { return map.contains(n); });
      if (!name) fail(std::string(what) + " \"" + display(object.name) + "\" does not exist");
      return &map.at(*name).comment;
    };
    switch (object.kind) {
      case ObjectKind::Schema: {
        const auto found = catalog_.schemas.find(object.name.name);
        if (found == catalog_.schemas.end()) fail("schema \"" + object.name.name + "\" does not exist");
        return &found->second.comment;
      }
      case ObjectKind::Extension: {
        const auto found = catalog_.extensions.find(object.name.name);
        if (found == catalog_.extensions.end()) fail("extension \"" + object.name.name + "\" does not exist");
        return &found->second.comment;
      }
      case ObjectKind::Table: return find_in(catalog_.tables, "relation");
      case ObjectKind::View:
      case ObjectKind::MaterializedView: return find_in(catalog_.views, "relation");
      case ObjectKind::Index: return find_in(catalog_.indexes, "relation");
      case ObjectKind::Sequence: return find_in(catalog_.sequences, "relation");
      case ObjectKind::Domain: return find_in(catalog_.domains, "type");
      case ObjectKind::Type: {
        const auto name = lookup(object.name, [&](const QualifiedName& n) {
          return catalog_.enums.contains(n) || catalog_.composite_types.contains(n) || catalog_.domains.contains(n);
        });
        if (!name) fail("type \"" + display(object.name) + "\" does not exist");
        if (catalog_.enums.contains(*name)) return &catalog_.enums.at(*name).comment;
        if (catalog_.domains.contains(*name)) return &catalog_.domains.at(*name).comment;
        return &catalog_.composite_types.at(*name).comment;
      }
      case ObjectKind::Column: {
        const auto name = lookup_table(object.parent);
        if (!name && lookup(object.parent, [&](const QualifiedName& n) { return catalog_.views.contains(n); }))
          fail("COMMENT ON COLUMN of a view or materialized view is not supported: strata's model keeps no "
               "comments on view columns");
        if (!name) fail("relation \"" + display(object.parent) + "\" does not exist");
        return &existing_column(catalog_.tables.at(*name), object.name.name).comment;
      }
      case ObjectKind::Constraint: {
        schema::Table& table = this->table(object.parent);
        for (auto& constraint : table.constraints)
          if (constraint.name == object.name.name) return &constraint.comment;
        fail("constraint \"" + object.name.name + "\" for table \"" + table.name.name + "\" does not exist");
      }
      case ObjectKind::Trigger: {
        const auto table_name = lookup(object.parent, [&](const QualifiedName& n) {
          return catalog_.tables.contains(n) || catalog_.views.contains(n);
        });
        if (!table_name) fail("relation \"" + display(object.parent) + "\" does not exist");
        const auto found = catalog_.triggers.find({*table_name, object.name.name});
        if (found == catalog_.triggers.end())
          fail("trigger \"" + object.name.name + "\" for table \"" + table_name->name + "\" does not exist");
        return &found->second.comment;
      }
      case ObjectKind::Policy: return &existing_policy(object.parent, object.name.name).comment;
      case ObjectKind::Function:
      case ObjectKind::Procedure: return &catalog_.functions.at(*find_function(object, false)).comment;
      default: fail("comments on this kind of object are not supported");
    }
  }

  void operator()(const SetSearchPath& s) {
    search_path_.clear();
    for (const auto& schema : s.schemas)
      if (schema != "$user" && schema != "pg_catalog") search_path_.push_back(schema);
    if (s.schemas.empty()) search_path_ = {"public"};
  }

  void operator()(const PassOver&) {}

 private:
  Catalog& catalog_;
  std::vector<std::string>& search_path_;
  ConstraintNames& constraint_names_;
  bool& constraint_names_stale_;
  TableDependents& table_dependents_;
  InheritanceChildren& inheritance_children_;
  bool names_may_change_;
  bool removes_only_;
  const Statement& statement_;
  // False under ALTER TABLE ONLY: a change stops at the named table.
  bool recurse_ = true;
  // True while a change written on a parent is passed down to its children.
  bool recursing_ = false;
};


}  // namespace

Interpreter::Interpreter(schema::Catalog start) : catalog_(std::move(start)), search_path_{"public"} {}

void Interpreter::apply(const Statement& statement) {
  Apply apply(catalog_, search_path_, constraint_names_, constraint_names_stale_, table_dependents_,
              inheritance_children_, statement);
  if (!removes_only(statement.body)) table_dependents_.stale = true;
  if (may_change_inheritance(statement.body)) inheritance_children_.stale = true;
  try {
    std::visit(apply, statement.body);
    // Also after it: the statement may have used the index before changing what it holds.
    if (may_change_inheritance(statement.body)) inheritance_children_.stale = true;
    if (may_remove_constraints(statement.body)) constraint_names_stale_ = true;
  } catch (const Error& error) {
    // Errors from stored-expression helpers have no location: give them the statement's.
    if (error.location()) throw;
    throw Error(error.message(), statement.location, statement.source_line);
  }
}

schema::Catalog load_postgres_schema(const std::vector<SourceFile>& files, std::vector<Warning>& warnings) {
  Interpreter interpreter;
  for (const auto& file : files)
    parse_postgres(file.path, file.text, [&](Statement&& statement) { interpreter.apply(statement); }, warnings);
  return std::move(interpreter).release();
}

}  // namespace strata::parser
