#include "strata/planner/order.h"

#include <algorithm>
#include <map>
#include <set>

#include "strata/parser/postgres_parser.h"
#include "strata/schema/names.h"

namespace strata::planner {
namespace {

using schema::Catalog;

enum class Phase : std::uint8_t {
  Renames,
  DropTriggersAndPolicies,
  DropForeignKeys,
  DropIndexes,
  DropConstraints,
  DropViewsAndRoutines,
  DropTablesAndColumns,
  DropIdentities,
  DropReplaced,
  CreateSchemas,
  CreateExtensions,
  CreateTypes,
  CreateEarlyRoutines,
  CreateSequences,
  CreateTables,
  AlterColumns,
  SetSequenceOwners,
  DropSequences,
  AddIdentities,
  DropLateRoutines,
  DropTypes,
  DropExtensions,
  DropSchemas,
  AddConstraints,
  CreateIndexes,
  AddForeignKeys,
  CreateViewsAndRoutines,
  CreateViewIndexes,
  CreateTriggers,
  SetRowSecurity,
  CreatePolicies,
  SetComments,
};

bool is_foreign_key(const schema::Constraint& constraint) {
  return std::holds_alternative<schema::ForeignKey>(constraint.body);
}

// A routine that reads no relation is created before the tables, so that
// defaults and checks may call it.
bool reads_relations(const schema::Function& function, const Catalog& desired) {
  if (!function.depends_on.relations.empty()) return true;
  auto is_row_type = [&](const std::optional<schema::TypeRef>& type) {
    return type && !type->is_builtin() && desired.has_relation({type->schema, type->name});
  };
  return is_row_type(function.returns) ||
         std::any_of(function.args.begin(), function.args.end(), [&](const auto& arg) { return is_row_type(arg.type); });
}

// Keys of objects ("relation public.t", "routine public.f", "type public.d"):
// what a change creates or drops, and what it needs.
std::string relation_key(const QualifiedName& name) { return "relation " + schema::qualified_sql(name); }
std::string routine_key(const QualifiedName& name) { return "routine " + schema::qualified_sql(name); }
std::string type_key(const QualifiedName& name) { return "type " + schema::qualified_sql(name); }
std::string extension_key(const std::string& name) { return "extension " + name; }

std::vector<std::string> needs_of(const schema::Domain& domain);

class Phases {
 public:
  Phases(const Catalog& desired, std::set<std::string> created, std::set<std::string> called_by_domains,
         std::set<std::string> called_by_dropped_domains)
      : desired_(desired),
        created_(std::move(created)),
        called_by_domains_(std::move(called_by_domains)),
        called_by_dropped_domains_(std::move(called_by_dropped_domains)) {}

