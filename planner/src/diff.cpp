#include "strata/planner/diff.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "strata/parser/interpreter.h"
#include "strata/parser/postgres_parser.h"
#include "strata/parser/rename_hints.h"
#include "strata/schema/error.h"
#include "strata/schema/names.h"
#include "strata/schema/printer.h"
#include "strata/schema/types.h"

namespace strata::planner {
namespace {

using schema::Catalog;
using schema::TriggerKey;

// True when two objects differ in nothing but their comment: a comment alone
// never recreates an object.
template <typename Object>
bool same_but_comment(const Object& a, const Object& b) {
  Object copy = a;
  copy.comment = b.comment;
  return copy == b;
}

bool is_foreign_key(const schema::Constraint& constraint) {
  return std::holds_alternative<schema::ForeignKey>(constraint.body);
}

QualifiedName object_name(const QualifiedName& name) { return name; }
QualifiedName object_name(const std::string& name) { return {"", name}; }  // schemas and extensions

bool uses_type(const schema::TypeRef& type, const QualifiedName& name) {
  return type.schema == name.schema && type.name == name.name;
}

ColumnChange column_changes(const schema::Column& from, const schema::Column& to) {
  ColumnChange changes = ColumnChange::None;
  if (from.type != to.type) changes = changes | ColumnChange::Type;
  if (from.not_null != to.not_null) changes = changes | ColumnChange::Null;
  if (from.default_expr != to.default_expr) changes = changes | ColumnChange::Default;
  if (from.identity != to.identity) changes = changes | ColumnChange::Identity;
  if (from.generated_expr != to.generated_expr) changes = changes | ColumnChange::Generated;
  if (from.collation != to.collation) changes = changes | ColumnChange::Collation;
  return changes;
}

// The new values of an enum, each placed next to a value that exists by the
// time it is added, when the old values keep their order; nothing otherwise.
std::optional<std::vector<AddEnumValue>> added_values(const schema::Enum& from, const schema::Enum& to) {
  std::vector<std::size_t> kept;  // positions in `to` of the old values
  for (const auto& value : from.values) {
    const auto found = std::find(to.values.begin(), to.values.end(), value);
    if (found == to.values.end()) return std::nullopt;
    kept.push_back(static_cast<std::size_t>(found - to.values.begin()));
  }
  if (!std::is_sorted(kept.begin(), kept.end())) return std::nullopt;

  std::vector<AddEnumValue> added;
  const std::size_t first_kept = kept.empty() ? 0 : kept.front();
  // Values in front of the first old one: each BEFORE its successor, nearest first.
  for (std::size_t i = first_kept; i-- > 0;) added.push_back({to.name, to.values[i], to.values[i + 1], false});
  // The others AFTER their predecessor, or appended once no old value follows.
  std::size_t next_kept = 0;
  for (std::size_t i = first_kept; i < to.values.size(); ++i) {
    if (next_kept < kept.size() && kept[next_kept] == i) {
      ++next_kept;
    } else if (next_kept == kept.size()) {
      added.push_back({to.name, to.values[i], std::nullopt, false});
    } else {
      added.push_back({to.name, to.values[i], to.values[i - 1], true});
    }
  }
  return added;
}

class Differ {
  using ColumnSet = std::set<schema::ColumnRef>;

 public:
  Differ(const Catalog& previous, const Catalog& desired) : previous_(previous), desired_(desired) {}

  std::vector<Change> run() {
    find_retyped_columns();
    find_dropped_routines();
    schemas();
    extensions();
    enums();
    types();
    sequences();
    tables();
    routines();
    indexes();
    triggers();
    policies();
    comments();
    return std::move(out_);
  }

 private:
  template <typename T>
  void emit(T change) {
    out_.emplace_back(std::move(change));
  }

  // ---- schemas and extensions ---------------------------------------------------

  void schemas() {
    for (const auto& [name, schema] : desired_.schemas)
      if (!previous_.schemas.contains(name)) emit(CreateSchema{schema});
    for (const auto& [name, schema] : previous_.schemas)
      if (!desired_.schemas.contains(name)) emit(DropSchema{schema});
  }

  // A new explicit version is an update in place, so that what depends on the
  // extension stays. Going back to an older version is the exception:
  // PostgreSQL needs a script for each step and extensions ship none that
  // downgrade (contrib has none), so that one is DROP and CREATE, which the
  // server refuses while anything still depends on the extension.
  void extensions() {
    replace_on_change<CreateExtension, DropExtension>(
        previous_.extensions, desired_.extensions, CommentTarget::Extension,
        [&](const schema::Extension& from, const schema::Extension& to) {
          if (!from.version || !to.version || from.schema != to.schema || is_downgrade(*from.version, *to.version))
            return false;
          emit(UpdateExtension{to.name, *from.version, *to.version});
          return true;
        });
  }

  // True when both versions are dotted numbers ("1.10", "2.0.1") and `to`
  // comes before `from`. Versions of another shape are not ordered: they are
  // updated to, and the server says whether a path leads there.
  static bool is_downgrade(const std::string& from, const std::string& to) {
    const auto numbers = [](const std::string& version) -> std::optional<std::vector<unsigned long>> {
      std::vector<unsigned long> parts;
      std::size_t start = 0;
      while (true) {
        const std::size_t dot = version.find('.', start);
        const std::string part = version.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos)
          return std::nullopt;
        parts.push_back(std::stoul(part));
        if (dot == std::string::npos) return parts;
        start = dot + 1;
      }
    };
    const auto from_parts = numbers(from);
    const auto to_parts = numbers(to);
    return from_parts && to_parts && *to_parts < *from_parts;
  }

  // ---- types --------------------------------------------------------------------

  void enums() {
    for (const auto& [name, type] : desired_.enums) {
      const auto old = previous_.enums.find(name);
      if (old == previous_.enums.end()) {
        emit(CreateEnum{type});
      } else if (old->second.values != type.values) {
        if (auto added = added_values(old->second, type)) {
          for (auto& value : *added) emit(std::move(value));
        } else {
          emit(swap(old->second, type));
          recreated_.insert(comment_key(CommentTarget::Type, name));
        }
      }
    }
    for (const auto& [name, type] : previous_.enums)
      if (!desired_.enums.contains(name)) emit(DropEnum{type});
  }

