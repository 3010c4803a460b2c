// CREATE SCHEMA, CREATE and ALTER EXTENSION, DROP, ALTER ... RENAME, COMMENT ON, SET.
#include "translate.h"

namespace strata::parser::translate {
namespace {

std::optional<ObjectKind> object_kind(PgQuery__ObjectType type) {
  switch (type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: return ObjectKind::Schema;
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION: return ObjectKind::Extension;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: return ObjectKind::Table;
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: return ObjectKind::View;
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: return ObjectKind::MaterializedView;
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: return ObjectKind::Index;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: return ObjectKind::Sequence;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE: return ObjectKind::Type;
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: return ObjectKind::Domain;
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION: return ObjectKind::Function;
    case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE: return ObjectKind::Procedure;
    case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: return ObjectKind::Function;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: return ObjectKind::Trigger;
    case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY: return ObjectKind::Policy;
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: return ObjectKind::Column;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: return ObjectKind::Constraint;
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMCONSTRAINT: return ObjectKind::DomainConstraint;
    default: return std::nullopt;
  }
}

ObjectKind required_kind(const pg::Context& context, PgQuery__ObjectType type, std::int32_t location,
                         const char* verb) {
  if (auto kind = object_kind(type)) return *kind;
  const ProtobufCEnumValue* value =
      protobuf_c_enum_descriptor_get_value(&pg_query__object_type__descriptor, static_cast<int>(type));
  std::string name = value != nullptr ? value->name : "?";
  if (name.starts_with("OBJECT_")) name.erase(0, 7);
  context.fail(location, std::string(verb) + " of " + name + " objects is not supported");
}

// The name list of an object: [schema.]name, or [schema.]table.member for
// columns, constraints and triggers.
ObjectRef object_ref(const pg::Context& context, ObjectKind kind, const pg::Node* object, std::int32_t location) {
  ObjectRef ref;
  ref.kind = kind;
  if (object == nullptr) context.fail(location, "missing object name");
  switch (object->node_case) {
    case PG_QUERY__NODE__NODE_STRING: ref.name = {"", object->string->sval}; break;
    case PG_QUERY__NODE__NODE_TYPE_NAME:
      ref.name = pg::qualified_name(object->type_name->n_names, object->type_name->names);
      break;
    case PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS: {
      const auto& with_args = *object->object_with_args;
      ref.name = pg::qualified_name(with_args.n_objname, with_args.objname);
      if (!with_args.args_unspecified) {
        std::vector<schema::TypeRef> types;
        for (std::size_t i = 0; i < with_args.n_objargs; ++i)
          types.push_back(pg::type_ref(context, with_args.objargs[i]->type_name));
        ref.argument_types = std::move(types);
      }
      break;
    }
    case PG_QUERY__NODE__NODE_LIST: {
      const auto& list = *object->list;
      if (kind == ObjectKind::DomainConstraint && list.n_items == 2 &&
          list.items[0]->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) {
        const auto* type = list.items[0]->type_name;
        ref.parent = pg::qualified_name(type->n_names, type->names);
        ref.name = {"", pg::string_value(list.items[1])};
        break;
      }
      const auto parts = pg::string_list(list.n_items, list.items);
      const bool has_parent = kind == ObjectKind::Column || kind == ObjectKind::Constraint ||
                              kind == ObjectKind::Trigger || kind == ObjectKind::Policy ||
                              kind == ObjectKind::DomainConstraint;
      if (has_parent) {
        if (parts.size() < 2) context.fail(location, "expected table.name");
        ref.name = {"", parts.back()};
        ref.parent = {parts.size() >= 3 ? parts[parts.size() - 3] : "", parts[parts.size() - 2]};
      } else {
        ref.name = pg::qualified_name(list.n_items, list.items);
      }
      break;
    }
    default: context.fail(location, std::string("unexpected object name ") + pg::node_kind_name(object));
  }
  return ref;
}

}  // namespace

CreateSchema create_schema(const pg::Context& context, const PgQuery__CreateSchemaStmt& node, std::int32_t location) {
  if (node.schemaname == nullptr || node.schemaname[0] == '\0')
    context.fail(location, "CREATE SCHEMA needs a schema name");
  if (node.n_schema_elts > 0)
    context.fail(location, "CREATE SCHEMA with nested statements is not supported; write them separately");
  if (node.authrole != nullptr) context.warn(location, "ownership is not managed by strata; AUTHORIZATION is ignored");
  return CreateSchema{node.schemaname, node.if_not_exists != 0};
}

CreateExtension create_extension(const pg::Context& context, const PgQuery__CreateExtensionStmt& node) {
  CreateExtension statement;
  statement.extension.name = node.extname;
  statement.if_not_exists = node.if_not_exists;
  for (std::size_t i = 0; i < node.n_options; ++i) {
    const auto& option = *node.options[i]->def_elem;
    const std::string_view name = option.defname;
    if (name == "schema") {
      statement.extension.schema = pg::text_value(option.arg);
    } else if (name == "new_version") {
      statement.extension.version = pg::text_value(option.arg);
    } else if (name != "cascade") {
      context.fail(option.location, "CREATE EXTENSION option " + std::string(name) + " is not supported");
    }
  }
  return statement;
}

// UPDATE is the one form: its only option is the version to update to.
AlterExtension alter_extension(const pg::Context& context, const PgQuery__AlterExtensionStmt& node) {
  AlterExtension statement{node.extname, std::nullopt};
  for (std::size_t i = 0; i < node.n_options; ++i) {
    const auto& option = *node.options[i]->def_elem;
    if (std::string_view(option.defname) != "new_version")
      context.fail(option.location, "ALTER EXTENSION option " + std::string(option.defname) + " is not supported");
    statement.version = pg::text_value(option.arg);
  }
  return statement;
}

Drop drop(const pg::Context& context, const PgQuery__DropStmt& node, std::int32_t location) {
  Drop statement;
  const ObjectKind kind = required_kind(context, node.remove_type, location, "DROP");
  for (std::size_t i = 0; i < node.n_objects; ++i)
    statement.objects.push_back(object_ref(context, kind, node.objects[i], location));
  statement.if_exists = node.missing_ok;
  statement.cascade = node.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  return statement;
}

Rename rename(const pg::Context& context, const PgQuery__RenameStmt& node, std::int32_t location) {
  Rename statement;
  statement.new_name = node.newname;
  statement.if_exists = node.missing_ok;
  const ObjectKind kind = required_kind(context, node.rename_type, location, "RENAME");
  statement.object.kind = kind;
  if (node.relation != nullptr) {
    // Relations and their members (columns, constraints, triggers).
    const QualifiedName relation = pg::qualified_name(node.relation);
    if (kind == ObjectKind::Column || kind == ObjectKind::Constraint || kind == ObjectKind::Trigger ||
        kind == ObjectKind::Policy) {
      statement.object.parent = relation;
      statement.object.name = {"", node.subname};
    } else {
      statement.object.name = relation;
    }
  } else if (kind == ObjectKind::Schema) {
    statement.object.name = {"", node.subname};
  } else if (kind == ObjectKind::DomainConstraint) {
    statement.object = object_ref(context, kind, node.object, location);
    statement.object.parent = statement.object.name;
    statement.object.name = {"", node.subname};
  } else {
    statement.object = object_ref(context, kind, node.object, location);
  }
  return statement;
}

Comment comment(const pg::Context& context, const PgQuery__CommentStmt& node, std::int32_t location) {
  Comment statement;
  statement.object = object_ref(context, required_kind(context, node.objtype, location, "COMMENT"), node.object, location);
  if (node.comment != nullptr && node.comment[0] != '\0') statement.text = node.comment;
  return statement;
}

namespace {

// A transaction-local search_path ends with a transaction that the files do
// not delimit for strata (a migration is one, a schema file may hold several).
constexpr const char* kLocalSearchPath =
    "a transaction-local search_path (SET LOCAL, set_config(..., true)) is not supported: use SET search_path, or "
    "qualify the names";

// set_config('search_path', 'a, "B"', false): the list as SET would give it,
// read as the server's SplitIdentifierString reads it (a quoted name may hold
// commas and "" for a quote; a bare one is folded to lower case; blanks
// around a name are dropped). Nothing when the server would reject it.
std::optional<std::vector<std::string>> search_path_list(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  std::vector<std::string> schemas;
  std::size_t at = 0;
  while (at < text.size() && blank(text[at])) ++at;
  if (at == text.size()) return std::vector<std::string>{""};  // '': no schema at all
  while (true) {
    std::string name;
    if (at < text.size() && text[at] == '"') {
      for (++at;; ++at) {
        if (at == text.size()) return std::nullopt;  // unterminated
        if (text[at] == '"') {
          if (at + 1 < text.size() && text[at + 1] == '"') {
            name += '"';
            ++at;
            continue;
          }
          ++at;
          break;
        }
        name += text[at];
      }
    } else {
      for (; at < text.size() && text[at] != ',' && !blank(text[at]) && text[at] != '"'; ++at)
        name += (text[at] >= 'A' && text[at] <= 'Z') ? static_cast<char>(text[at] - 'A' + 'a') : text[at];
    }
    if (name.empty()) return std::nullopt;
    schemas.push_back(std::move(name));
    while (at < text.size() && blank(text[at])) ++at;
    if (at == text.size()) return schemas;
    if (text[at] != ',') return std::nullopt;
    ++at;
    while (at < text.size() && blank(text[at])) ++at;
  }
}

const char* string_constant(const pg::Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_A_CONST ||
      node->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
    return nullptr;
  return node->a_const->sval->sval;
}

}  // namespace

StatementBody variable_set(const pg::Context& context, const PgQuery__VariableSetStmt& node, std::int32_t location) {
  if (node.name == nullptr || std::string_view(node.name) != "search_path") return PassOver{"SET"};
  if (node.is_local) context.fail(location, kLocalSearchPath);
  SetSearchPath statement;
  if (node.kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE)
    for (std::size_t i = 0; i < node.n_args; ++i) statement.schemas.push_back(pg::text_value(node.args[i]));
  return statement;
}

// SELECT set_config('search_path', '...', false), as pg_dump writes it, sets
// the path as SET does; any other SELECT changes no schema object.
StatementBody select(const pg::Context& context, const PgQuery__SelectStmt& node, std::int32_t location) {
  std::optional<SetSearchPath> set;
  bool other_targets = false;
  for (std::size_t i = 0; i < node.n_target_list; ++i) {
    const pg::Node* value = node.target_list[i]->res_target->val;
    const PgQuery__FuncCall* call =
        value != nullptr && value->node_case == PG_QUERY__NODE__NODE_FUNC_CALL ? value->func_call : nullptr;
    const bool set_config = call != nullptr && pg::string_value(call->funcname[call->n_funcname - 1]) == "set_config";
    const char* setting = set_config && call->n_args == 3 ? string_constant(call->args[0]) : nullptr;
    if (setting == nullptr || std::string_view(setting) != "search_path") {
      other_targets = true;
      continue;
    }
    const char* path = string_constant(call->args[1]);
    const pg::Node* local = call->args[2];
    const bool constant_flag =
        local->node_case == PG_QUERY__NODE__NODE_A_CONST && local->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL;
    if (path == nullptr || !constant_flag || set || node.from_clause != nullptr)
      context.fail(location, "search_path set by set_config() is supported only as SELECT set_config('search_path', "
                             "'<schemas>', false) on its own");
    if (local->a_const->boolval->boolval) context.fail(location, kLocalSearchPath);
    auto schemas = search_path_list(path);
    if (!schemas) context.fail(location, "invalid value for search_path: \"" + std::string(path) + "\"");
    set = SetSearchPath{std::move(*schemas)};
  }
  if (set && other_targets)
    context.fail(location, "search_path set by set_config() is supported only in a SELECT of its own");
  if (set) return *set;
  return PassOver{"SELECT"};
}

}  // namespace strata::parser::translate