  Phase operator()(const RenameObject&) const { return Phase::Renames; }
  Phase operator()(const CreateSchema&) const { return Phase::CreateSchemas; }
  Phase operator()(const DropSchema&) const { return Phase::DropSchemas; }
  Phase operator()(const CreateExtension&) const { return Phase::CreateExtensions; }
  Phase operator()(const UpdateExtension&) const { return Phase::CreateExtensions; }
  Phase operator()(const DropExtension& c) const {
    return created_.contains(extension_key(c.extension.name)) ? Phase::DropReplaced : Phase::DropExtensions;
  }
  Phase operator()(const CreateEnum&) const { return Phase::CreateTypes; }
  Phase operator()(const DropEnum& c) const { return type_drop(c.type.name); }
  Phase operator()(const AddEnumValue&) const { return Phase::CreateTypes; }
  Phase operator()(const SwapEnum&) const { return Phase::CreateTypes; }
  Phase operator()(const CreateDomain&) const { return Phase::CreateTypes; }
  Phase operator()(const DropDomain& c) const {
    return recreated(c.domain.base_type) ? Phase::DropReplaced : type_drop(c.domain.name);
  }
  // A new check may call a routine created with the relations; it validates the rows there.
  Phase operator()(const AlterDomain&) const { return Phase::AlterColumns; }
  Phase operator()(const CreateCompositeType&) const { return Phase::CreateTypes; }
  Phase operator()(const DropCompositeType& c) const {
    const bool holds_recreated = std::any_of(c.type.attributes.begin(), c.type.attributes.end(),
                                             [&](const schema::CompositeAttribute& a) { return recreated(a.type); });
    return holds_recreated ? Phase::DropReplaced : type_drop(c.type.name);
  }
  Phase operator()(const CreateSequence&) const { return Phase::CreateSequences; }
  Phase operator()(const DropSequence&) const { return Phase::DropSequences; }
  Phase operator()(const AlterSequence&) const { return Phase::CreateSequences; }
  Phase operator()(const SetSequenceOwner&) const { return Phase::SetSequenceOwners; }
  Phase operator()(const CreateTable&) const { return Phase::CreateTables; }
  Phase operator()(const DropTable&) const { return Phase::DropTablesAndColumns; }
  Phase operator()(const SetTableLogged&) const { return Phase::AlterColumns; }
  Phase operator()(const SetTableRowSecurity&) const { return Phase::SetRowSecurity; }
  Phase operator()(const AddColumn&) const { return Phase::AlterColumns; }
  Phase operator()(const DropColumn&) const { return Phase::DropTablesAndColumns; }
  // An identity's implicit sequence (t_c_seq) goes before a sequence of
  // that name is created, and comes once a serial's of that name is dropped.
  Phase operator()(const AlterColumn& c) const {
    if (c.changes == ColumnChange::Identity && c.from.identity && !c.to.identity) return Phase::DropIdentities;
    if (c.changes == ColumnChange::Identity && !c.from.identity && c.to.identity) return Phase::AddIdentities;
    return Phase::AlterColumns;
  }
  Phase operator()(const RebuildTable&) const { return Phase::AlterColumns; }
  Phase operator()(const AddConstraint& c) const {
    return is_foreign_key(c.constraint) ? Phase::AddForeignKeys : Phase::AddConstraints;
  }
  Phase operator()(const DropConstraint& c) const {
    return is_foreign_key(c.constraint) ? Phase::DropForeignKeys : Phase::DropConstraints;
  }
  // Once the keys a foreign key references are there.
  Phase operator()(const ValidateConstraint&) const { return Phase::AddForeignKeys; }
  Phase operator()(const CreateIndex& c) const {
    return desired_.views.contains(c.index.table) ? Phase::CreateViewIndexes : Phase::CreateIndexes;
  }
  Phase operator()(const DropIndex&) const { return Phase::DropIndexes; }
  Phase operator()(const CreateView&) const { return Phase::CreateViewsAndRoutines; }
  Phase operator()(const DropView&) const { return Phase::DropViewsAndRoutines; }
  // A routine that a new domain's check calls goes among the types, where
  // the dependency sort puts it after its argument types and before the
  // domain (and the types built on that domain).
  Phase operator()(const CreateFunction& c) const {
    if (reads_relations(c.function, desired_)) return Phase::CreateViewsAndRoutines;
    return called_by_domains_.contains(routine_key(c.function.name)) ? Phase::CreateTypes : Phase::CreateEarlyRoutines;
  }
  // A routine that reads no relation may be used by defaults, checks and
  // generated columns: it goes once they have.
  Phase operator()(const DropFunction& c) const {
    const bool uses_recreated_type =
        (c.function.returns && recreated(*c.function.returns)) ||
        std::any_of(c.function.args.begin(), c.function.args.end(), [&](const auto& arg) { return recreated(arg.type); });
    const bool created_again = created_.contains(routine_key(c.function.name)) || uses_recreated_type;
    if (created_again || !c.function.depends_on.relations.empty()) return Phase::DropViewsAndRoutines;
    // After a domain whose check calls it (dependents first within the phase).
    return called_by_dropped_domains_.contains(routine_key(c.function.name)) ? Phase::DropTypes
                                                                              : Phase::DropLateRoutines;
  }
  Phase operator()(const CreateTrigger&) const { return Phase::CreateTriggers; }
  Phase operator()(const DropTrigger&) const { return Phase::DropTriggersAndPolicies; }
  Phase operator()(const CreatePolicy&) const { return Phase::CreatePolicies; }
  Phase operator()(const DropPolicy&) const { return Phase::DropTriggersAndPolicies; }
  Phase operator()(const AlterPolicy&) const { return Phase::CreatePolicies; }
  Phase operator()(const SetComment&) const { return Phase::SetComments; }