  // The swap of an enum whose values are removed or reordered, with the users
  // of the type it converts or has recreated around it.
  SwapEnum swap(const schema::Enum& from, const schema::Enum& to) {
    const QualifiedName& type = from.name;
    SwapEnum change{from, to, columns_of(type), {}, temporary_type_name(type)};
    std::set<QualifiedName> swapped{type};  // the enum and the domains over it
    for (const auto& [name, domain] : previous_.domains) {
      if (!uses_type(domain.base_type, type)) continue;
      // A domain that goes or changes its base type is dropped before the swap (domains()).
      const auto desired = desired_.domains.find(name);
      if (desired == desired_.domains.end() || desired->second.base_type != domain.base_type) continue;
      change.domains.push_back({desired->second, columns_of(name), temporary_type_name(name)});
      swapped.insert(name);
      swapped_domains_.insert(name);
      recreated_.insert(comment_key(CommentTarget::Domain, name));
    }
    swapped_types_.insert(swapped.begin(), swapped.end());
    ColumnSet converted;
    for (const auto& column : change.columns) converted.insert({column.table, column.column});
    for (const auto& domain : change.domains)
      for (const auto& column : domain.columns) converted.insert({column.table, column.column});
    retyped_columns_.insert(converted.begin(), converted.end());
    recast_columns_.insert(converted.begin(), converted.end());
    const auto uses_swapped = [&](const schema::TypeRef& used) {
      return std::any_of(swapped.begin(), swapped.end(), [&](const QualifiedName& name) { return uses_type(used, name); });
    };
    const auto refuse = [&](const std::string& user, const std::string& why) {
      throw Error("enum " + schema::qualified_sql(type) + ": removing or reordering its values needs a new type, and " +
                  user + " " + why + "; change the type in steps (or by hand) instead");
    };
    for (const auto& [name, domain] : previous_.domains)
      if (!swapped.contains(name) && uses_swapped(domain.base_type) && !uses_type(domain.base_type, type))
        refuse("domain " + schema::qualified_sql(name), "is built on a domain over it, which is not converted yet");
    for (const auto& [table_name, table] : previous_.tables)
      for (const auto& key : parser::partition_key_columns(table.partition_by))
        if (converted.contains({table_name, key}))
          refuse("column " + schema::qualified_sql(table_name) + "." + key,
                 "is in the partition key of its table, whose type PostgreSQL cannot change");
    // Nor drop a type a generated column casts to.
    if (const auto generated = generated_reading(converted))
      refuse("generated column " + *generated, "reads a column of it or casts to it");
    // A composite type holding the enum is dropped before the swap and
    // created again after it, which only works while no column stores it.
    for (const auto& [name, composite] : previous_.composite_types) {
      if (!std::any_of(composite.attributes.begin(), composite.attributes.end(),
                       [&](const schema::CompositeAttribute& attribute) { return uses_swapped(attribute.type); }))
        continue;
      for (const auto& [table_name, table] : previous_.tables)
        for (const auto& column : table.columns)
          if (uses_type(column.type, name))
            refuse("type " + schema::qualified_sql(name),
                   "is stored in column " + schema::qualified_sql(table_name) + "." + column.name +
                       " (PostgreSQL cannot change an attribute of a composite type a table stores)");
      for (const auto& [other_name, other] : previous_.composite_types)
        for (const auto& attribute : other.attributes)
          if (uses_type(attribute.type, name))
            refuse("type " + schema::qualified_sql(name), "is an attribute of type " + schema::qualified_sql(other_name));
      for (const auto& [domain_name, domain] : previous_.domains)
        if (uses_type(domain.base_type, name))
          refuse("type " + schema::qualified_sql(name), "is the base of domain " + schema::qualified_sql(domain_name));
      swapped_composites_.insert(name);
      swapped.insert(name);
    }
    // Routines whose arguments or result use the enum, a domain over it or a
    // composite holding it keep the old type until they are dropped: they go
    // before the swap and come back after it (routines()), with the checks,
    // indexes and policies that call them; defaults, generation expressions
    // and domains calling one are refused (expression_calling()).
    for (const auto& [signature, function] : previous_.functions) {
      const bool in_arguments = std::any_of(function.args.begin(), function.args.end(),
                                            [&](const schema::FunctionArg& arg) { return uses_swapped(arg.type); });
      if (!in_arguments && !(function.returns && uses_swapped(*function.returns))) continue;
      if (const auto caller = expression_calling(function.name))
        refuse("routine " + signature, "is called by " + *caller + ", so it cannot be dropped and created again");
      recreated_routines_.insert(signature);
      dropped_routines_.insert(function.name);
    }
    return change;
  }

  // ---- in-place type changes (ALTER COLUMN TYPE, enum swaps) ------------------------

  // Columns whose type changes in place; among them those whose values change
  // kind (recast_columns_). PostgreSQL re-reads a check, an index expression
  // or predicate, and a foreign key against a column's new type: a constant
  // of the old kind ('5'::text, 'b'::an_enum) has no operator there, and a
  // key's two sides differ while one of them is converted. Such objects go
  // before the change and come back after it (the change rewrites the table
  // and its indexes anyway). The server refuses any type change of a column
  // that a trigger or a policy reads (retyped_columns_: they are recreated
  // too) or that a generated column reads (refused here).
  void find_retyped_columns() {
    for (const auto& [name, table] : previous_.tables) {
      const auto desired = desired_.tables.find(name);
      if (desired == desired_.tables.end()) continue;
      for (const auto& column : table.columns) {
        const schema::Column* wanted = desired->second.find_column(column.name);
        if (wanted == nullptr) continue;
        if (removed_column(table, column, wanted)) {
          readded_columns_.insert({name, column.name});
          continue;
        }
        if (wanted->type == column.type) continue;
        retyped_columns_.insert({name, column.name});
        if (changes_kind(column.type, wanted->type)) recast_columns_.insert({name, column.name});
      }
    }
    // PostgreSQL (before 17) cannot change a generation expression.
    if (const auto generated = generated_reading(retyped_columns_))
      throw Error("generated column " + *generated +
                  " reads a column whose type changes, which PostgreSQL cannot convert under it; drop the "
                  "generated column in one migration and add it back in the next instead");
  }

  // PostgreSQL's type category (pg_type.typcategory) of a built-in scalar
  // type; 'U' for the others (user types, arrays), whose operators are their own.
  static char type_category(const schema::TypeRef& type) {
    if (type.array_dims > 0 || !type.is_builtin()) return 'U';
    static const std::map<std::string, char, std::less<>> kCategories = {
        {"smallint", 'N'}, {"integer", 'N'}, {"bigint", 'N'}, {"numeric", 'N'}, {"real", 'N'},
        {"double precision", 'N'}, {"money", 'N'}, {"text", 'S'}, {"character varying", 'S'},
        {"character", 'S'}, {"name", 'S'}, {"boolean", 'B'}, {"date", 'D'},
        {"timestamp without time zone", 'D'}, {"timestamp with time zone", 'D'},
        {"time without time zone", 'D'}, {"time with time zone", 'D'}, {"interval", 'T'}};
    const auto found = kCategories.find(type.name);
    return found == kCategories.end() ? 'U' : found->second;
  }

  static bool changes_kind(const schema::TypeRef& from, const schema::TypeRef& to) {
    const char category = type_category(from);
    return category == 'U' || category != type_category(to);
  }

  // The first generated column (as table.column) that stays and reads one of
  // `columns` or casts to a swapped type.
  std::optional<std::string> generated_reading(const ColumnSet& columns) const {
    for (const auto& [name, table] : previous_.tables)
      for (const auto& column : table.columns)
        if (column.generated_expr && desired_.tables.contains(name) && !removed_column(name, column.name) &&
            reads_any(column.generated_expr, name, columns))
          return schema::qualified_sql(name) + "." + column.name;
    return std::nullopt;
  }

  // True when `expression` of `table` reads one of `columns` or casts to a
  // swapped type (which is dropped).
  bool reads_any(const std::optional<std::string>& expression, const QualifiedName& table,
                 const ColumnSet& columns) const {
    if (!expression || (columns.empty() && swapped_types_.empty())) return false;
    const auto first = columns.lower_bound({table, ""});
    const bool table_converted = first != columns.end() && first->table == table;
    const bool names_type = std::any_of(swapped_types_.begin(), swapped_types_.end(), [&](const QualifiedName& type) {
      return expression->find(type.name) != std::string::npos;
    });
    if (!table_converted && !names_type) return false;  // spares the parse
    const parser::ExpressionReads reads = parser::expression_reads(*expression);
    const bool reads_column = std::any_of(reads.columns.begin(), reads.columns.end(), [&](const std::string& column) {
      return columns.contains({table, column});
    });
    return reads_column ||
           std::any_of(reads.cast_types.begin(), reads.cast_types.end(), [&](const QualifiedName& cast_to) {
             return std::any_of(swapped_types_.begin(), swapped_types_.end(), [&](const QualifiedName& type) {
               return type.name == cast_to.name && (cast_to.schema.empty() || cast_to.schema == type.schema);
             });
           });
  }

  // Whether `test` holds for the predicate or an expression element of `index`.
  template <typename Test>
  static bool any_expression(const schema::Index& index, const Test& test) {
    return test(index.where) ||
           std::any_of(index.elements.begin(), index.elements.end(), [&](const schema::IndexElement& element) {
             return !element.expression.empty() && test(element.expression);
           });
  }

  template <typename Test>
  static bool any_expression(const schema::Policy& policy, const Test& test) {
    return test(policy.using_expr) || test(policy.check_expr);
  }

  static bool contains_any(const ColumnSet& set, const QualifiedName& table, const std::vector<std::string>& columns) {
    return std::any_of(columns.begin(), columns.end(),
                       [&](const std::string& column) { return set.contains({table, column}); });
  }

  // An unchanged index on a column dropped and added again (a new
  // generation expression) went with the column: it is created again.
  bool on_readded_column(const schema::Index& index) const {
    return std::any_of(index.elements.begin(), index.elements.end(),
                       [&](const schema::IndexElement& element) {
                         return readded_columns_.contains({index.table, element.column});
                       }) ||
           any_expression(index, [&](const std::optional<std::string>& expression) {
             return reads_any(expression, index.table, readded_columns_);
           });
  }

