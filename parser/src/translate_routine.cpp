// CREATE VIEW, CREATE MATERIALIZED VIEW, CREATE FUNCTION / PROCEDURE, CREATE
// TRIGGER, CREATE / ALTER POLICY.
#include <algorithm>

#include "strata/schema/trigger_type.h"
#include "translate.h"

namespace strata::parser::translate {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The relations and routines an SQL-language body reads, from its own parse.
schema::Dependencies body_dependencies(const std::string& body) {
  PgQueryProtobufParseResult result = pg_query_parse_protobuf(body.c_str());
  pg::ProtobufParseResult owner(new PgQueryProtobufParseResult(result));
  if (result.error != nullptr) return {};
  const pg::ParseTree tree(result.parse_tree);
  if (!tree) return {};
  schema::Dependencies all;
  for (std::size_t i = 0; i < tree->n_stmts; ++i) {
    auto found = pg::dependencies(tree->stmts[i]->stmt);
    all.relations.insert(all.relations.end(), found.relations.begin(), found.relations.end());
    all.functions.insert(all.functions.end(), found.functions.begin(), found.functions.end());
  }
  std::sort(all.relations.begin(), all.relations.end());
  all.relations.erase(std::unique(all.relations.begin(), all.relations.end()), all.relations.end());
  std::sort(all.functions.begin(), all.functions.end());
  all.functions.erase(std::unique(all.functions.begin(), all.functions.end()), all.functions.end());
  return all;
}

std::string option_value_text(const pg::Node* node) {
  if (node == nullptr) return "true";
  return pg::text_value(node);
}

}  // namespace

CreateView create_view(const pg::Context& context, const PgQuery__ViewStmt& node) {
  CreateView statement;
  auto& view = statement.view;
  view.name = pg::qualified_name(node.view);
  if (std::string_view(node.view->relpersistence) == "t")
    context.fail(node.view->location, "temporary views are not part of a schema");
  view.column_names = pg::string_list(node.n_aliases, node.aliases);
  view.query = pg::deparse_statement(context, node.query);
  view.depends_on = pg::dependencies(node.query);
  for (std::size_t i = 0; i < node.n_options; ++i) {
    const auto& option = *node.options[i]->def_elem;
    const std::string name = option.defname;
    if (name == "check_option") {
      view.check_option = lower(option_value_text(option.arg));
    } else {
      view.options.push_back(name + "=" + lower(option_value_text(option.arg)));
    }
  }
  if (node.with_check_option == PG_QUERY__VIEW_CHECK_OPTION__LOCAL_CHECK_OPTION) view.check_option = "local";
  if (node.with_check_option == PG_QUERY__VIEW_CHECK_OPTION__CASCADED_CHECK_OPTION) view.check_option = "cascaded";
  std::sort(view.options.begin(), view.options.end());
  statement.or_replace = node.replace;
  return statement;
}

CreateView create_materialized_view(const pg::Context& context, const PgQuery__CreateTableAsStmt& node,
                                    std::int32_t location) {
  if (node.objtype != PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW)
    context.fail(location, "CREATE TABLE ... AS is not supported: write the table's columns out");
  CreateView statement;
  auto& view = statement.view;
  view.materialized = true;
  view.name = pg::qualified_name(node.into->rel);
  view.column_names = pg::string_list(node.into->n_col_names, node.into->col_names);
  view.query = pg::deparse_statement(context, node.query);
  view.depends_on = pg::dependencies(node.query);
  for (std::size_t i = 0; i < node.into->n_options; ++i) {
    const auto& option = *node.into->options[i]->def_elem;
    view.options.push_back(std::string(option.defname) + "=" + lower(option_value_text(option.arg)));
  }
  std::sort(view.options.begin(), view.options.end());
  statement.if_not_exists = node.if_not_exists;
  return statement;
}

