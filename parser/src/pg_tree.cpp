#include "pg_tree.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <set>

#include "strata/schema/types.h"

namespace strata::parser::pg {
namespace {

const ProtobufCMessage* message_at(const ProtobufCMessage* message, const ProtobufCFieldDescriptor& field,
                                   std::size_t index) {
  // protobuf-c lays a message out as a C struct; the descriptor gives each
  // field's byte offset, which is the only way to walk any node generically.
  const char* base = reinterpret_cast<const char*>(message);
  if (field.label == PROTOBUF_C_LABEL_REPEATED) {
    const auto* items = *reinterpret_cast<ProtobufCMessage* const* const*>(base + field.offset);
    return items[index];
  }
  return *reinterpret_cast<const ProtobufCMessage* const*>(base + field.offset);
}

void walk_message(const ProtobufCMessage* message, const std::function<void(const Node&)>& visit) {
  if (message == nullptr) return;
  if (message->descriptor == &pg_query__node__descriptor) visit(*reinterpret_cast<const Node*>(message));
  const char* base = reinterpret_cast<const char*>(message);
  const ProtobufCMessageDescriptor* descriptor = message->descriptor;
  for (unsigned i = 0; i < descriptor->n_fields; ++i) {
    const ProtobufCFieldDescriptor& field = descriptor->fields[i];
    if (field.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0U) {
      const auto active = *reinterpret_cast<const std::uint32_t*>(base + field.quantifier_offset);
      if (active != field.id) continue;
    }
    std::size_t count = 1;
    if (field.label == PROTOBUF_C_LABEL_REPEATED)
      count = *reinterpret_cast<const std::size_t*>(base + field.quantifier_offset);
    for (std::size_t k = 0; k < count; ++k) walk_message(message_at(message, field, k), visit);
  }
}

// The deparser's text for a plain constant, written directly: packing a tree
// for the deparser costs more than the rest of translating a column. Empty for
// anything else. Mirrors libpg_query's deparseAConst/deparseStringLiteral.
std::string constant_text(const Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_A_CONST) return {};
  const PgQuery__AConst& constant = *node->a_const;
  if (constant.isnull) return "NULL";
  switch (constant.val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL: return std::to_string(constant.ival->ival);
    case PG_QUERY__A__CONST__VAL_FVAL: return constant.fval->fval;
    case PG_QUERY__A__CONST__VAL_BOOLVAL: return constant.boolval->boolval ? "true" : "false";
    case PG_QUERY__A__CONST__VAL_SVAL: {
      const std::string_view value = constant.sval->sval;
      std::string text = value.find('\\') != std::string_view::npos ? "E'" : "'";
      for (const char c : value) {
        if (c == '\'' || c == '\\') text += c;
        text += c;
      }
      return text + "'";
    }
    default: return {};
  }
}

// Packs a one-statement parse tree around `statement` and deparses it.
std::string deparse_raw(const Context& context, PgQuery__Node* statement, std::int32_t location) {
  PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
  raw.stmt = statement;
  PgQuery__RawStmt* raw_list[] = {&raw};
  PgQuery__ParseResult tree = PG_QUERY__PARSE_RESULT__INIT;
  tree.version = PG_VERSION_NUM;
  tree.n_stmts = 1;
  tree.stmts = raw_list;

  std::string packed(pg_query__parse_result__get_packed_size(&tree), '\0');
  pg_query__parse_result__pack(&tree, reinterpret_cast<std::uint8_t*>(packed.data()));
  PgQueryProtobuf protobuf{packed.size(), packed.data()};
  PgQueryDeparseResult result = pg_query_deparse_protobuf(protobuf);
  std::unique_ptr<PgQueryDeparseResult, void (*)(PgQueryDeparseResult*)> owner(
      &result, [](PgQueryDeparseResult* r) { pg_query_free_deparse_result(*r); });
  if (result.error != nullptr)
    context.fail(location, std::string("cannot print expression: ") + result.error->message);
  return result.query;
}

std::int32_t node_location(const Node* node) {
  if (node == nullptr) return -1;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_EXPR: return node->a_expr->location;
    case PG_QUERY__NODE__NODE_COLUMN_REF: return node->column_ref->location;
    case PG_QUERY__NODE__NODE_FUNC_CALL: return node->func_call->location;
    case PG_QUERY__NODE__NODE_TYPE_CAST: return node->type_cast->location;
    case PG_QUERY__NODE__NODE_A_CONST: return node->a_const->location;
    case PG_QUERY__NODE__NODE_BOOL_EXPR: return node->bool_expr->location;
    default: return -1;
  }
}

}  // namespace