  bool on_readded_column(const schema::Constraint& constraint, const QualifiedName& table) const {
    if (const auto* check = std::get_if<schema::Check>(&constraint.body))
      return reads_any(check->expression, table, readded_columns_);
    return std::visit(
        [&](const auto& body) {
          if constexpr (requires { body.columns; }) return contains_any(readded_columns_, table, body.columns);
          return false;
        },
        constraint.body);
  }

  // Whether an unchanged object must still go before the type changes and
  // come back after them.
  bool broken_by_retyping(const schema::Constraint& constraint, const QualifiedName& table) const {
    if (const auto* check = std::get_if<schema::Check>(&constraint.body))
      return reads_any(check->expression, table, recast_columns_);
    if (const auto* key = std::get_if<schema::ForeignKey>(&constraint.body))
      return contains_any(recast_columns_, table, key->columns) ||
             contains_any(recast_columns_, key->referenced_table, key->referenced_columns);
    if (const auto* exclusion = std::get_if<schema::Exclusion>(&constraint.body))
      return reads_any(exclusion->where, table, recast_columns_) ||
             std::any_of(exclusion->elements.begin(), exclusion->elements.end(),
                         [&](const schema::ExclusionElement& element) {
                           return reads_any(element.element, table, recast_columns_);
                         });
    return false;
  }

  bool broken_by_retyping(const schema::Index& index) const {
    return any_expression(index, [&](const std::optional<std::string>& expression) {
      return reads_any(expression, index.table, recast_columns_);
    });
  }

  // A trigger's WHEN and its UPDATE OF columns depend on the columns.
  bool broken_by_retyping(const schema::Trigger& trigger) const {
    if (reads_any(trigger.when, trigger.table, retyped_columns_)) return true;
    static constexpr std::string_view kUpdateOf = "UPDATE OF ";
    for (const auto& event : trigger.events) {
      if (!event.starts_with(kUpdateOf)) continue;
      const std::string columns = ", " + event.substr(kUpdateOf.size()) + ",";
      for (auto column = retyped_columns_.lower_bound({trigger.table, ""});
           column != retyped_columns_.end() && column->table == trigger.table; ++column)
        if (columns.find(", " + schema::quote_identifier(column->column) + ",") != std::string::npos) return true;
    }
    return false;
  }

  bool broken_by_retyping(const schema::Policy& policy) const {
    return any_expression(policy, [&](const std::optional<std::string>& expression) {
      return reads_any(expression, policy.table, retyped_columns_);
    });
  }

  // "mood_strata_swap", numbered when a type or relation of either catalog,
  // or another swap's, has that name.
  std::string temporary_type_name(const QualifiedName& type) {
    const std::string name = schema::choose_name(type.name, "", "strata_swap", [&](const std::string& candidate) {
      const QualifiedName taken{type.schema, candidate};
      return previous_.has_type(taken) || previous_.has_relation(taken) || desired_.has_type(taken) ||
             desired_.has_relation(taken) || temporary_types_.contains(taken);
    });
    temporary_types_.insert({type.schema, name});
    return name;
  }

  // ---- routines dropped under their callers ------------------------------------------

  // Routines dropped (for good, or to be created again when CREATE OR
  // REPLACE cannot change them). The server refuses to drop a routine that
  // a stored expression calls: the checks, indexes and policies calling one
  // go before it and come back after it; a default, generation expression
  // or domain calling one that comes back is refused.
  void find_dropped_routines() {
    for (const auto& [signature, function] : previous_.functions) {
      const auto desired = desired_.functions.find(signature);
      if (desired == desired_.functions.end() || !replaceable(function, desired->second))
        dropped_routines_.insert(function.name);
    }
    for (const auto& [signature, function] : desired_.functions) {
      if (!dropped_routines_.contains(function.name) || !previous_.functions.contains(signature)) continue;
      if (const auto caller = expression_calling(function.name))
        throw Error("routine " + signature + " is dropped and created again (CREATE OR REPLACE cannot change its "
                    "arguments or result), and " + *caller + " calls it, so the server would refuse the drop; "
                    "change it in steps (or by hand) instead");
    }
  }

  bool calls_dropped_routine(const std::optional<std::string>& expression) const {
    if (!expression || dropped_routines_.empty()) return false;
    if (std::none_of(dropped_routines_.begin(), dropped_routines_.end(), [&](const QualifiedName& routine) {
          return expression->find(routine.name) != std::string::npos;
        }))
      return false;  // spares the parse
    const auto called = parser::expression_routines(*expression);
    return std::any_of(called.begin(), called.end(), [&](const QualifiedName& name) {
      return std::any_of(dropped_routines_.begin(), dropped_routines_.end(), [&](const QualifiedName& routine) {
        return calls_routine(name, routine);
      });
    });
  }

  // An index or policy calling a dropped routine goes and comes back with it.
  bool calls_dropped_routine(const schema::Index& index) const {
    return any_expression(index, [&](const std::optional<std::string>& expression) {
      return calls_dropped_routine(expression);
    });
  }

  bool calls_dropped_routine(const schema::Policy& policy) const {
    return any_expression(policy, [&](const std::optional<std::string>& expression) {
      return calls_dropped_routine(expression);
    });
  }

  // A call as written (its schema empty when it names none) of `routine`.
  static bool calls_routine(const QualifiedName& called, const QualifiedName& routine) {
    return called.name == routine.name && (called.schema.empty() || called.schema == routine.schema);
  }

  // A default, generation expression or domain of the previous catalog that
  // calls `routine`, named for a message (what cannot go and come back
  // around the routine); the calls come from the expressions' parse trees.
  std::optional<std::string> expression_calling(const QualifiedName& routine) const {
    const auto calls = [&](const std::optional<std::string>& expression) {
      if (!expression) return false;
      const auto called = parser::expression_routines(*expression);
      return std::any_of(called.begin(), called.end(),
                         [&](const QualifiedName& name) { return calls_routine(name, routine); });
    };
    for (const auto& [name, table] : previous_.tables) {
      const std::string table_sql = schema::qualified_sql(name);
      for (const auto& column : table.columns) {
        if (calls(column.default_expr)) return "the default of column " + table_sql + "." + column.name;
        if (calls(column.generated_expr)) return "the generation expression of column " + table_sql + "." + column.name;
      }
    }
    for (const auto& [name, domain] : previous_.domains) {
      bool called = calls(domain.default_expr);
      for (const auto& check : domain.checks) called = called || calls(check.expression);
      if (called) return "domain " + schema::qualified_sql(name);
    }
    return std::nullopt;
  }

  // The columns that still hold values of `type` (an enum, or a domain over
  // one) when it is swapped: those of the previous catalog that survive into
  // the desired one.
  std::vector<EnumColumn> columns_of(const QualifiedName& type) {
    std::vector<EnumColumn> columns;
    for (const auto& [table_name, table] : previous_.tables) {
      const auto desired_table = desired_.tables.find(table_name);
      if (desired_table == desired_.tables.end()) continue;
      for (const auto& column : table.columns) {
        const schema::Column* desired_column = desired_table->second.find_column(column.name);
        if (!uses_type(column.type, type) || !desired_column || removed_column(table, column, desired_column)) continue;
        std::optional<std::string> restored;
        if (desired_column->type == column.type) restored = desired_column->default_expr;
        defaults_after_swap_[{table_name, column.name}] = restored;
        columns.push_back({table_name, column.name, column.type.array_dims, column.default_expr.has_value(),
                           std::move(restored), converted_with_parent(table, column.name)});
        reshaped_.insert(table_name);
      }
    }
    return columns;
  }

  // The server converts an inherited column with its parent's and refuses
  // to convert it on its own; a parent that drops the column leaves it to
  // the child (the drop comes first).
  bool converted_with_parent(const schema::Table& child, const std::string& column) const {
    return std::any_of(child.inherits.begin(), child.inherits.end(), [&](const QualifiedName& parent) {
      const auto found = previous_.tables.find(parent);
      return found != previous_.tables.end() && found->second.find_column(column) &&
             desired_.tables.contains(parent) && !removed_column(parent, column);
    });
  }

