// CREATE TABLE, ALTER TABLE, CREATE INDEX, and the column and constraint
// clauses they share.
#include <algorithm>

#include "translate.h"

namespace strata::parser::translate {
namespace {

schema::ReferentialAction referential_action(const char* code) {
  switch (code != nullptr && code[0] != '\0' ? code[0] : 'a') {
    case 'r': return schema::ReferentialAction::Restrict;
    case 'c': return schema::ReferentialAction::Cascade;
    case 'n': return schema::ReferentialAction::SetNull;
    case 'd': return schema::ReferentialAction::SetDefault;
    default: return schema::ReferentialAction::NoAction;
  }
}

schema::MatchType match_type(const char* code) {
  switch (code != nullptr && code[0] != '\0' ? code[0] : 's') {
    case 'f': return schema::MatchType::Full;
    case 'p': return schema::MatchType::Partial;
    default: return schema::MatchType::Simple;
  }
}

std::optional<std::string> collation_name(const PgQuery__CollateClause* clause) {
  if (clause == nullptr || clause->n_collname == 0) return std::nullopt;
  return pg::string_value(clause->collname[clause->n_collname - 1]);
}

schema::IndexElement index_element(const pg::Context& context, const PgQuery__IndexElem& node) {
  schema::IndexElement element;
  if (node.expr != nullptr) {
    element.expression = pg::deparse_expression(context, node.expr);
  } else {
    element.column = node.name;
  }
  if (node.n_collation > 0) element.collation = pg::string_value(node.collation[node.n_collation - 1]);
  if (node.n_opclass > 0) {
    std::string opclass;
    for (const auto& part : pg::string_list(node.n_opclass, node.opclass))
      opclass += (opclass.empty() ? "" : ".") + part;
    element.opclass = opclass;
  }
  if (node.n_opclassopts > 0) context.fail(-1, "operator class options on index columns are not supported");
  // Canonical: ASC is the default order, and NULLS LAST goes with ASC,
  // NULLS FIRST with DESC; only what differs from that is kept.
  const bool descending = node.ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
  if (descending) element.order = schema::SortOrder::Desc;
  if (node.nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST && !descending)
    element.nulls = schema::NullsOrder::First;
  if (node.nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && descending)
    element.nulls = schema::NullsOrder::Last;
  return element;
}

// PostgreSQL's FigureColname() for an index expression: the name it gives
// the column, which becomes part of a chosen index name (t_lower_idx).
std::optional<std::string> expression_column_name(const pg::Node* node, int& strength) {
  strength = 0;
  if (node == nullptr) return std::nullopt;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
      const auto* ref = node->column_ref;
      if (ref->n_fields == 0 || ref->fields[ref->n_fields - 1]->node_case != PG_QUERY__NODE__NODE_STRING)
        return std::nullopt;
      strength = 2;
      return pg::string_value(ref->fields[ref->n_fields - 1]);
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      strength = 2;
      return pg::string_value(node->func_call->funcname[node->func_call->n_funcname - 1]);
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      auto inner = expression_column_name(node->type_cast->arg, strength);
      if (strength <= 1 && node->type_cast->type_name != nullptr && node->type_cast->type_name->n_names > 0) {
        strength = 1;
        const auto* type = node->type_cast->type_name;
        return pg::string_value(type->names[type->n_names - 1]);
      }
      return inner;
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: return expression_column_name(node->collate_clause->arg, strength);
    case PG_QUERY__NODE__NODE_CASE_EXPR: strength = 1; return "case";
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: strength = 2; return "array";
    case PG_QUERY__NODE__NODE_ROW_EXPR: strength = 2; return "row";
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: strength = 2; return "coalesce";
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
      strength = 2;
      return node->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
    case PG_QUERY__NODE__NODE_A_EXPR:
      if (node->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) {
        strength = 2;
        return "nullif";
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

std::string index_column_name(const PgQuery__IndexElem& node) {
  if (node.expr == nullptr) return node.name;
  int strength = 0;
  return expression_column_name(node.expr, strength).value_or("expr");
}

void apply_constraint_attribute(const pg::Context& context, const PgQuery__Constraint& node,
                                std::vector<ConstraintDefinition>& constraints, std::size_t first_of_column) {
  if (constraints.size() == first_of_column)
    context.fail(node.location, "constraint attribute with no constraint before it");
  auto& target = constraints.back().constraint;
  switch (node.contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE: target.deferrable = true; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE: target.deferrable = false; break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
      target.initially_deferred = true;
      target.deferrable = true;
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE: target.initially_deferred = false; break;
    default: break;
  }
}

std::vector<std::string> key_columns(std::size_t count, pg::Node* const* keys) { return pg::string_list(count, keys); }

// "FOR VALUES ..." or "DEFAULT", cut from the deparsed CREATE TABLE ...
// PARTITION OF, which is the only statement the deparser prints a bound in.
std::string partition_bound(const pg::Context& context, const PgQuery__CreateStmt& node) {
  PgQuery__CreateStmt bare = node;
  bare.n_table_elts = 0;
  bare.n_constraints = 0;
  bare.partspec = nullptr;
  PgQuery__Node statement = PG_QUERY__NODE__INIT;
  statement.node_case = PG_QUERY__NODE__NODE_CREATE_STMT;
  statement.create_stmt = &bare;
  const std::string text = pg::deparse_statement(context, &statement);
  for (const std::string_view marker : {" FOR VALUES ", " DEFAULT"})
    if (const auto at = text.rfind(marker); at != std::string::npos) return text.substr(at + 1);
  context.fail(node.relation->location, "cannot read the partition bound");
}

}  // namespace

ConstraintDefinition constraint_definition(const pg::Context& context, const PgQuery__Constraint& node) {
  ConstraintDefinition definition;
  auto& constraint = definition.constraint;
  constraint.name = node.conname;
  constraint.deferrable = node.deferrable;
  constraint.initially_deferred = node.initdeferred;
  if (node.indexname != nullptr && node.indexname[0] != '\0')
    context.fail(node.location, "constraints built USING INDEX are not supported");
  switch (node.contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
      constraint.body = schema::PrimaryKey{key_columns(node.n_keys, node.keys),
                                           key_columns(node.n_including, node.including)};
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
      constraint.body = schema::UniqueKey{key_columns(node.n_keys, node.keys),
                                          key_columns(node.n_including, node.including), node.nulls_not_distinct != 0};
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
      constraint.body = schema::Check{pg::deparse_expression(context, node.raw_expr), node.is_no_inherit != 0};
      definition.check_columns = pg::referenced_columns(node.raw_expr);
      definition.not_valid = node.skip_validation;
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
      if (node.n_fk_del_set_cols > 0)
        context.fail(node.location, "ON DELETE SET NULL/SET DEFAULT with a column list is not supported");
      schema::ForeignKey key;
      key.columns = key_columns(node.n_fk_attrs, node.fk_attrs);
      key.referenced_table = pg::qualified_name(node.pktable);
      key.referenced_columns = key_columns(node.n_pk_attrs, node.pk_attrs);
      key.on_delete = referential_action(node.fk_del_action);
      key.on_update = referential_action(node.fk_upd_action);
      key.match = match_type(node.fk_matchtype);
      if (key.match == schema::MatchType::Partial) context.fail(node.location, "MATCH PARTIAL is not implemented");
      constraint.body = std::move(key);
      definition.not_valid = node.skip_validation;
      break;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION: {
      schema::Exclusion exclusion;
      if (node.access_method != nullptr && node.access_method[0] != '\0') exclusion.method = node.access_method;
      for (std::size_t i = 0; i < node.n_exclusions; ++i) {
        const pg::Node* pair = node.exclusions[i];
        if (pair->node_case != PG_QUERY__NODE__NODE_LIST || pair->list->n_items != 2)
          context.fail(node.location, "malformed EXCLUDE element");
        const auto* element_node = pair->list->items[0]->index_elem;
        const auto* operator_list = pair->list->items[1]->list;
        const auto element = index_element(context, *element_node);
        std::string text = element.column.empty() ? "(" + element.expression + ")" : element.column;
        if (element.opclass) text += " " + *element.opclass;
        exclusion.elements.push_back(
            {text, pg::string_value(operator_list->items[operator_list->n_items - 1])});
      }
      exclusion.include = key_columns(node.n_including, node.including);
      if (node.where_clause != nullptr) exclusion.where = pg::deparse_expression(context, node.where_clause);
      constraint.body = std::move(exclusion);
      break;
    }
    default:
      context.fail(node.location, "unexpected constraint kind here");
  }
  return definition;
}

ColumnDefinition column_definition(const pg::Context& context, const PgQuery__ColumnDef& node,
                                   std::vector<ConstraintDefinition>& constraints) {
  ColumnDefinition definition;
  definition.location = context.at(node.location);
  auto& column = definition.column;
  column.name = node.colname;
  definition.serial = pg::serial_kind(node.type_name);
  if (!definition.serial) column.type = pg::type_ref(context, node.type_name);
  column.collation = collation_name(node.coll_clause);
  column.not_null = node.is_not_null;
  if (node.raw_default != nullptr) column.default_expr = pg::deparse_expression(context, node.raw_default);

  const std::size_t first_of_column = constraints.size();
  for (std::size_t i = 0; i < node.n_constraints; ++i) {
    const auto& constraint = *node.constraints[i]->constraint;
    switch (constraint.contype) {
      case PG_QUERY__CONSTR_TYPE__CONSTR_NULL: column.not_null = false; break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: column.not_null = true; break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        column.default_expr = pg::deparse_expression(context, constraint.raw_expr);
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY: {
        schema::Identity identity;
        identity.kind = constraint.generated_when != nullptr && constraint.generated_when[0] == 'a'
                            ? schema::IdentityKind::Always
                            : schema::IdentityKind::ByDefault;
        identity.options =
            sequence_options(context, constraint.n_options, constraint.options, nullptr, nullptr, nullptr);
        column.identity = identity;
        column.not_null = true;
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
        column.generated_expr = pg::deparse_expression(context, constraint.raw_expr);
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE:
        apply_constraint_attribute(context, constraint, constraints, first_of_column);
        break;
      default: {
        auto table_constraint = constraint_definition(context, constraint);
        // A column constraint names its column implicitly.
        std::visit(
            [&](auto& body) {
              using Body = std::decay_t<decltype(body)>;
              if constexpr (std::is_same_v<Body, schema::PrimaryKey> || std::is_same_v<Body, schema::UniqueKey> ||
                            std::is_same_v<Body, schema::ForeignKey>)
                body.columns = {column.name};
            },
            table_constraint.constraint.body);
        constraints.push_back(std::move(table_constraint));
      }
    }
  }
  return definition;
}

CreateTable create_table(const pg::Context& context, const PgQuery__CreateStmt& node) {
  CreateTable statement;
  statement.name = pg::qualified_name(node.relation);
  const std::int32_t location = node.relation->location;
  const std::string persistence = node.relation->relpersistence;
  if (persistence == "t") context.fail(location, "temporary tables are not part of a schema");
  statement.unlogged = persistence == "u";
  statement.if_not_exists = node.if_not_exists;
  if (node.partbound != nullptr) statement.partition_bound = partition_bound(context, node);
  if (node.of_typename != nullptr) context.fail(location, "typed tables (OF type) are not supported");
  if (node.n_options > 0) context.fail(location, "table storage parameters (WITH ...) are not supported");

  for (std::size_t i = 0; i < node.n_table_elts; ++i) {
    const pg::Node* element = node.table_elts[i];
    switch (element->node_case) {
      case PG_QUERY__NODE__NODE_COLUMN_DEF:
        statement.columns.push_back(column_definition(context, *element->column_def, statement.constraints));
        break;
      case PG_QUERY__NODE__NODE_CONSTRAINT:
        statement.constraints.push_back(constraint_definition(context, *element->constraint));
        break;
      case PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE:
        context.fail(element->table_like_clause->relation->location, "CREATE TABLE ... (LIKE ...) is not supported");
      default:
        context.fail(location, std::string("unexpected table element ") + pg::node_kind_name(element));
    }
  }
  for (std::size_t i = 0; i < node.n_constraints; ++i)
    statement.constraints.push_back(constraint_definition(context, *node.constraints[i]->constraint));
  for (std::size_t i = 0; i < node.n_inh_relations; ++i)
    statement.inherits.push_back(pg::qualified_name(node.inh_relations[i]->range_var));

  if (node.partspec != nullptr) {
    std::string strategy = node.partspec->strategy;
    for (auto& c : strategy) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string keys;
    for (std::size_t i = 0; i < node.partspec->n_part_params; ++i) {
      const auto* element = node.partspec->part_params[i]->partition_elem;
      if (!keys.empty()) keys += ", ";
      keys += element->expr != nullptr ? "(" + pg::deparse_expression(context, element->expr) + ")"
                                       : std::string(element->name);
    }
    statement.partition_by = strategy + " (" + keys + ")";
  }
  return statement;
}

CreateIndex create_index(const pg::Context& context, const PgQuery__IndexStmt& node) {
  CreateIndex statement;
  auto& index = statement.index;
  index.name = {"", node.idxname};
  index.table = pg::qualified_name(node.relation);
  index.unique = node.unique;
  index.nulls_not_distinct = node.nulls_not_distinct;
  if (node.access_method != nullptr && node.access_method[0] != '\0') index.method = node.access_method;
  for (std::size_t i = 0; i < node.n_options; ++i) {
    const auto& option = *node.options[i]->def_elem;
    index.options.push_back(std::string(option.defname) + "=" + pg::text_value(option.arg));
  }
  std::sort(index.options.begin(), index.options.end());
  for (std::size_t i = 0; i < node.n_index_params; ++i) {
    const auto& element = *node.index_params[i]->index_elem;
    index.elements.push_back(index_element(context, element));
    statement.element_names.push_back(index_column_name(element));
  }
  for (std::size_t i = 0; i < node.n_index_including_params; ++i)
    index.include.push_back(node.index_including_params[i]->index_elem->name);
  if (node.where_clause != nullptr) index.where = pg::deparse_expression(context, node.where_clause);
  statement.if_not_exists = node.if_not_exists;
  statement.concurrently = node.concurrent;
  return statement;
}

AlterTable alter_table(const pg::Context& context, const PgQuery__AlterTableStmt& node) {
  AlterTable statement;
  statement.name = pg::qualified_name(node.relation);
  statement.if_exists = node.missing_ok;
  statement.only = !node.relation->inh;
  const std::int32_t location = node.relation->location;
  for (std::size_t i = 0; i < node.n_cmds; ++i) {
    const auto& command = *node.cmds[i]->alter_table_cmd;
    const std::string column = command.name;
    const bool cascade = command.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    switch (command.subtype) {
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn: {
        AddColumn add;
        add.column = column_definition(context, *command.def->column_def, add.constraints);
        add.if_not_exists = command.missing_ok;
        statement.actions.emplace_back(std::move(add));
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
        statement.actions.emplace_back(DropColumn{column, command.missing_ok != 0, cascade});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
        const auto& definition = *command.def->column_def;
        AlterColumnType alter{column, pg::type_ref(context, definition.type_name),
                              collation_name(definition.coll_clause), std::nullopt};
        if (definition.raw_default != nullptr)
          alter.using_expr = pg::deparse_expression(context, definition.raw_default);
        statement.actions.emplace_back(std::move(alter));
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault: {
        SetColumnDefault set{column, std::nullopt};
        if (command.def != nullptr) set.default_expr = pg::deparse_expression(context, command.def);
        statement.actions.emplace_back(std::move(set));
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
        statement.actions.emplace_back(SetColumnNotNull{column, true});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
        statement.actions.emplace_back(SetColumnNotNull{column, false});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
        statement.actions.emplace_back(AddConstraint{constraint_definition(context, *command.def->constraint)});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
        statement.actions.emplace_back(DropConstraint{column, command.missing_ok != 0, cascade});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
        statement.actions.emplace_back(ValidateConstraint{column});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity: {
        const auto& constraint = *command.def->constraint;
        schema::Identity identity;
        identity.kind = constraint.generated_when != nullptr && constraint.generated_when[0] == 'a'
                            ? schema::IdentityKind::Always
                            : schema::IdentityKind::ByDefault;
        identity.options = sequence_options(context, constraint.n_options, constraint.options, nullptr, nullptr, nullptr);
        statement.actions.emplace_back(AddIdentity{column, identity});
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity: {
        SetIdentity set{column, std::nullopt, {}};
        const auto* list = command.def != nullptr ? command.def->list : nullptr;
        std::vector<pg::Node*> sequence_items;
        for (std::size_t k = 0; list != nullptr && k < list->n_items; ++k) {
          const auto* option = list->items[k]->def_elem;
          if (std::string_view(option->defname) == "generated") {
            // The grammar stores ATTRIBUTE_IDENTITY_ALWAYS ('a') as an integer.
            set.kind = pg::integer_value(option->arg) == 'a' ? schema::IdentityKind::Always
                                                              : schema::IdentityKind::ByDefault;
          } else {
            sequence_items.push_back(list->items[k]);
          }
        }
        set.options = sequence_options(context, sequence_items.size(), sequence_items.data(), nullptr, nullptr, nullptr);
        set.cycle = written_cycle(sequence_items.size(), sequence_items.data());
        statement.actions.emplace_back(std::move(set));
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
        statement.actions.emplace_back(DropIdentity{column, command.missing_ok != 0});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression:
        statement.actions.emplace_back(DropExpression{column, command.missing_ok != 0});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged: statement.actions.emplace_back(SetLogged{true}); break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
        statement.actions.emplace_back(SetRowSecurity{true, std::nullopt});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
        statement.actions.emplace_back(SetRowSecurity{false, std::nullopt});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
        statement.actions.emplace_back(SetRowSecurity{std::nullopt, true});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity:
        statement.actions.emplace_back(SetRowSecurity{std::nullopt, false});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged: statement.actions.emplace_back(SetLogged{false}); break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit:
        statement.actions.emplace_back(AddInherit{pg::qualified_name(command.def->range_var)});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
        statement.actions.emplace_back(DropInherit{pg::qualified_name(command.def->range_var)});
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
        context.warn(location, "ownership is not managed by strata; ALTER ... OWNER TO is ignored");
        break;
      default: {
        const ProtobufCEnumValue* value = protobuf_c_enum_descriptor_get_value(
            &pg_query__alter_table_type__descriptor, static_cast<int>(command.subtype));
        context.fail(location, std::string("ALTER TABLE subcommand ") + (value != nullptr ? value->name : "?") +
                                   " is not supported");
      }
    }
  }
  return statement;
}

}  // namespace strata::parser::translate