void ProtobufParseResultFree::operator()(PgQueryProtobufParseResult* result) const noexcept {
  pg_query_free_protobuf_parse_result(*result);
  delete result;
}

SourceLocation Context::at(std::int32_t node_location) const {
  return source_.location(statement_offset_ + static_cast<std::size_t>(std::max(node_location, 0)));
}

void Context::fail(std::int32_t node_location, const std::string& message) const {
  throw source_.error(statement_offset_ + static_cast<std::size_t>(std::max(node_location, 0)), message);
}

void Context::warn(std::int32_t node_location, const std::string& message) const {
  warnings_.push_back(Warning{at(node_location), message});
}

std::string string_value(const Node* node) {
  if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_STRING) return node->string->sval;
  return {};
}

std::vector<std::string> string_list(std::size_t count, Node* const* items) {
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(string_value(items[i]));
  return out;
}

QualifiedName qualified_name(std::size_t count, Node* const* items) {
  const auto parts = string_list(count, items);
  if (parts.empty()) return {};
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

QualifiedName qualified_name(const PgQuery__RangeVar* range) {
  if (range == nullptr) return {};
  return {range->schemaname, range->relname};
}

std::optional<std::string> serial_kind(const PgQuery__TypeName* type) {
  if (type == nullptr || type->n_names != 1 || type->n_array_bounds > 0) return std::nullopt;
  const std::string name = string_value(type->names[0]);
  if (name == "serial" || name == "serial4") return "serial";
  if (name == "bigserial" || name == "serial8") return "bigserial";
  if (name == "smallserial" || name == "serial2") return "smallserial";
  return std::nullopt;
}

schema::TypeRef type_ref(const Context& context, const PgQuery__TypeName* type) {
  schema::TypeRef ref;
  if (type == nullptr) return ref;
  if (type->pct_type) context.fail(type->location, "%TYPE references are not supported");
  const auto names = string_list(type->n_names, type->names);
  const bool in_pg_catalog = names.size() == 2 && names[0] == "pg_catalog";
  if (names.size() == 1 || in_pg_catalog) {
    if (auto builtin = schema::builtin_type_name(names.back())) {
      ref.name = *builtin;
    } else if (in_pg_catalog) {
      context.fail(type->location, "type pg_catalog." + names.back() + " is not known to strata");
    } else {
      ref.name = names.back();  // a user type, resolved against search_path later
    }
  } else {
    ref.schema = names[names.size() - 2];
    ref.name = names.back();
  }

  for (std::size_t i = 0; i < type->n_typmods; ++i) {
    const Node* modifier = type->typmods[i];
    if (const auto number = integer_value(modifier)) {
      ref.modifiers.push_back(std::to_string(*number));
    } else {
      ref.modifiers.push_back(deparse_expression(context, modifier));
    }
  }
  // float(p) is real up to 24 bits of precision and double precision above.
  if (in_pg_catalog && (names.back() == "float4" || names.back() == "float8")) ref.modifiers.clear();
  // The interval field list arrives as a bitmask typmod: INTERVAL DAY TO SECOND.
  if (ref.name == "interval" && !ref.modifiers.empty()) {
    context.fail(type->location, "interval field restrictions (INTERVAL DAY TO SECOND) are not supported");
  }
  ref.array_dims = static_cast<int>(type->n_array_bounds);
  return schema::with_implicit_modifiers(std::move(ref));
}

std::optional<std::int64_t> integer_value(const Node* node) {
  if (node == nullptr) return std::nullopt;
  if (node->node_case == PG_QUERY__NODE__NODE_INTEGER) return node->integer->ival;
  if (node->node_case == PG_QUERY__NODE__NODE_FLOAT) {
    std::int64_t value = 0;
    const std::string_view text = node->float_->fval;
    if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{}) return value;
    return std::nullopt;
  }
  if (node->node_case == PG_QUERY__NODE__NODE_A_CONST) {
    const PgQuery__AConst* constant = node->a_const;
    if (constant->val_case == PG_QUERY__A__CONST__VAL_IVAL) return constant->ival->ival;
    if (constant->val_case == PG_QUERY__A__CONST__VAL_FVAL) {
      std::int64_t value = 0;
      const std::string_view text = constant->fval->fval;
      if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{}) return value;
    }
  }
  if (node->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) return integer_value(node->type_cast->arg);
  return std::nullopt;
}