 private:
  // A type created again under the same name must be gone first; one that
  // goes for good waits until no column uses it.
  Phase type_drop(const QualifiedName& name) const {
    return created_.contains(type_key(name)) ? Phase::DropReplaced : Phase::DropTypes;
  }

  // A type created again (or swapped) under its name: what uses the old one
  // must be gone before it is.
  bool recreated(const schema::TypeRef& type) const {
    return !type.is_builtin() && created_.contains(type_key({type.schema, type.name}));
  }

  const Catalog& desired_;
  std::set<std::string> created_;  // keys of the types, extensions and routines the changes create
  std::set<std::string> called_by_domains_;          // routine keys: by the domains created
  std::set<std::string> called_by_dropped_domains_;  // routine keys
};

// The object a change creates or drops and the objects it needs, for the
// kinds whose order within their phase depends on each other.
struct Node {
  std::string key;
  std::vector<std::string> needs;
};


void add_type(std::vector<std::string>& needs, const schema::TypeRef& type) {
  if (!type.is_builtin()) needs.push_back(type_key({type.schema, type.name}));
}

// A column's type may be a table's row type too.
void add_column_type(std::vector<std::string>& needs, const schema::TypeRef& type) {
  add_type(needs, type);
  if (!type.is_builtin()) needs.push_back(relation_key({type.schema, type.name}));
}

std::vector<std::string> needs_of(const schema::Dependencies& dependencies) {
  std::vector<std::string> needs;
  for (const auto& relation : dependencies.relations) needs.push_back(relation_key(relation));
  for (const auto& function : dependencies.functions) needs.push_back(routine_key(function));
  return needs;
}

// What its body reads, and the types (row types included) it takes and returns.
std::vector<std::string> needs_of(const schema::Function& function) {
  std::vector<std::string> needs = needs_of(function.depends_on);
  for (const auto& arg : function.args) add_column_type(needs, arg.type);
  if (function.returns) add_column_type(needs, *function.returns);
  return needs;
}

std::vector<std::string> needs_of(const schema::Table& table) {
  std::vector<std::string> needs;
  for (const auto& parent : table.inherits) needs.push_back(relation_key(parent));
  for (const auto& column : table.columns) add_column_type(needs, column.type);
  return needs;
}

// Its base type, and the routines its checks and default call (an
// unqualified call is to public's: other schemas' are written qualified).
std::vector<std::string> needs_of(const schema::Domain& domain) {
  std::vector<std::string> needs;
  add_type(needs, domain.base_type);
  std::vector<std::string> expressions;
  for (const auto& check : domain.checks) expressions.push_back(check.expression);
  if (domain.default_expr) expressions.push_back(*domain.default_expr);
  for (const auto& expression : expressions)
    for (const auto& called : parser::expression_routines(expression))
      needs.push_back(routine_key({called.schema.empty() ? "public" : called.schema, called.name}));
  return needs;
}

std::vector<std::string> needs_of(const schema::CompositeType& type) {
  std::vector<std::string> needs;
  for (const auto& attribute : type.attributes) add_type(needs, attribute.type);
  return needs;
}

std::optional<Node> node_of(const Change& change) {
  if (const auto* c = std::get_if<CreateView>(&change)) return Node{relation_key(c->view.name), needs_of(c->view.depends_on)};
  if (const auto* c = std::get_if<DropView>(&change)) return Node{relation_key(c->view.name), needs_of(c->view.depends_on)};
  if (const auto* c = std::get_if<CreateFunction>(&change)) return Node{routine_key(c->function.name), needs_of(c->function)};
  if (const auto* c = std::get_if<DropFunction>(&change)) return Node{routine_key(c->function.name), needs_of(c->function)};
  if (const auto* c = std::get_if<CreateTable>(&change)) return Node{relation_key(c->table.name), needs_of(c->table)};
  if (const auto* c = std::get_if<DropTable>(&change)) return Node{relation_key(c->table.name), needs_of(c->table)};
  if (const auto* c = std::get_if<DropColumn>(&change)) {
    std::vector<std::string> needs;
    add_column_type(needs, c->column.type);
    return Node{"column " + schema::qualified_sql(c->table) + "." + c->column.name, std::move(needs)};
  }
  if (const auto* c = std::get_if<CreateDomain>(&change)) return Node{type_key(c->domain.name), needs_of(c->domain)};
  if (const auto* c = std::get_if<DropDomain>(&change)) return Node{type_key(c->domain.name), needs_of(c->domain)};
  if (const auto* c = std::get_if<CreateCompositeType>(&change)) return Node{type_key(c->type.name), needs_of(c->type)};
  if (const auto* c = std::get_if<DropCompositeType>(&change)) return Node{type_key(c->type.name), needs_of(c->type)};
  return std::nullopt;
}

bool is_drop(Phase phase) {
  return (phase >= Phase::DropTriggersAndPolicies && phase <= Phase::DropReplaced) || (phase >= Phase::DropSequences && phase <= Phase::DropSchemas);
}

// Kahn's algorithm, stable: a change goes as soon as every change in the group
// that makes something it needs has gone. Changes caught in a cycle keep their
// order at the end. Drops go the other way round: dependents first.
std::vector<Change> dependency_sorted(std::vector<Change> group, bool drops) {
  std::vector<std::optional<Node>> nodes;
  std::multiset<std::string> pending_keys;
  for (const auto& change : group) {
    nodes.push_back(node_of(change));
    if (nodes.back()) pending_keys.insert(nodes.back()->key);
  }
  std::vector<Change> sorted;
  std::vector<bool> done(group.size(), false);
  auto ready = [&](std::size_t i) {
    if (!nodes[i]) return true;
    return std::none_of(nodes[i]->needs.begin(), nodes[i]->needs.end(), [&](const std::string& need) {
      return need != nodes[i]->key && pending_keys.contains(need);
    });
  };
  for (bool progressed = true; progressed;) {
    progressed = false;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (done[i] || !ready(i)) continue;
      done[i] = true;
      progressed = true;
      if (nodes[i]) pending_keys.erase(pending_keys.find(nodes[i]->key));
      sorted.push_back(std::move(group[i]));
    }
  }
  for (std::size_t i = 0; i < group.size(); ++i)
    if (!done[i]) sorted.push_back(std::move(group[i]));
  if (drops) std::reverse(sorted.begin(), sorted.end());
  return sorted;
}

// What the changes create that a drop of the same name must make way for.
std::set<std::string> created_keys(const std::vector<Change>& changes) {
  std::set<std::string> keys;
  for (const auto& change : changes) {
    if (const auto* c = std::get_if<CreateEnum>(&change)) keys.insert(type_key(c->type.name));
    if (const auto* c = std::get_if<SwapEnum>(&change)) {
      keys.insert(type_key(c->to.name));
      for (const auto& domain : c->domains) keys.insert(type_key(domain.domain.name));
    }
    if (const auto* c = std::get_if<CreateDomain>(&change)) keys.insert(type_key(c->domain.name));
    if (const auto* c = std::get_if<CreateCompositeType>(&change)) keys.insert(type_key(c->type.name));
    if (const auto* c = std::get_if<CreateExtension>(&change)) keys.insert(extension_key(c->extension.name));
    if (const auto* c = std::get_if<CreateFunction>(&change); c && !c->or_replace)
      keys.insert(routine_key(c->function.name));
  }
  return keys;
}

// The routines that the checks and defaults of the domains a change of type
// Domain (CreateDomain, DropDomain) holds call.
template <typename DomainChange>
std::set<std::string> called_by_domains(const std::vector<Change>& changes) {
  std::set<std::string> keys;
  for (const auto& change : changes)
    if (const auto* c = std::get_if<DomainChange>(&change))
      for (auto& need : needs_of(c->domain))
        if (need.starts_with("routine ")) keys.insert(std::move(need));
  return keys;
}

}  // namespace

std::vector<Change> order(std::vector<Change> changes, const Catalog& desired) {
  const Phases phases(desired, created_keys(changes), called_by_domains<CreateDomain>(changes),
                      called_by_domains<DropDomain>(changes));
  std::map<Phase, std::vector<Change>> groups;
  for (auto& change : changes) {
    const Phase phase = std::visit(phases, change);
    groups[phase].push_back(std::move(change));
  }
  std::vector<Change> ordered;
  ordered.reserve(changes.size());
  for (auto& [phase, group] : groups)
    for (auto& change : dependency_sorted(std::move(group), is_drop(phase))) ordered.push_back(std::move(change));
  return ordered;
}

}  // namespace strata::planner