  // Domains and composite types: dropped and created again when they change.
  void types() {
    domains();
    // A composite type holding a swapped enum goes before the swap and comes
    // back after it, changed or not.
    for (const auto& name : swapped_composites_) {
      const auto desired = desired_.composite_types.find(name);
      if (desired == desired_.composite_types.end() ||
          !same_but_comment(previous_.composite_types.at(name), desired->second))
        continue;  // dropped, or dropped and created, below
      emit(DropCompositeType{previous_.composite_types.at(name), false});
      emit(CreateCompositeType{desired->second});
      recreated_.insert(comment_key(CommentTarget::Type, name));
    }
    replace_on_change<CreateCompositeType, DropCompositeType>(previous_.composite_types, desired_.composite_types,
                                                              CommentTarget::Type);
  }

  // In place where ALTER DOMAIN can do it, so the columns of the domain keep it.
  // A domain an enum swap recreates has its desired definition after it.
  void domains() {
    replace_on_change<CreateDomain, DropDomain>(
        previous_.domains, desired_.domains, CommentTarget::Domain,
        [&](const schema::Domain& from, const schema::Domain& to) {
          if (swapped_domains_.contains(to.name)) return true;
          if (!alterable_in_place(from, to)) return false;
          emit(AlterDomain{from, to});
          return true;
        });
  }

  static bool alterable_in_place(const schema::Domain& from, const schema::Domain& to) {
    const auto named = [](const schema::Domain& domain) {
      return std::all_of(domain.checks.begin(), domain.checks.end(),
                         [](const schema::DomainCheck& check) { return !check.name.empty(); });
    };
    return from.base_type == to.base_type && from.collation == to.collation && named(from) && named(to);
  }

  // `alter` may change an object in place instead (it says so by returning true).
  template <typename Create, typename Drop, typename Map>
  void replace_on_change(
      const Map& previous, const Map& desired, CommentTarget target,
      const std::function<bool(const typename Map::mapped_type&, const typename Map::mapped_type&)>& alter = {}) {
    for (const auto& [key, object] : desired) {
      const auto old = previous.find(key);
      if (old != previous.end() && same_but_comment(old->second, object)) continue;
      if (old != previous.end() && alter && alter(old->second, object)) continue;
      if (old != previous.end()) {
        emit(Drop{old->second});
        recreated_.insert(comment_key(target, object_name(key)));
      }
      emit(Create{object});
    }
    for (const auto& [key, object] : previous)
      if (!desired.contains(key)) emit(Drop{object});
  }

  // ---- sequences ------------------------------------------------------------------

  void sequences() {
    for (const auto& [name, sequence] : desired_.sequences) {
      const auto old = previous_.sequences.find(name);
      if (old == previous_.sequences.end()) {
        emit(CreateSequence{sequence});
        if (sequence.owned_by) emit(SetSequenceOwner{name, sequence.owned_by, start_after_rows(sequence)});
        continue;
      }
      if (old->second.options != sequence.options) emit(AlterSequence{name, sequence.options});
      if (old->second.owned_by != sequence.owned_by) emit(SetSequenceOwner{name, sequence.owned_by});
    }
    for (const auto& [name, sequence] : previous_.sequences)
      if (!desired_.sequences.contains(name) && !dropped_with_owner(sequence)) emit(DropSequence{sequence});
  }

  // The options of a new sequence whose integer owner column was there
  // before, so that it continues past the values the column holds (a
  // sequence feeding a text column, say, has no such values to go past).
  std::optional<schema::SequenceOptions> start_after_rows(const schema::Sequence& sequence) const {
    const auto table = previous_.tables.find(sequence.owned_by->table);
    const schema::Column* column =
        table == previous_.tables.end() ? nullptr : table->second.find_column(sequence.owned_by->column);
    const auto wanted = desired_.tables.find(sequence.owned_by->table);
    const schema::Column* desired =
        wanted == desired_.tables.end() ? nullptr : wanted->second.find_column(sequence.owned_by->column);
    const auto counts = [](const schema::Column* c) { return c != nullptr && schema::is_sequence_type(c->type); };
    if (!counts(column) || !counts(desired)) return std::nullopt;
    return sequence.options;
  }

  // A sequence owned by a column goes away with the column or its table.
  bool dropped_with_owner(const schema::Sequence& sequence) const {
    if (!sequence.owned_by) return false;
    const auto table = desired_.tables.find(sequence.owned_by->table);
    if (table == desired_.tables.end()) return true;
    const schema::Column* column = table->second.find_column(sequence.owned_by->column);
    const auto previous_table = previous_.tables.find(sequence.owned_by->table);
    const schema::Column* old = previous_table == previous_.tables.end()
                                    ? nullptr
                                    : previous_table->second.find_column(sequence.owned_by->column);
    return !column || (old && replaces_column(*old, *column));
  }

  // ---- tables -------------------------------------------------------------------------

  void tables() {
    find_rekeyed_tables();
    for (const auto& [name, table] : previous_.tables) parents_.insert(table.inherits.begin(), table.inherits.end());
    // A child's column goes after its parent's: a drop phase runs in the
    // reverse order of its changes, so children's drops are emitted first.
    const std::vector<QualifiedName> kept = kept_tables_parents_first();
    for (auto name = kept.rbegin(); name != kept.rend(); ++name)
      drop_columns(previous_.tables.at(*name), desired_.tables.at(*name));
    for (const auto& [name, table] : desired_.tables)
      if (!previous_.tables.contains(name)) create_table(table);
    for (const auto& name : kept) alter_table(previous_.tables.at(name), desired_.tables.at(name));
    for (const auto& [name, table] : previous_.tables) {
      if (desired_.tables.contains(name)) continue;
      emit(DropTable{table});
      reshaped_.insert(name);
      // Foreign keys to tables that go away too or lose a key are dropped
      // first: the tables can then go in any order, and the keys before them.
      for (const auto& constraint : table.constraints) {
        const auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
        if (key && key->referenced_table != name &&
            (!desired_.tables.contains(key->referenced_table) || rekeyed_.contains(key->referenced_table)))
          emit(DropConstraint{name, constraint});
      }
    }
  }

  void create_table(const schema::Table& table) {
    schema::Table created = table;
    if (table.partition_bound) created.constraints = own_constraints(table);
    for (const auto& constraint : created.constraints)
      if (schema::added_after_table(constraint)) emit(AddConstraint{table.name, constraint});
    emit(CreateTable{std::move(created)});
    row_security(schema::Table{}, table);
  }

  // A partition's constraints without those it inherits from its parent.
  std::vector<schema::Constraint> own_constraints(const schema::Table& partition) const {
    const auto parent = desired_.tables.find(partition.inherits.at(0));
    std::vector<schema::Constraint> own;
    for (const auto& constraint : partition.constraints) {
      const schema::Constraint* inherited =
          parent == desired_.tables.end() ? nullptr : parent->second.find_constraint(constraint.name);
      if (!inherited || !(*inherited == constraint)) own.push_back(constraint);
    }
    return own;
  }

  void alter_table(const schema::Table& from, const schema::Table& to) {
    if (from.inherits != to.inherits || from.partition_by != to.partition_by ||
        from.partition_bound != to.partition_bound)
      throw Error("table " + schema::qualified_sql(to.name) +
                  ": changing inheritance or partitioning is not supported yet");
    for (const auto& key : parser::partition_key_columns(from.partition_by)) {
      const schema::Column* before = from.find_column(key);
      const schema::Column* after = to.find_column(key);
      if (before && after && !(before->type == after->type))
        throw Error("table " + schema::qualified_sql(to.name) + ": column " + key +
                    " is in the partition key, whose type PostgreSQL cannot change; create the table anew instead");
    }
    if (from.unlogged != to.unlogged) emit(SetTableLogged{to.name, !to.unlogged});
    row_security(from, to);
    alter_columns(from, to);
    alter_constraints(from, to);
  }

  // A new table starts with row security off (`from` is an empty table).
  void row_security(const schema::Table& from, const schema::Table& to) {
    SetTableRowSecurity security{to.name};
    if (from.row_security != to.row_security) security.enabled = to.row_security;
    if (from.force_row_security != to.force_row_security) security.forced = to.force_row_security;
    if (security.enabled || security.forced) emit(std::move(security));
  }

  // PostgreSQL cannot add a generation expression to an existing column: such
  // a column is dropped and added again.
  static bool replaces_column(const schema::Column& from, const schema::Column& to) {
    return to.generated_expr && from.generated_expr != to.generated_expr;
  }

