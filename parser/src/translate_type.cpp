// CREATE/ALTER TYPE (enums, composites), CREATE/ALTER DOMAIN, and sequences.
#include "translate.h"

namespace strata::parser::translate {

schema::SequenceOptions sequence_options(const pg::Context& context, std::size_t count, pg::Node* const* options,
                                         std::optional<schema::ColumnRef>* owned_by, bool* owned_by_none,
                                         bool* restart) {
  schema::SequenceOptions out;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& option = *options[i]->def_elem;
    const std::string_view name = option.defname;
    const auto number = pg::integer_value(option.arg);
    if (name == "as") {
      out.data_type = pg::type_ref(context, option.arg->type_name);
    } else if (name == "increment") {
      out.increment = number;
    } else if (name == "minvalue") {
      out.min_value = number;  // NO MINVALUE: no argument, the default
    } else if (name == "maxvalue") {
      out.max_value = number;
    } else if (name == "start") {
      out.start = number;
    } else if (name == "cache") {
      out.cache = number;
    } else if (name == "cycle") {
      out.cycle = option.arg == nullptr || option.arg->boolean->boolval;
    } else if (name == "owned_by" && owned_by != nullptr) {
      const auto parts = pg::string_list(option.arg->list->n_items, option.arg->list->items);
      if (parts.size() == 1 && parts[0] == "none") {
        if (owned_by_none != nullptr) *owned_by_none = true;
      } else if (parts.size() >= 2) {
        schema::ColumnRef ref;
        ref.column = parts.back();
        ref.table.name = parts[parts.size() - 2];
        if (parts.size() >= 3) ref.table.schema = parts[parts.size() - 3];
        *owned_by = ref;
      }
    } else if (name == "restart" && restart != nullptr) {
      *restart = true;
    } else if (name == "sequence_name") {
      context.fail(option.location, "naming an identity sequence (SEQUENCE NAME) is not supported");
    } else {
      context.fail(option.location, "sequence option " + std::string(name) + " is not supported");
    }
  }
  return out;
}

CreateEnum create_enum(const pg::Context&, const PgQuery__CreateEnumStmt& node) {
  CreateEnum statement;
  statement.type.name = pg::qualified_name(node.n_type_name, node.type_name);
  statement.type.values = pg::string_list(node.n_vals, node.vals);
  return statement;
}

StatementBody alter_enum(const pg::Context&, const PgQuery__AlterEnumStmt& node) {
  const QualifiedName type = pg::qualified_name(node.n_type_name, node.type_name);
  if (node.old_val != nullptr && node.old_val[0] != '\0') return RenameEnumValue{type, node.old_val, node.new_val};
  AddEnumValue add{type, node.new_val, std::nullopt, node.new_val_is_after != 0, node.skip_if_new_val_exists != 0};
  if (node.new_val_neighbor != nullptr && node.new_val_neighbor[0] != '\0') add.neighbour = node.new_val_neighbor;
  return add;
}

namespace {

// Applies one constraint clause of CREATE DOMAIN.
void domain_constraint(const pg::Context& context, const PgQuery__Constraint& constraint, schema::Domain& domain) {
  switch (constraint.contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: domain.not_null = true; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL: domain.not_null = false; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
      domain.default_expr = pg::deparse_expression(context, constraint.raw_expr);
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
      domain.checks.push_back({constraint.conname, pg::deparse_expression(context, constraint.raw_expr)});
      break;
    default: context.fail(constraint.location, "this constraint kind is not allowed on a domain");
  }
}

}  // namespace

CreateDomain create_domain(const pg::Context& context, const PgQuery__CreateDomainStmt& node) {
  CreateDomain statement;
  auto& domain = statement.domain;
  domain.name = pg::qualified_name(node.n_domainname, node.domainname);
  domain.base_type = pg::type_ref(context, node.type_name);
  if (node.coll_clause != nullptr && node.coll_clause->n_collname > 0)
    domain.collation = pg::string_value(node.coll_clause->collname[node.coll_clause->n_collname - 1]);
  for (std::size_t i = 0; i < node.n_constraints; ++i) domain_constraint(context, *node.constraints[i]->constraint, domain);
  return statement;
}