std::string text_value(const Node* node) {
  if (node == nullptr) return {};
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_STRING: return node->string->sval;
    case PG_QUERY__NODE__NODE_INTEGER: return std::to_string(node->integer->ival);
    case PG_QUERY__NODE__NODE_FLOAT: return node->float_->fval;
    case PG_QUERY__NODE__NODE_BOOLEAN: return node->boolean->boolval ? "true" : "false";
    case PG_QUERY__NODE__NODE_TYPE_NAME: {
      std::string text;
      for (std::size_t i = 0; i < node->type_name->n_names; ++i)
        text += (i > 0 ? "." : "") + string_value(node->type_name->names[i]);
      return text;
    }
    case PG_QUERY__NODE__NODE_A_CONST: {
      const PgQuery__AConst* constant = node->a_const;
      switch (constant->val_case) {
        case PG_QUERY__A__CONST__VAL_SVAL: return constant->sval->sval;
        case PG_QUERY__A__CONST__VAL_IVAL: return std::to_string(constant->ival->ival);
        case PG_QUERY__A__CONST__VAL_FVAL: return constant->fval->fval;
        case PG_QUERY__A__CONST__VAL_BOOLVAL: return constant->boolval->boolval ? "true" : "false";
        default: return {};
      }
    }
    default: return {};
  }
}

std::string deparse_expression(const Context& context, const Node* expression) {
  if (std::string constant = constant_text(expression); !constant.empty()) return constant;
  // libpg_query's deparser drops the parentheses that `(x AT TIME ZONE z)::t`
  // needs, which would change its meaning; there the function-call spelling
  // timezone(z, x), the same expression, is used instead. The tree is the
  // caller's own unpacked copy, so it may be edited in place.
  walk(expression, [](const Node& node) {
    if (node.node_case != PG_QUERY__NODE__NODE_TYPE_CAST || node.type_cast->arg == nullptr ||
        node.type_cast->arg->node_case != PG_QUERY__NODE__NODE_FUNC_CALL)
      return;
    PgQuery__FuncCall* call = node.type_cast->arg->func_call;
    if (call->funcformat == PG_QUERY__COERCION_FORM__COERCE_SQL_SYNTAX && call->n_funcname > 0 &&
        string_value(call->funcname[call->n_funcname - 1]) == "timezone")
      call->funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
  });
  PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
  target.val = const_cast<Node*>(expression);
  PgQuery__Node target_node = PG_QUERY__NODE__INIT;
  target_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
  target_node.res_target = &target;
  PgQuery__Node* targets[] = {&target_node};
  PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
  select.n_target_list = 1;
  select.target_list = targets;
  select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
  select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
  PgQuery__Node statement = PG_QUERY__NODE__INIT;
  statement.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
  statement.select_stmt = &select;

  std::string text = deparse_raw(context, &statement, node_location(expression));
  constexpr std::string_view kPrefix = "SELECT ";
  if (text.starts_with(kPrefix)) text.erase(0, kPrefix.size());
  return text;
}