CreateFunction create_function(const pg::Context& context, const PgQuery__CreateFunctionStmt& node,
                               std::int32_t location) {
  CreateFunction statement;
  auto& function = statement.function;
  function.name = pg::qualified_name(node.n_funcname, node.funcname);
  function.kind = node.is_procedure ? schema::RoutineKind::Procedure : schema::RoutineKind::Function;
  statement.or_replace = node.replace;
  if (node.sql_body != nullptr)
    context.fail(location, "SQL-standard routine bodies (BEGIN ATOMIC / RETURN) are not supported; use AS $$ ... $$");

  for (std::size_t i = 0; i < node.n_parameters; ++i) {
    const auto& parameter = *node.parameters[i]->function_parameter;
    schema::FunctionArg arg;
    switch (parameter.mode) {
      case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT: arg.mode = schema::ArgMode::Out; break;
      case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT: arg.mode = schema::ArgMode::InOut; break;
      case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC: arg.mode = schema::ArgMode::Variadic; break;
      case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE: arg.mode = schema::ArgMode::Table; break;
      default: arg.mode = schema::ArgMode::In;
    }
    arg.name = parameter.name != nullptr ? parameter.name : "";
    arg.type = pg::type_ref(context, parameter.arg_type);
    if (parameter.defexpr != nullptr) arg.default_expr = pg::deparse_expression(context, parameter.defexpr);
    function.args.push_back(std::move(arg));
  }
  if (node.return_type != nullptr) {
    function.returns = pg::type_ref(context, node.return_type);
    function.returns_set = node.return_type->setof;
  }

  std::string volatility;
  bool strict = false;
  bool security_definer = false;
  bool leakproof = false;
  bool window = false;
  std::string parallel;
  std::optional<std::int64_t> cost;
  std::optional<std::int64_t> rows;
  std::vector<std::string> settings;
  for (std::size_t i = 0; i < node.n_options; ++i) {
    const auto& option = *node.options[i]->def_elem;
    const std::string_view name = option.defname;
    if (name == "as") {
      const auto parts = pg::string_list(option.arg->list->n_items, option.arg->list->items);
      if (parts.size() != 1) context.fail(option.location, "C-language routines (AS 'file', 'symbol') are not supported");
      function.body = parts[0];
    } else if (name == "language") {
      function.language = lower(pg::text_value(option.arg));
    } else if (name == "volatility") {
      volatility = pg::text_value(option.arg);
    } else if (name == "strict") {
      strict = option.arg->boolean->boolval;
    } else if (name == "security") {
      security_definer = option.arg->boolean->boolval;
    } else if (name == "leakproof") {
      leakproof = option.arg->boolean->boolval;
    } else if (name == "parallel") {
      parallel = pg::text_value(option.arg);
    } else if (name == "cost") {
      cost = pg::integer_value(option.arg);
    } else if (name == "rows") {
      rows = pg::integer_value(option.arg);
    } else if (name == "window") {
      window = option.arg->boolean->boolval;
    } else if (name == "set") {
      const auto& set = *option.arg->variable_set_stmt;
      if (set.kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_CURRENT) {
        settings.push_back(std::string("SET ") + set.name + " FROM CURRENT");
      } else {
        std::string values;
        for (std::size_t k = 0; k < set.n_args; ++k)
          values += (k > 0 ? ", " : "") + pg::deparse_expression(context, set.args[k]);
        settings.push_back(std::string("SET ") + set.name + " TO " + values);
      }
    } else {
      context.fail(option.location, "routine option " + std::string(name) + " is not supported");
    }
  }
  // Only what differs from PostgreSQL's defaults, in one fixed order.
  if (window) function.options.emplace_back("WINDOW");
  if (volatility == "immutable" || volatility == "stable") function.options.push_back(upper(volatility));
  if (strict) function.options.emplace_back("STRICT");
  if (security_definer) function.options.emplace_back("SECURITY DEFINER");
  if (leakproof) function.options.emplace_back("LEAKPROOF");
  if (parallel == "safe" || parallel == "restricted") function.options.push_back("PARALLEL " + upper(parallel));
  const std::int64_t default_cost = function.language == "c" || function.language == "internal" ? 1 : 100;
  if (cost && *cost != default_cost) function.options.push_back("COST " + std::to_string(*cost));
  if (rows && function.returns_set && *rows != 1000) function.options.push_back("ROWS " + std::to_string(*rows));
  std::sort(settings.begin(), settings.end());
  function.options.insert(function.options.end(), settings.begin(), settings.end());

  if (function.language == "sql") function.depends_on = body_dependencies(function.body);
  return statement;
}