  // The tables of both catalogs, each after the parents it inherits from
  // (inheritance is the same on both sides: alter_table refuses a change).
  std::vector<QualifiedName> kept_tables_parents_first() const {
    std::vector<QualifiedName> names;
    std::set<QualifiedName> placed;
    std::function<void(const QualifiedName&)> place = [&](const QualifiedName& name) {
      if (placed.contains(name) || !previous_.tables.contains(name) || !desired_.tables.contains(name)) return;
      placed.insert(name);
      for (const auto& parent : desired_.tables.at(name).inherits) place(parent);
      names.push_back(name);
    };
    for (const auto& [name, table] : desired_.tables) place(name);
    return names;
  }

  // True when the plan takes `column` away from the previous table `name`:
  // dropped outright (the desired table lacks it or adds it again), or gone
  // with the parents it only inherits from.
  bool removed_column(const QualifiedName& name, const std::string& column) const {
    const auto old = previous_.tables.find(name);
    const schema::Column* before = old == previous_.tables.end() ? nullptr : old->second.find_column(column);
    if (!before) return false;
    const auto wanted = desired_.tables.find(name);
    return removed_column(old->second, *before,
                          wanted == desired_.tables.end() ? nullptr : wanted->second.find_column(column));
  }

  // The same for a column the caller holds: `before` of the previous table
  // `from`, `after` its namesake in the desired table (null when none).
  bool removed_column(const schema::Table& from, const schema::Column& before, const schema::Column* after) const {
    return goes_with_parents(from, before) || !after || replaces_column(before, *after);
  }

  // A column the previous table only inherits (not local), from parents that
  // all lose it: the server drops it with theirs, and refuses a DROP COLUMN of
  // it while a parent still has it.
  bool goes_with_parents(const schema::Table& table, const schema::Column& column) const {
    if (column.origin.local) return false;
    bool inherited = false;
    for (const auto& parent : table.inherits) {
      const auto found = previous_.tables.find(parent);
      if (found == previous_.tables.end() || !found->second.find_column(column.name)) continue;
      if (!removed_column(parent, column.name)) return false;
      inherited = true;
    }
    return inherited;
  }

  // The definition a kept table's column arrives with when the plan adds it to
  // one of the table's parents: the server adds it to the children too (as an
  // inherited column), so the child's own ADD COLUMN would fail.
  const schema::Column* added_by_parent(const schema::Table& table, const std::string& column) const {
    for (const auto& parent : table.inherits) {
      const auto found = desired_.tables.find(parent);
      const schema::Column* added = found == desired_.tables.end() ? nullptr : found->second.find_column(column);
      if (!added) continue;
      const auto old = previous_.tables.find(parent);
      const bool had = old != previous_.tables.end() && old->second.find_column(column) != nullptr;
      if (!had || removed_column(parent, column)) return added;
    }
    return nullptr;
  }

  // What the parents' own ALTER COLUMN gives a child's column before the
  // child's turn: the server passes a new type (with its collation) and
  // NOT NULL set or dropped down to every table that inherits the column,
  // and refuses a type change written on the child itself.
  void passed_down_from_parents(const schema::Table& child, schema::Column& current) const {
    for (const auto& parent : child.inherits) {
      const auto before = previous_.tables.find(parent);
      const auto after = desired_.tables.find(parent);
      if (before == previous_.tables.end() || after == desired_.tables.end()) continue;
      const schema::Column* old = before->second.find_column(current.name);
      const schema::Column* changed = after->second.find_column(current.name);
      if (!old || !changed || removed_column(parent, current.name)) continue;
      if (!(old->type == changed->type) || old->collation != changed->collation) {
        current.type = changed->type;
        current.collation = changed->collation;
      }
      if (old->not_null != changed->not_null) current.not_null = changed->not_null;
    }
  }

  // The tables below `table` whose `column` goes with the drop of its own,
  // in name order, descendants included.
  std::vector<QualifiedName> losing_with_parent(const QualifiedName& table, const std::string& column) const {
    if (!parents_.contains(table)) return {};
    std::set<QualifiedName> losing;
    std::vector<QualifiedName> pending{table};
    while (!pending.empty()) {
      const QualifiedName parent = pending.back();
      pending.pop_back();
      for (const auto& [name, child] : previous_.tables) {
        if (std::find(child.inherits.begin(), child.inherits.end(), parent) == child.inherits.end()) continue;
        const schema::Column* inherited = child.find_column(column);
        if (inherited && goes_with_parents(child, *inherited) && losing.insert(name).second) pending.push_back(name);
      }
    }
    return {losing.begin(), losing.end()};
  }

  void drop_columns(const schema::Table& from, const schema::Table& to) {
    for (const auto& column : from.columns) {
      const schema::Column* desired = to.find_column(column.name);
      if (!removed_column(from, column, desired)) continue;
      if (!goes_with_parents(from, column)) emit(DropColumn{to.name, column, losing_with_parent(from.name, column.name)});
      reshaped_.insert(to.name);
      if (desired) recreated_.insert(comment_key(CommentTarget::Column, to.name, column.name));
    }
  }

  void alter_columns(const schema::Table& from, const schema::Table& to) {
    for (const auto& column : to.columns) {
      const schema::Column* old = from.find_column(column.name);
      if (!old || removed_column(from, *old, &column)) {
        if (const schema::Column* inherited = added_by_parent(to, column.name)) {
          // What the parent's ADD COLUMN gives the child, then what differs.
          schema::Column current = *inherited;
          current.identity.reset();
          current.comment.reset();
          const ColumnChange changes = column_changes(current, column);
          if (changes != ColumnChange::None) emit(AlterColumn{to.name, std::move(current), column, changes});
        } else {
          emit(AddColumn{to.name, column});
        }
        continue;
      }
      // The column as the changes before this one leave it.
      schema::Column current = *old;
      if (const auto swapped = defaults_after_swap_.find({to.name, column.name}); swapped != defaults_after_swap_.end())
        current.default_expr = swapped->second;
      passed_down_from_parents(to, current);
      const ColumnChange changes = column_changes(current, column);
      if (changes == ColumnChange::None) continue;
      alter_column(to.name, std::move(current), column);
      if (has(changes, ColumnChange::Type) || has(changes, ColumnChange::Collation)) reshaped_.insert(to.name);
    }
  }

  // An identity that comes or goes is a change of its own, so that it can be
  // ordered apart from the rest: its implicit sequence takes a name (t_c_seq)
  // that a serial column's sequence going away, or coming, holds too.
  void alter_column(const QualifiedName& table, schema::Column from, const schema::Column& to) {
    const bool identity_goes = from.identity && !to.identity;
    const bool identity_comes = !from.identity && to.identity;
    if (!identity_goes && !identity_comes) {
      const ColumnChange changes = column_changes(from, to);
      emit(AlterColumn{table, std::move(from), to, changes});
      return;
    }
    schema::Column middle = identity_goes ? from : to;
    middle.identity.reset();
    // (A default beside the identity is a serial's nextval, or it counts nothing.)
    const bool counter_replaced = identity_comes ? from.default_expr.has_value() : to.default_expr.has_value();
    for (const auto& [before, after] : {std::pair<const schema::Column*, const schema::Column*>{&from, &middle},
                                        std::pair<const schema::Column*, const schema::Column*>{&middle, &to}})
      if (const ColumnChange changes = column_changes(*before, *after); changes != ColumnChange::None)
        emit(AlterColumn{table, *before, *after, changes, counter_replaced});
  }

  // Tables whose keys (primary, unique, exclusion constraints or unique
  // indexes) are dropped: a foreign key referencing them depends on one of
  // them and must go first, then come back.
  void find_rekeyed_tables() {
    for (const auto& [name, table] : previous_.tables) {
      const auto desired = desired_.tables.find(name);
      if (desired == desired_.tables.end()) continue;
      for (const auto& constraint : table.constraints) {
        const schema::Constraint* kept = desired->second.find_constraint(constraint.name);
        if (!is_foreign_key(constraint) && (!kept || !same_but_comment(constraint, *kept))) rekeyed_.insert(name);
      }
    }
    for (const auto& [name, index] : previous_.indexes) {
      const auto desired = desired_.indexes.find(name);
      if (index.unique && (desired == desired_.indexes.end() || !same_but_comment(index, desired->second)))
        rekeyed_.insert(index.table);
    }
  }