std::string deparse_statement(const Context& context, const Node* statement) {
  return deparse_raw(context, const_cast<Node*>(statement), -1);
}

void walk(const Node* root, const std::function<void(const Node&)>& visit) {
  walk_message(reinterpret_cast<const ProtobufCMessage*>(root), visit);
}

std::vector<std::string> referenced_columns(const Node* expression) {
  std::vector<std::string> columns;
  walk(expression, [&](const Node& node) {
    if (node.node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return;
    const PgQuery__ColumnRef* ref = node.column_ref;
    if (ref->n_fields == 0) return;
    const std::string column = string_value(ref->fields[ref->n_fields - 1]);
    if (!column.empty() && std::find(columns.begin(), columns.end(), column) == columns.end())
      columns.push_back(column);
  });
  return columns;
}

schema::Dependencies dependencies(const Node* root) {
  std::set<std::string> cte_names;
  std::set<QualifiedName> relations;
  std::set<QualifiedName> functions;
  walk(root, [&](const Node& node) {
    switch (node.node_case) {
      case PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR:
        cte_names.insert(node.common_table_expr->ctename);
        break;
      case PG_QUERY__NODE__NODE_RANGE_VAR:
        relations.insert(qualified_name(node.range_var));
        break;
      case PG_QUERY__NODE__NODE_FUNC_CALL: {
        auto name = qualified_name(node.func_call->n_funcname, node.func_call->funcname);
        if (name.schema != "pg_catalog") functions.insert(std::move(name));
        break;
      }
      default: break;
    }
  });
  schema::Dependencies out;
  for (const auto& relation : relations)
    if (!(relation.schema.empty() && cte_names.contains(relation.name))) out.relations.push_back(relation);
  out.functions.assign(functions.begin(), functions.end());
  return out;
}

const char* node_kind_name(const Node* node) {
  if (node == nullptr) return "nothing";
  const ProtobufCFieldDescriptor* field =
      protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, static_cast<unsigned>(node->node_case));
  return field != nullptr ? field->name : "unknown node";
}

}  // namespace strata::parser::pg

namespace strata::parser::pg {
namespace {

// Parses "SELECT <expression>" and hands its target expression to `use`.
template <typename Use>
auto with_expression(std::string_view expression, Use use) {
  const std::string query = "SELECT " + std::string(expression);
  ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(query.c_str())));
  if (result->error != nullptr) throw Error("cannot parse stored expression: " + std::string(expression));
  ParseTree tree(pg_query__parse_result__unpack(nullptr, result->parse_tree.len,
                                                reinterpret_cast<const std::uint8_t*>(result->parse_tree.data)));
  Node* target = tree->stmts[0]->stmt->select_stmt->target_list[0]->res_target->val;
  return use(target);
}

}  // namespace

std::vector<std::string> expression_columns(std::string_view expression) {
  return with_expression(expression, [](Node* target) { return referenced_columns(target); });
}

std::string rename_column_in_expression(std::string_view expression, const std::string& from, const std::string& to) {
  return with_expression(expression, [&](Node* target) {
    walk(target, [&](const Node& node) {
      if (node.node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return;
      const PgQuery__ColumnRef* ref = node.column_ref;
      if (ref->n_fields == 0) return;
      Node* last = ref->fields[ref->n_fields - 1];
      if (last->node_case == PG_QUERY__NODE__NODE_STRING && from == last->string->sval) {
        // The tree is ours and freed right after deparsing; protobuf-c frees
        // strings with the allocator, so the new name must come from it too.
        char* renamed = static_cast<char*>(malloc(to.size() + 1));
        std::memcpy(renamed, to.c_str(), to.size() + 1);
        free(last->string->sval);
        last->string->sval = renamed;
      }
    });
    std::vector<Warning> ignored;
    const SourceText source("<expression>", expression);
    return deparse_expression(Context(source, 0, ignored), target);
  });
}

}  // namespace strata::parser::pg
