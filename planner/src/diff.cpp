#include "strata/planner/diff.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "strata/parser/interpreter.h"
#include "strata/parser/rename_hints.h"
#include "strata/schema/error.h"
#include "strata/schema/names.h"

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
 public:
  Differ(const Catalog& previous, const Catalog& desired) : previous_(previous), desired_(desired) {}

  std::vector<Change> run() {
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

  void extensions() {
    replace_on_change<CreateExtension, DropExtension>(previous_.extensions, desired_.extensions,
                                                      CommentTarget::Extension);
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
          emit(SwapEnum{old->second, type, enum_columns(name)});
          recreated_.insert(comment_key(CommentTarget::Type, name));
        }
      }
    }
    for (const auto& [name, type] : previous_.enums)
      if (!desired_.enums.contains(name)) emit(DropEnum{type});
  }

  // The columns that still hold values of `type` when it is swapped: those of
  // the previous catalog that survive into the desired one. Throws for other
  // users of the type, which the swap does not convert yet.
  std::vector<EnumColumn> enum_columns(const QualifiedName& type) {
    auto refuse = [&](const std::string& user) {
      throw Error("enum " + schema::qualified_sql(type) + ": removing or reordering values of an enum used by " +
                  user + " is not supported yet");
    };
    for (const auto& [name, domain] : previous_.domains)
      if (uses_type(domain.base_type, type)) refuse("domain " + schema::qualified_sql(name));
    for (const auto& [name, composite] : previous_.composite_types)
      for (const auto& attribute : composite.attributes)
        if (uses_type(attribute.type, type)) refuse("type " + schema::qualified_sql(name));
    for (const auto& [signature, function] : previous_.functions) {
      const bool in_arguments = std::any_of(function.args.begin(), function.args.end(),
                                            [&](const schema::FunctionArg& arg) { return uses_type(arg.type, type); });
      if (in_arguments || (function.returns && uses_type(*function.returns, type))) refuse("routine " + signature);
    }
    std::vector<EnumColumn> columns;
    for (const auto& [table_name, table] : previous_.tables) {
      const auto desired_table = desired_.tables.find(table_name);
      if (desired_table == desired_.tables.end()) continue;
      for (const auto& column : table.columns) {
        const schema::Column* desired_column = desired_table->second.find_column(column.name);
        if (!uses_type(column.type, type) || !desired_column || replaces_column(column, *desired_column)) continue;
        std::optional<std::string> restored;
        if (desired_column->type == column.type) restored = desired_column->default_expr;
        defaults_after_swap_[{table_name, column.name}] = restored;
        columns.push_back({table_name, column.name, column.type.array_dims, column.default_expr.has_value(),
                           std::move(restored)});
        reshaped_.insert(table_name);
      }
    }
    return columns;
  }

  // Domains and composite types: dropped and created again when they change.
  void types() {
    domains();
    replace_on_change<CreateCompositeType, DropCompositeType>(previous_.composite_types, desired_.composite_types,
                                                              CommentTarget::Type);
  }

  // In place where ALTER DOMAIN can do it, so the columns of the domain keep it.
  void domains() {
    replace_on_change<CreateDomain, DropDomain>(
        previous_.domains, desired_.domains, CommentTarget::Domain,
        [&](const schema::Domain& from, const schema::Domain& to) {
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
        if (sequence.owned_by) emit(SetSequenceOwner{name, sequence.owned_by});
        continue;
      }
      if (old->second.options != sequence.options) emit(AlterSequence{name, sequence.options});
      if (old->second.owned_by != sequence.owned_by) emit(SetSequenceOwner{name, sequence.owned_by});
    }
    for (const auto& [name, sequence] : previous_.sequences)
      if (!desired_.sequences.contains(name) && !dropped_with_owner(sequence)) emit(DropSequence{sequence});
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
    for (const auto& [name, table] : desired_.tables) {
      const auto old = previous_.tables.find(name);
      if (old == previous_.tables.end())
        create_table(table);
      else
        alter_table(old->second, table);
    }
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
      if (is_foreign_key(constraint)) emit(AddConstraint{table.name, constraint});
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

  void alter_columns(const schema::Table& from, const schema::Table& to) {
    for (const auto& column : from.columns) {
      const schema::Column* desired = to.find_column(column.name);
      if (desired && !replaces_column(column, *desired)) continue;
      emit(DropColumn{to.name, column});
      reshaped_.insert(to.name);
      if (desired) recreated_.insert(comment_key(CommentTarget::Column, to.name, column.name));
    }
    for (const auto& column : to.columns) {
      const schema::Column* old = from.find_column(column.name);
      if (!old || replaces_column(*old, column)) {
        emit(AddColumn{to.name, column});
        continue;
      }
      // The column as the changes before this one leave it.
      schema::Column current = *old;
      if (const auto swapped = defaults_after_swap_.find({to.name, column.name}); swapped != defaults_after_swap_.end())
        current.default_expr = swapped->second;
      const ColumnChange changes = column_changes(current, column);
      if (changes == ColumnChange::None) continue;
      emit(AlterColumn{to.name, std::move(current), column, changes});
      if (has(changes, ColumnChange::Type) || has(changes, ColumnChange::Collation)) reshaped_.insert(to.name);
    }
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

  void alter_constraints(const schema::Table& from, const schema::Table& to) {
    for (const auto& constraint : from.constraints) {
      const schema::Constraint* desired = to.find_constraint(constraint.name);
      if (desired && same_but_comment(constraint, *desired) && !references_rekeyed_table(constraint)) continue;
      emit(DropConstraint{to.name, constraint});
      if (desired) recreated_.insert(comment_key(CommentTarget::Constraint, to.name, constraint.name));
    }
    for (const auto& constraint : to.constraints) {
      const schema::Constraint* old = from.find_constraint(constraint.name);
      if (!old || !same_but_comment(*old, constraint) || references_rekeyed_table(*old))
        emit(AddConstraint{to.name, constraint});
    }
  }

  // ---- views and routines ---------------------------------------------------------------

  // A view is recreated when it changes or reads a relation whose columns
  // change, a view that is recreated or a routine that is dropped; a routine is
  // dropped and created again when CREATE OR REPLACE cannot change it.
  void routines() {
    for (const auto& [signature, function] : previous_.functions) {
      const auto desired = desired_.functions.find(signature);
      if (desired == desired_.functions.end() || !replaceable(function, desired->second))
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
      } else if (!same_but_comment(function, desired->second)) {
        const bool or_replace = replaceable(function, desired->second);
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
        [&](const schema::Index& index) { return recreated_relation(index.table); });
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
          return recreated_relation(trigger.table) || replaced_routines_.contains(trigger.function);
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
                            (!from.using_expr || policy.using_expr) && (!from.check_expr || policy.check_expr);
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
        [](const schema::Policy&) { return false; });
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
      case RenameKind::Column: return renamed(ObjectKind::Column, {"", rename.member}, rename.object);
      case RenameKind::Constraint: return renamed(ObjectKind::Constraint, {"", rename.member}, rename.object);
      case RenameKind::EnumValue: return parser::RenameEnumValue{rename.object, rename.member, rename.new_name};
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

std::vector<Change> diff(const Catalog& previous, const Catalog& desired, const PlanOptions& options) {
  if (options.renames.empty()) return Differ(previous, desired).run();
  std::vector<Change> changes;
  parser::Interpreter renamed(previous);
  for (const auto& [old_path, new_name] : options.renames) {
    RenameObject rename = resolve_rename(renamed.catalog(), old_path, new_name);
    apply_rename(renamed, rename);
    changes.emplace_back(std::move(rename));
  }
  for (auto& change : Differ(renamed.catalog(), desired).run()) changes.push_back(std::move(change));
  return changes;
}

}  // namespace strata::planner