  bool references_rekeyed_table(const schema::Constraint& constraint) const {
    const auto* key = std::get_if<schema::ForeignKey>(&constraint.body);
    return key && rekeyed_.contains(key->referenced_table);
  }

  // An unchanged constraint that must still go and come back.
  bool recreated_unchanged(const schema::Constraint& constraint, const QualifiedName& table) const {
    if (const auto* check = std::get_if<schema::Check>(&constraint.body);
        check && (calls_dropped_routine(check->expression) || child_copy_unvalidated(constraint, table)))
      return true;
    return references_rekeyed_table(constraint) || broken_by_retyping(constraint, table) ||
           on_readded_column(constraint, table);
  }

  // A NOT VALID check whose copy in a child was validated and is to be NOT
  // VALID again: nothing undoes a validation but adding the parent's anew.
  bool child_copy_unvalidated(const schema::Constraint& constraint, const QualifiedName& table) const {
    if (!constraint.not_valid || !parents_.contains(table)) return false;
    for (const auto& [name, child] : desired_.tables) {
      if (std::find(child.inherits.begin(), child.inherits.end(), table) == child.inherits.end()) continue;
      const schema::Constraint* copy = child.find_constraint(constraint.name);
      const auto before = previous_.tables.find(name);
      const schema::Constraint* old_copy =
          before == previous_.tables.end() ? nullptr : before->second.find_constraint(constraint.name);
      if (copy != nullptr && copy->not_valid && old_copy != nullptr && !old_copy->not_valid) return true;
    }
    return false;
  }

  // A child's CHECK constraint of the same name as one of its parents' is
  // the parent's, inherited: the parent's ADD and DROP reach it, and the
  // server refuses to drop it on its own.
  static bool inherited_check(const schema::Constraint& constraint, const schema::Table& child, const Catalog& catalog) {
    if (!std::holds_alternative<schema::Check>(constraint.body)) return false;
    return std::any_of(child.inherits.begin(), child.inherits.end(), [&](const QualifiedName& parent) {
      const auto found = catalog.tables.find(parent);
      const schema::Constraint* own = found == catalog.tables.end() ? nullptr : found->second.find_constraint(constraint.name);
      return own != nullptr && own->body == constraint.body;
    });
  }

  // Only validated: what held the rows back from it is gone.
  static bool only_validated(const schema::Constraint& from, const schema::Constraint& to) {
    schema::Constraint validated = from;
    validated.not_valid = false;
    return from.not_valid && !to.not_valid && same_but_comment(validated, to);
  }

  void alter_constraints(const schema::Table& from, const schema::Table& to) {
    for (const auto& constraint : from.constraints) {
      if (inherited_check(constraint, from, previous_)) continue;
      const schema::Constraint* desired = to.find_constraint(constraint.name);
      if (desired && only_validated(constraint, *desired) && !recreated_unchanged(constraint, from.name)) {
        emit(ValidateConstraint{to.name, constraint.name});
        continue;
      }
      if (desired && same_but_comment(constraint, *desired) && !recreated_unchanged(constraint, from.name)) continue;
      emit(DropConstraint{to.name, constraint});
      if (desired) recreated_.insert(comment_key(CommentTarget::Constraint, to.name, constraint.name));
    }
    for (const auto& constraint : to.constraints) {
      const schema::Constraint* old = from.find_constraint(constraint.name);
      if (inherited_check(constraint, to, desired_)) {
        // A child may validate its copy of a parent's NOT VALID check alone.
        if (old != nullptr && only_validated(*old, constraint)) emit(ValidateConstraint{to.name, constraint.name});
        continue;
      }
      if (!old || recreated_unchanged(*old, from.name) ||
          (!same_but_comment(*old, constraint) && !only_validated(*old, constraint)))
        emit(AddConstraint{to.name, constraint});
    }
  }

  // ---- views and routines ---------------------------------------------------------------

  // A view is recreated when it changes or reads a relation whose columns
  // change, a view that is recreated or a routine that is dropped; a routine is
  // dropped and created again when CREATE OR REPLACE cannot change it, or
  // when it takes or returns the row type of a recreated view (the server
  // refuses to drop the view under it).
  void routines() {
    for (const auto& [signature, function] : previous_.functions) {
      const auto desired = desired_.functions.find(signature);
      if (desired == desired_.functions.end() || !replaceable(function, desired->second) ||
          recreated_routines_.contains(signature))
        replaced_routines_.insert(function.name);
    }
    std::set<QualifiedName> recreated_views;
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& [name, view] : previous_.views) {
        if (recreated_views.contains(name)) continue;
        const auto desired = desired_.views.find(name);
        bool recreate = desired == desired_.views.end() || !same_but_comment(view, desired->second);
        for (const auto& relation : view.depends_on.relations)
          recreate = recreate || reshaped_.contains(relation) || recreated_views.contains(relation);
        for (const auto& function : view.depends_on.functions)
          recreate = recreate || replaced_routines_.contains(function);
        if (recreate) grew = recreated_views.insert(name).second;
      }
      for (const auto& [signature, function] : previous_.functions) {
        if (recreated_routines_.contains(signature) || !uses_row_type_of(function, recreated_views)) continue;
        recreated_routines_.insert(signature);
        replaced_routines_.insert(function.name);
        grew = true;
      }
    }
    for (const auto& name : recreated_views) {
      const schema::View& view = previous_.views.at(name);
      emit(DropView{view});
      reshaped_.insert(name);
      if (desired_.views.contains(name))
        recreated_.insert(comment_key(view_target(view), name));
    }
    for (const auto& [name, view] : desired_.views)
      if (!previous_.views.contains(name) || recreated_views.contains(name)) emit(CreateView{view});