AlterDomain alter_domain(const pg::Context& context, const PgQuery__AlterDomainStmt& node) {
  AlterDomain statement;
  statement.name = pg::qualified_name(node.n_type_name, node.type_name);
  statement.if_exists = node.missing_ok;
  switch (node.subtype != nullptr ? node.subtype[0] : '\0') {
    case 'T':
      if (node.def != nullptr) {
        statement.alteration = DomainAlteration::SetDefault;
        statement.default_expr = pg::deparse_expression(context, node.def);
      } else {
        statement.alteration = DomainAlteration::DropDefault;
      }
      break;
    case 'N': statement.alteration = DomainAlteration::DropNotNull; break;
    case 'O': statement.alteration = DomainAlteration::SetNotNull; break;
    case 'C': {
      const auto& constraint = *node.def->constraint;
      if (constraint.contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
        context.fail(constraint.location, "only CHECK constraints can be added to a domain");
      if (constraint.skip_validation)
        context.fail(constraint.location, "NOT VALID domain constraints are not supported: strata's model keeps "
                                          "no validation state for domains, so a plan would validate it");
      statement.alteration = DomainAlteration::AddCheck;
      statement.check = schema::DomainCheck{constraint.conname, pg::deparse_expression(context, constraint.raw_expr)};
      break;
    }
    case 'X':
      statement.alteration = DomainAlteration::DropCheck;
      statement.constraint_name = node.name;
      break;
    case 'V':
      statement.alteration = DomainAlteration::ValidateCheck;
      statement.constraint_name = node.name;
      break;
    default: context.fail(-1, "this ALTER DOMAIN form is not supported");
  }
  return statement;
}

CreateCompositeType create_composite_type(const pg::Context& context, const PgQuery__CompositeTypeStmt& node) {
  CreateCompositeType statement;
  statement.type.name = pg::qualified_name(node.typevar);
  for (std::size_t i = 0; i < node.n_coldeflist; ++i) {
    const auto& column = *node.coldeflist[i]->column_def;
    std::optional<std::string> collation;
    if (column.coll_clause != nullptr && column.coll_clause->n_collname > 0)
      collation = pg::string_value(column.coll_clause->collname[column.coll_clause->n_collname - 1]);
    statement.type.attributes.push_back({column.colname, pg::type_ref(context, column.type_name), collation});
  }
  return statement;
}

CreateSequence create_sequence(const pg::Context& context, const PgQuery__CreateSeqStmt& node) {
  CreateSequence statement;
  statement.name = pg::qualified_name(node.sequence);
  if (std::string_view(node.sequence->relpersistence) == "t")
    context.fail(node.sequence->location, "temporary sequences are not part of a schema");
  bool owned_by_none = false;
  statement.options =
      sequence_options(context, node.n_options, node.options, &statement.owned_by, &owned_by_none, nullptr);
  statement.if_not_exists = node.if_not_exists;
  return statement;
}

std::optional<bool> written_cycle(std::size_t count, pg::Node* const* options) {
  std::optional<bool> cycle;
  for (std::size_t i = 0; i < count; ++i) {
    const PgQuery__DefElem* option = options[i]->def_elem;
    if (option != nullptr && std::string_view(option->defname) == "cycle")
      cycle = option->arg == nullptr || option->arg->boolean->boolval;
  }
  return cycle;
}

AlterSequence alter_sequence(const pg::Context& context, const PgQuery__AlterSeqStmt& node) {
  AlterSequence statement;
  statement.name = pg::qualified_name(node.sequence);
  statement.options = sequence_options(context, node.n_options, node.options, &statement.owned_by,
                                       &statement.owned_by_none, &statement.restart);
  statement.cycle = written_cycle(node.n_options, node.options);
  statement.if_exists = node.missing_ok;
  return statement;
}

}  // namespace strata::parser::translate
