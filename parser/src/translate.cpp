#include "translate.h"

namespace strata::parser::translate {
namespace {

// Statements that change no schema object; a migration may hold them (data
// steps, session settings) and replay passes over them.
std::optional<std::string> pass_over_kind(const pg::Node* node) {
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_INSERT_STMT: return "INSERT";
    case PG_QUERY__NODE__NODE_UPDATE_STMT: return "UPDATE";
    case PG_QUERY__NODE__NODE_DELETE_STMT: return "DELETE";
    case PG_QUERY__NODE__NODE_MERGE_STMT: return "MERGE";
    case PG_QUERY__NODE__NODE_SELECT_STMT: return "SELECT";
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT: return "transaction control";
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT: return "SHOW";
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: return "TRUNCATE";
    case PG_QUERY__NODE__NODE_LOCK_STMT: return "LOCK";
    case PG_QUERY__NODE__NODE_COPY_STMT: return "COPY";
    case PG_QUERY__NODE__NODE_CALL_STMT: return "CALL";
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT: return "EXPLAIN";
    case PG_QUERY__NODE__NODE_NOTIFY_STMT: return "NOTIFY";
    case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT: return "REFRESH MATERIALIZED VIEW";
    case PG_QUERY__NODE__NODE_VACUUM_STMT: return "VACUUM";
    case PG_QUERY__NODE__NODE_CONSTRAINTS_SET_STMT: return "SET CONSTRAINTS";
    case PG_QUERY__NODE__NODE_DISCARD_STMT: return "DISCARD";
    case PG_QUERY__NODE__NODE_CHECK_POINT_STMT: return "CHECKPOINT";
    default: return std::nullopt;
  }
}

// Statements about roles, privileges and ownership: outside the schema strata
// manages, reported and passed over.
bool is_access_control(const pg::Node* node) {
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_GRANT_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
    case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
      return true;
    default: return false;
  }
}

// The first word of a DO block's body that may change the schema: dynamic SQL
// (EXECUTE) or DDL. Replay cannot know what such a block does.
std::optional<std::string> schema_changing_word(const std::string& body) {
  PgQueryScanResult scan = pg_query_scan(body.c_str());
  std::unique_ptr<PgQueryScanResult, void (*)(PgQueryScanResult*)> owner(
      &scan, [](PgQueryScanResult* s) { pg_query_free_scan_result(*s); });
  if (scan.error != nullptr) return std::nullopt;
  std::unique_ptr<PgQuery__ScanResult, void (*)(PgQuery__ScanResult*)> tokens(
      pg_query__scan_result__unpack(nullptr, scan.pbuf.len, reinterpret_cast<const std::uint8_t*>(scan.pbuf.data)),
      [](PgQuery__ScanResult* t) { pg_query__scan_result__free_unpacked(t, nullptr); });
  for (std::size_t i = 0; tokens && i < tokens->n_tokens; ++i) {
    switch (tokens->tokens[i]->token) {
      case PG_QUERY__TOKEN__EXECUTE: return "EXECUTE";
      case PG_QUERY__TOKEN__CREATE: return "CREATE";
      case PG_QUERY__TOKEN__ALTER: return "ALTER";
      case PG_QUERY__TOKEN__DROP: return "DROP";
      case PG_QUERY__TOKEN__COMMENT: return "COMMENT";
      default: break;
    }
  }
  return std::nullopt;
}

PassOver do_block(const pg::Context& context, const PgQuery__DoStmt& node, std::int32_t location) {
  for (std::size_t i = 0; i < node.n_args; ++i) {
    const auto& argument = *node.args[i]->def_elem;
    if (std::string_view(argument.defname) != "as") continue;
    if (const auto word = schema_changing_word(pg::text_value(argument.arg)))
      context.warn(location, "DO block runs " + *word +
                                 (*word == "EXECUTE" ? " (dynamic SQL)" : " inside procedural code") +
                                 ": its effect on the schema cannot be known offline, so the replayed schema may "
                                 "not match a database");
  }
  return PassOver{"DO"};
}

}  // namespace

StatementBody statement(const pg::Context& context, const pg::Node* node, std::int32_t location) {
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT: return create_table(context, *node->create_stmt);
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
      const auto& alter = *node->alter_table_stmt;
      if (alter.objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        // ALTER INDEX/VIEW/SEQUENCE ... OWNER TO and similar arrive here.
        bool only_owner = true;
        for (std::size_t i = 0; i < alter.n_cmds; ++i)
          only_owner = only_owner && alter.cmds[i]->alter_table_cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner;
        if (!only_owner) context.fail(location, "this ALTER form is only supported on tables");
        context.warn(location, "ownership is not managed by strata; ALTER ... OWNER TO is ignored");
        return PassOver{"ALTER OWNER"};
      }
      return alter_table(context, alter);
    }
    case PG_QUERY__NODE__NODE_INDEX_STMT: return create_index(context, *node->index_stmt);
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT: return create_enum(context, *node->create_enum_stmt);
    case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: return alter_enum(context, *node->alter_enum_stmt);
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: return create_domain(context, *node->create_domain_stmt);
    case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT: return alter_domain(context, *node->alter_domain_stmt);
    case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT: return create_composite_type(context, *node->composite_type_stmt);
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT: return create_sequence(context, *node->create_seq_stmt);
    case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT: return alter_sequence(context, *node->alter_seq_stmt);
    case PG_QUERY__NODE__NODE_VIEW_STMT: return create_view(context, *node->view_stmt);
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
      return create_materialized_view(context, *node->create_table_as_stmt, location);
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
      return create_function(context, *node->create_function_stmt, location);
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: return create_trigger(context, *node->create_trig_stmt, location);
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT: return create_policy(context, *node->create_policy_stmt);
    case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT: return alter_policy(context, *node->alter_policy_stmt);
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: return create_schema(context, *node->create_schema_stmt, location);
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT: return create_extension(context, *node->create_extension_stmt);
    case PG_QUERY__NODE__NODE_ALTER_EXTENSION_STMT: return alter_extension(context, *node->alter_extension_stmt);
    case PG_QUERY__NODE__NODE_DROP_STMT: return drop(context, *node->drop_stmt, location);
    case PG_QUERY__NODE__NODE_RENAME_STMT: return rename(context, *node->rename_stmt, location);
    case PG_QUERY__NODE__NODE_COMMENT_STMT: return comment(context, *node->comment_stmt, location);
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: return variable_set(context, *node->variable_set_stmt, location);
    case PG_QUERY__NODE__NODE_SELECT_STMT: return select(context, *node->select_stmt, location);
    case PG_QUERY__NODE__NODE_DO_STMT: return do_block(context, *node->do_stmt, location);
    default: break;
  }
  if (auto kind = pass_over_kind(node)) return PassOver{*kind};
  if (is_access_control(node)) {
    context.warn(location, "roles, privileges and ownership are not managed by strata; statement ignored");
    return PassOver{"access control"};
  }
  context.fail(location, std::string("unsupported statement: ") + pg::node_kind_name(node));
}

}  // namespace strata::parser::translate