    for (const auto& [signature, function] : previous_.functions) {
      const auto desired = desired_.functions.find(signature);
      if (desired == desired_.functions.end()) {
        emit(DropFunction{function});
      } else if (!same_but_comment(function, desired->second) || recreated_routines_.contains(signature)) {
        const bool or_replace = replaceable(function, desired->second) && !recreated_routines_.contains(signature);
        if (!or_replace) {
          emit(DropFunction{function});
          recreated_.insert(function_comment_key(function));
        }
        emit(CreateFunction{desired->second, or_replace});
      }
    }
    for (const auto& [signature, function] : desired_.functions)
      if (!previous_.functions.contains(signature)) emit(CreateFunction{function, false});
  }

  static bool uses_row_type_of(const schema::Function& function, const std::set<QualifiedName>& relations) {
    const auto row_type = [&](const schema::TypeRef& type) {
      return !type.is_builtin() && relations.contains({type.schema, type.name});
    };
    return (function.returns && row_type(*function.returns)) ||
           std::any_of(function.args.begin(), function.args.end(),
                       [&](const schema::FunctionArg& arg) { return row_type(arg.type); });
  }

  // CREATE OR REPLACE keeps a routine's kind, arguments and result type.
  static bool replaceable(const schema::Function& from, const schema::Function& to) {
    return from.kind == to.kind && from.args == to.args && from.returns == to.returns &&
           from.returns_set == to.returns_set;
  }

  static CommentTarget view_target(const schema::View& view) {
    return view.materialized ? CommentTarget::MaterializedView : CommentTarget::View;
  }

  // ---- indexes, triggers, policies --------------------------------------------------------

  // Objects that hang off a relation or routine that is recreated are
  // recreated with it.
  template <typename Map, typename Drop, typename Create, typename Depends>
  void replace_dependents(const Map& previous, const Map& desired, const Drop& drop, const Create& create,
                          const Depends& depends_on_recreated) {
    for (const auto& [key, object] : previous) {
      const auto wanted = desired.find(key);
      const bool gone = wanted == desired.end();
      if (!gone && same_but_comment(object, wanted->second) && !depends_on_recreated(object)) continue;
      drop(key, object, !gone);
    }
    for (const auto& [key, object] : desired) {
      const auto old = previous.find(key);
      if (old == previous.end() || !same_but_comment(old->second, object) || depends_on_recreated(old->second))
        create(object);
    }
  }

  bool recreated_relation(const QualifiedName& name) const {
    return recreated_.contains(comment_key(CommentTarget::View, name)) ||
           recreated_.contains(comment_key(CommentTarget::MaterializedView, name)) ||
           (previous_.views.contains(name) && !desired_.views.contains(name));
  }

  void indexes() {
    replace_dependents(
        previous_.indexes, desired_.indexes,
        [&](const QualifiedName& name, const schema::Index& index, bool kept) {
          emit(DropIndex{index});
          if (kept) recreated_.insert(comment_key(CommentTarget::Index, name));
        },
        [&](const schema::Index& index) { emit(CreateIndex{index}); },
        [&](const schema::Index& index) {
          return recreated_relation(index.table) || broken_by_retyping(index) || calls_dropped_routine(index) ||
                 on_readded_column(index);
        });
  }

  void triggers() {
    replace_dependents(
        previous_.triggers, desired_.triggers,
        [&](const TriggerKey& key, const schema::Trigger& trigger, bool kept) {
          emit(DropTrigger{trigger});
          if (kept) recreated_.insert(comment_key(CommentTarget::Trigger, key.table, key.name));
        },
        [&](const schema::Trigger& trigger) { emit(CreateTrigger{trigger}); },
        [&](const schema::Trigger& trigger) {
          return recreated_relation(trigger.table) || replaced_routines_.contains(trigger.function) ||
                 broken_by_retyping(trigger);
        });
  }

  // ALTER POLICY where it can: new roles, new or changed expressions.
  void policies() {
    std::map<TriggerKey, schema::Policy> previous = previous_.policies;
    for (const auto& [key, policy] : desired_.policies) {
      const auto old = previous.find(key);
      if (old == previous.end() || same_but_comment(old->second, policy)) continue;
      const schema::Policy& from = old->second;
      const bool in_place = from.command == policy.command && from.permissive == policy.permissive &&
                            (!from.using_expr || policy.using_expr) && (!from.check_expr || policy.check_expr) &&
                            !broken_by_retyping(from) && !calls_dropped_routine(from);
      if (!in_place) continue;
      emit(AlterPolicy{from, policy});
      old->second = policy;
      old->second.comment = previous_.policies.at(key).comment;
    }
    replace_dependents(
        previous, desired_.policies,
        [&](const TriggerKey& key, const schema::Policy& policy, bool kept) {
          emit(DropPolicy{policy});
          if (kept) recreated_.insert(comment_key(CommentTarget::Policy, key.table, key.name));
        },
        [&](const schema::Policy& policy) { emit(CreatePolicy{policy}); },
        [&](const schema::Policy& policy) { return broken_by_retyping(policy) || calls_dropped_routine(policy); });
  }

  // ---- comments ---------------------------------------------------------------------------

  static std::string comment_key(CommentTarget target, const QualifiedName& object, const std::string& member = {}) {
    return std::to_string(static_cast<int>(target)) + ":" + object.schema + "." + object.name + "." + member;
  }
  static std::string function_comment_key(const schema::Function& function) {
    return comment_key(CommentTarget::Function, function.name, function.signature());
  }

  // Emits a SetComment when the comment the object has after the other
  // changes (none when it is new or recreated) is not the desired one.
  void comment(SetComment change, const std::optional<std::string>* previous, const std::string& key) {
    const std::optional<std::string> current = previous && !recreated_.contains(key) ? *previous : std::nullopt;
    if (current == change.text) return;
    emit(std::move(change));
  }

  // Neither side has a comment: there is nothing to set, recreated or not.
  // Most objects have none; this spares building their change and key.
  static bool uncommented(const std::optional<std::string>& desired, const std::optional<std::string>* previous) {
    return !desired && (previous == nullptr || !*previous);
  }

  template <typename Map, typename Key>
  static const typename Map::mapped_type* find(const Map& map, const Key& key) {
    const auto found = map.find(key);
    return found == map.end() ? nullptr : &found->second;
  }

  void comments() {
    for (const auto& [name, schema] : desired_.schemas) {
      const auto* old = find(previous_.schemas, name);
      comment({CommentTarget::Schema, {"", name}, "", "", schema.comment}, old ? &old->comment : nullptr,
              comment_key(CommentTarget::Schema, {"", name}));
    }
    for (const auto& [name, extension] : desired_.extensions) {
      const auto* old = find(previous_.extensions, name);
      comment({CommentTarget::Extension, {"", name}, "", "", extension.comment}, old ? &old->comment : nullptr,
              comment_key(CommentTarget::Extension, {"", name}));
    }
    named_comments(previous_.enums, desired_.enums, CommentTarget::Type);
    named_comments(previous_.domains, desired_.domains, CommentTarget::Domain);
    named_comments(previous_.composite_types, desired_.composite_types, CommentTarget::Type);
    named_comments(previous_.sequences, desired_.sequences, CommentTarget::Sequence);
    named_comments(previous_.indexes, desired_.indexes, CommentTarget::Index);
    for (const auto& [name, table] : desired_.tables) table_comments(find(previous_.tables, name), table);
    for (const auto& [name, view] : desired_.views) {
      const auto* old = find(previous_.views, name);
      comment({view_target(view), name, "", "", view.comment}, old ? &old->comment : nullptr,
              comment_key(view_target(view), name));
    }
    for (const auto& [signature, function] : desired_.functions) {
      const auto* old = find(previous_.functions, signature);
      const CommentTarget target =
          function.kind == schema::RoutineKind::Procedure ? CommentTarget::Procedure : CommentTarget::Function;
      comment({target, function.name, "", signature.substr(signature.find('(')), function.comment},
              old ? &old->comment : nullptr, function_comment_key(function));
    }
    member_comments(previous_.triggers, desired_.triggers, CommentTarget::Trigger);
    member_comments(previous_.policies, desired_.policies, CommentTarget::Policy);
  }

  template <typename Map>
  void named_comments(const Map& previous, const Map& desired, CommentTarget target) {
    for (const auto& [name, object] : desired) {
      const auto* old = find(previous, name);
      if (uncommented(object.comment, old ? &old->comment : nullptr)) continue;
      comment({target, name, "", "", object.comment}, old ? &old->comment : nullptr, comment_key(target, name));
    }
  }

  template <typename Map>
  void member_comments(const Map& previous, const Map& desired, CommentTarget target) {
    for (const auto& [key, object] : desired) {
      const auto* old = find(previous, key);
      if (uncommented(object.comment, old ? &old->comment : nullptr)) continue;
      comment({target, key.table, key.name, "", object.comment}, old ? &old->comment : nullptr,
              comment_key(target, key.table, key.name));
    }
  }

  void table_comments(const schema::Table* old, const schema::Table& table) {
    comment({CommentTarget::Table, table.name, "", "", table.comment}, old ? &old->comment : nullptr,
            comment_key(CommentTarget::Table, table.name));
    for (const auto& column : table.columns) {
      const schema::Column* old_column = old ? old->find_column(column.name) : nullptr;
      if (uncommented(column.comment, old_column ? &old_column->comment : nullptr)) continue;
      comment({CommentTarget::Column, table.name, column.name, "", column.comment},
              old_column ? &old_column->comment : nullptr, comment_key(CommentTarget::Column, table.name, column.name));
    }
    for (const auto& constraint : table.constraints) {
      const schema::Constraint* old_constraint = old ? old->find_constraint(constraint.name) : nullptr;
      if (uncommented(constraint.comment, old_constraint ? &old_constraint->comment : nullptr)) continue;
      comment({CommentTarget::Constraint, table.name, constraint.name, "", constraint.comment},
              old_constraint ? &old_constraint->comment : nullptr,
              comment_key(CommentTarget::Constraint, table.name, constraint.name));
    }
  }

  const Catalog& previous_;
  const Catalog& desired_;
  std::vector<Change> out_;
  std::set<QualifiedName> parents_;  // previous tables that others inherit from
  // What enum swaps recreate: domains over a swapped enum (the swap itself)
  // and composite types holding one (dropped before the swap, created after it).
  std::set<QualifiedName> swapped_domains_;
  std::set<QualifiedName> swapped_composites_;
  // Routines dropped and created again though CREATE OR REPLACE could change
  // them: they use a swapped type or a recreated view's row type.
  std::set<std::string> recreated_routines_;
  std::set<QualifiedName> temporary_types_;  // the names swaps give their new types
  std::set<QualifiedName> dropped_routines_;  // by name: a call names no signature
  // The enums swapped with the domains over them.
  std::set<QualifiedName> swapped_types_;
  // Columns whose type changes in place, and those among them whose values change kind.
  ColumnSet retyped_columns_;
  ColumnSet recast_columns_;
  ColumnSet readded_columns_;  // dropped and added again (a new generation expression)
  // The default of each column converted by an enum swap once the swap is done.
  std::map<schema::ColumnRef, std::optional<std::string>> defaults_after_swap_;
  // Tables whose keys are dropped: foreign keys referencing them are recreated.
  std::set<QualifiedName> rekeyed_;
  // Relations whose columns change so that views reading them must be recreated.
  std::set<QualifiedName> reshaped_;
  // Routines dropped (for good or to be created again): triggers calling them are recreated.
  std::set<QualifiedName> replaced_routines_;
  // Comment keys of objects that exist in both catalogs but are dropped and
  // created again, losing their comment.
  std::set<std::string> recreated_;
};