CreateTrigger create_trigger(const pg::Context& context, const PgQuery__CreateTrigStmt& node, std::int32_t location) {
  CreateTrigger statement;
  auto& trigger = statement.trigger;
  trigger.name = node.trigname;
  trigger.table = pg::qualified_name(node.relation);
  if (node.n_transition_rels > 0)
    context.fail(location, "triggers with transition tables (REFERENCING) are not supported");
  if (node.constrrel != nullptr) context.fail(location, "constraint triggers with FROM are not supported");
  namespace tgtype = schema::trigger_type;
  trigger.timing = (node.timing & tgtype::kInstead) != 0  ? schema::TriggerTiming::InsteadOf
                   : (node.timing & tgtype::kBefore) != 0 ? schema::TriggerTiming::Before
                                                          : schema::TriggerTiming::After;
  trigger.events = tgtype::events(node.events, pg::string_list(node.n_columns, node.columns));
  trigger.for_each_row = node.row;
  if (node.when_clause != nullptr) trigger.when = pg::deparse_expression(context, node.when_clause);
  trigger.function = pg::qualified_name(node.n_funcname, node.funcname);
  for (std::size_t i = 0; i < node.n_args; ++i) trigger.function_args.push_back(pg::text_value(node.args[i]));
  trigger.constraint_trigger = node.isconstraint;
  trigger.deferrable = node.deferrable;
  trigger.initially_deferred = node.initdeferred;
  statement.or_replace = node.replace;
  return statement;
}

namespace {

// Role names as stored: PUBLIC is "public"; CURRENT_USER and friends are
// resolved by the server when the policy is created, which strata cannot.
std::vector<std::string> role_names(const pg::Context& context, std::size_t count, pg::Node* const* roles) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& role = *roles[i]->role_spec;
    switch (role.roletype) {
      case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC: names.emplace_back("public"); break;
      case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING: names.emplace_back(role.rolename); break;
      default: context.fail(role.location, "CURRENT_USER, CURRENT_ROLE and SESSION_USER in policies are not supported; name the role");
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

CreatePolicy create_policy(const pg::Context& context, const PgQuery__CreatePolicyStmt& node) {
  CreatePolicy statement;
  auto& policy = statement.policy;
  policy.name = node.policy_name;
  policy.table = pg::qualified_name(node.table);
  policy.permissive = node.permissive;
  policy.command = upper(node.cmd_name != nullptr && node.cmd_name[0] != '\0' ? node.cmd_name : "all");
  policy.roles = role_names(context, node.n_roles, node.roles);
  if (node.qual != nullptr) policy.using_expr = pg::deparse_expression(context, node.qual);
  if (node.with_check != nullptr) policy.check_expr = pg::deparse_expression(context, node.with_check);
  return statement;
}

AlterPolicy alter_policy(const pg::Context& context, const PgQuery__AlterPolicyStmt& node) {
  AlterPolicy statement;
  statement.name = node.policy_name;
  statement.table = pg::qualified_name(node.table);
  if (node.n_roles > 0) statement.roles = role_names(context, node.n_roles, node.roles);
  if (node.qual != nullptr) statement.using_expr = pg::deparse_expression(context, node.qual);
  if (node.with_check != nullptr) statement.check_expr = pg::deparse_expression(context, node.with_check);
  return statement;
}

}  // namespace strata::parser::translate