// The interpreter's statement for a rename: it applies the rename with
// everything that follows from it (keys, foreign keys and indexes naming a
// renamed column, ...), as the server does.
parser::Statement rename_statement(const RenameObject& rename) {
  using parser::ObjectKind;
  auto renamed = [&](ObjectKind kind, QualifiedName name, QualifiedName parent) {
    return parser::Rename{parser::ObjectRef{kind, std::move(name), std::move(parent)}, rename.new_name};
  };
  parser::StatementBody body = [&]() -> parser::StatementBody {
    switch (rename.kind) {
      case RenameKind::Table: return renamed(ObjectKind::Table, rename.object, {});
      case RenameKind::Index: return renamed(ObjectKind::Index, rename.object, {});
      case RenameKind::Enum: return renamed(ObjectKind::Type, rename.object, {});
      case RenameKind::Sequence: return renamed(ObjectKind::Sequence, rename.object, {});
      case RenameKind::Column: return renamed(ObjectKind::Column, {"", rename.member}, rename.object);
      case RenameKind::Constraint: return renamed(ObjectKind::Constraint, {"", rename.member}, rename.object);
      case RenameKind::EnumValue: return parser::RenameEnumValue{rename.object, rename.member, rename.new_name};
      case RenameKind::IdentitySequence: return parser::PassOver{"identity sequence names are not modelled"};
    }
    return parser::PassOver{};
  }();
  return parser::Statement{std::move(body), SourceLocation{"rename hint"}, ""};
}

}  // namespace

// OLD is "schema.table", "schema.index", "schema.enum", "schema.table.column",
// "schema.table.constraint" or "schema.enum.value"; NEW is the new name.
std::optional<RenameObject> find_rename(const Catalog& previous, const std::string& old_path,
                                        const std::string& new_name) {
  const std::vector<std::string> parts = parser::split_rename_path(old_path);
  auto fail = [&](const std::string& why) {
    return Error("rename hint " + old_path + "=" + new_name + ": " + why);
  };
  if (new_name.empty()) throw fail("NEW is empty");
  if (parts.size() < 2 || parts.size() > 3) throw fail("OLD must be schema.object or schema.object.member");
  const QualifiedName object{parts[0], parts[1]};
  if (parts.size() == 2) {
    if (previous.tables.contains(object)) return RenameObject{RenameKind::Table, object, "", new_name};
    if (previous.indexes.contains(object)) return RenameObject{RenameKind::Index, object, "", new_name};
    if (previous.enums.contains(object)) return RenameObject{RenameKind::Enum, object, "", new_name};
    return std::nullopt;
  }
  const std::string& member = parts[2];
  if (const auto table = previous.tables.find(object); table != previous.tables.end()) {
    if (table->second.find_column(member)) return RenameObject{RenameKind::Column, object, member, new_name};
    if (table->second.find_constraint(member)) return RenameObject{RenameKind::Constraint, object, member, new_name};
  } else if (const auto type = previous.enums.find(object); type != previous.enums.end()) {
    if (std::find(type->second.values.begin(), type->second.values.end(), member) != type->second.values.end())
      return RenameObject{RenameKind::EnumValue, object, member, new_name};
  }
  return std::nullopt;
}

RenameObject resolve_rename(const Catalog& previous, const std::string& old_path, const std::string& new_name) {
  std::optional<RenameObject> rename = find_rename(previous, old_path, new_name);
  if (!rename)
    throw Error("rename hint " + old_path + "=" + new_name + ": the previous schema has no table, index, enum, "
                "column, constraint or enum value " + old_path);
  return std::move(*rename);
}

void apply_rename(parser::Interpreter& interpreter, const RenameObject& rename) {
  interpreter.apply(rename_statement(rename));
}

namespace {

// A sequence owned by a renamed table's or column's serial column keeps its
// old name on the server (users_id_seq), where the desired schema's serial
// makes it under the new one (people_id_seq): the sequence is renamed too,
// so that it keeps its counter, instead of being dropped and made anew.
std::vector<RenameObject> owned_sequence_renames(const Catalog& renamed, const Catalog& desired) {
  std::vector<RenameObject> renames;
  for (const auto& [name, sequence] : renamed.sequences) {
    if (!sequence.owned_by || desired.sequences.contains(name)) continue;
    for (const auto& [wanted_name, wanted] : desired.sequences)
      if (wanted.owned_by == sequence.owned_by && wanted_name.schema == name.schema &&
          !renamed.has_relation(wanted_name))
        renames.push_back({RenameKind::Sequence, name, "", wanted_name.name});
  }
  return renames;
}

// The identity columns of renamed tables and renamed identity columns take
// a sequence named after their new names, as a fresh build gives them.
std::vector<RenameObject> identity_sequence_renames(const std::vector<RenameObject>& renames, const Catalog& renamed,
                                                    const Catalog& desired) {
  std::vector<RenameObject> sequence_renames;
  std::set<std::pair<QualifiedName, std::string>> seen;
  auto rename_for = [&](const QualifiedName& table_name, const schema::Column& column) {
    if (!seen.emplace(table_name, column.name).second) return;
    const auto wanted = desired.tables.find(table_name);
    const schema::Column* desired_column = wanted == desired.tables.end() ? nullptr : wanted->second.find_column(column.name);
    if (!column.identity || desired_column == nullptr || !desired_column->identity) return;
    const std::string name = schema::choose_name(table_name.name, column.name, "seq", [&](const std::string& n) {
      return renamed.has_relation({table_name.schema, n}) || desired.has_relation({table_name.schema, n});
    });
    sequence_renames.push_back({RenameKind::IdentitySequence, table_name, column.name, name});
  };
  for (const auto& rename : renames) {
    if (rename.kind == RenameKind::Table) {
      const QualifiedName table_name{rename.object.schema, rename.new_name};
      if (const auto table = renamed.tables.find(table_name); table != renamed.tables.end())
        for (const auto& column : table->second.columns) rename_for(table_name, column);
    } else if (rename.kind == RenameKind::Column) {
      if (const auto table = renamed.tables.find(rename.object); table != renamed.tables.end())
        if (const schema::Column* column = table->second.find_column(rename.new_name)) rename_for(rename.object, *column);
    }
  }
  return sequence_renames;
}

}  // namespace

std::vector<Change> diff(const Catalog& previous, const Catalog& desired, const PlanOptions& options) {
  if (options.renames.empty()) return Differ(previous, desired).run();
  std::vector<Change> changes;
  parser::Interpreter renamed(previous);
  std::vector<RenameObject> hinted;
  for (const auto& [old_path, new_name] : options.renames) {
    hinted.push_back(resolve_rename(renamed.catalog(), old_path, new_name));
    apply_rename(renamed, hinted.back());
    changes.emplace_back(hinted.back());
  }
  for (auto& rename : owned_sequence_renames(renamed.catalog(), desired)) {
    apply_rename(renamed, rename);
    changes.emplace_back(std::move(rename));
  }
  for (auto& rename : identity_sequence_renames(hinted, renamed.catalog(), desired))
    changes.emplace_back(std::move(rename));
  for (auto& change : Differ(renamed.catalog(), desired).run()) changes.push_back(std::move(change));
  return changes;
}

}  // namespace strata::planner
