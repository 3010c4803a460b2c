#include "strata/schema/printer.h"

#include <functional>
#include <set>

#include "strata/schema/dependency_order.h"
#include "strata/schema/names.h"
#include "strata/schema/types.h"

namespace strata::schema {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view separator,
                 const std::function<std::string(const std::string&)>& format) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += format(items[i]);
  }
  return out;
}

std::string column_list(const std::vector<std::string>& columns) {
  return "(" + join(columns, ", ", [](const std::string& c) { return quote_identifier(c); }) + ")";
}

std::string include_sql(const std::vector<std::string>& include) {
  return include.empty() ? "" : " INCLUDE " + column_list(include);
}

struct ConstraintBodySql {
  std::string operator()(const PrimaryKey& key) const {
    return "PRIMARY KEY " + column_list(key.columns) + include_sql(key.include);
  }
  std::string operator()(const UniqueKey& key) const {
    return std::string("UNIQUE") + (key.nulls_not_distinct ? " NULLS NOT DISTINCT " : " ") +
           column_list(key.columns) + include_sql(key.include);
  }
  std::string operator()(const Check& check) const {
    return "CHECK (" + check.expression + ")" + (check.no_inherit ? " NO INHERIT" : "");
  }
  std::string operator()(const ForeignKey& key) const {
    std::string sql = "FOREIGN KEY " + column_list(key.columns) + " REFERENCES " +
                      qualified_sql(key.referenced_table) + " " + column_list(key.referenced_columns);
    if (key.match == MatchType::Full) sql += " MATCH FULL";
    if (key.match == MatchType::Partial) sql += " MATCH PARTIAL";
    if (key.on_update != ReferentialAction::NoAction)
      sql += " ON UPDATE " + std::string(referential_action_sql(key.on_update));
    if (key.on_delete != ReferentialAction::NoAction)
      sql += " ON DELETE " + std::string(referential_action_sql(key.on_delete));
    return sql;
  }
  std::string operator()(const Exclusion& exclusion) const {
    std::string sql = "EXCLUDE USING " + exclusion.method + " (";
    for (std::size_t i = 0; i < exclusion.elements.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += exclusion.elements[i].element + " WITH " + exclusion.elements[i].op;
    }
    sql += ")" + include_sql(exclusion.include);
    if (exclusion.where) sql += " WHERE (" + *exclusion.where + ")";
    return sql;
  }
};

bool is_foreign_key(const Constraint& constraint) {
  return std::holds_alternative<ForeignKey>(constraint.body);
}

// DEFAULT takes a restricted expression (no AT TIME ZONE, IS NULL, AND, ...):
// anything with a top-level operator goes in parentheses.
std::string default_sql(const std::string& expression) {
  int depth = 0;
  bool quoted = false;
  for (const char c : expression) {
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ' ' && depth == 0) return "(" + expression + ")";
  }
  return expression;
}

std::string comment_sql(std::string_view kind, const std::string& target,
                        const std::optional<std::string>& comment) {
  if (!comment) return "";
  return "COMMENT ON " + std::string(kind) + " " + target + " IS " + string_literal(*comment) + ";\n";
}

std::string dollar_quoted(const std::string& body) {
  std::string tag = "$$";
  for (int n = 1; body.find(tag) != std::string::npos; ++n) tag = "$body" + std::to_string(n) + "$";
  return tag + body + tag;
}

template <typename Map>
std::vector<typename Map::key_type> keys_of(const Map& map) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

std::vector<QualifiedName> user_types(const std::vector<TypeRef>& types) {
  std::vector<QualifiedName> names;
  for (const auto& type : types)
    if (!type.is_builtin()) names.push_back({type.schema, type.name});
  return names;
}

// A routine that reads no relation can be created before the tables, so that
// defaults and checks may call it.
bool reads_relations(const Catalog& catalog, const Function& function) {
  if (!function.depends_on.relations.empty()) return true;
  auto is_row_type = [&](const std::optional<TypeRef>& type) {
    return type && !type->is_builtin() &&
           (catalog.tables.contains({type->schema, type->name}) ||
            catalog.views.contains({type->schema, type->name}));
  };
  if (is_row_type(function.returns)) return true;
  for (const auto& arg : function.args)
    if (is_row_type(arg.type)) return true;
  return false;
}

}  // namespace

std::string_view referential_action_sql(ReferentialAction action) {
  switch (action) {
    case ReferentialAction::NoAction: return "NO ACTION";
    case ReferentialAction::Restrict: return "RESTRICT";
    case ReferentialAction::Cascade: return "CASCADE";
    case ReferentialAction::SetNull: return "SET NULL";
    case ReferentialAction::SetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

std::string string_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string column_sql(const Column& column) {
  std::string sql = quote_identifier(column.name) + " " + type_sql(column.type);
  if (column.collation) sql += " COLLATE " + quote_identifier(*column.collation);
  if (column.generated_expr) sql += " GENERATED ALWAYS AS (" + *column.generated_expr + ") STORED";
  if (column.identity) {
    sql += column.identity->kind == IdentityKind::Always ? " GENERATED ALWAYS AS IDENTITY"
                                                         : " GENERATED BY DEFAULT AS IDENTITY";
    const auto defaults = resolve_sequence_options({.data_type = column.type});
    const auto& options = column.identity->options;
    SequenceOptions changed;
    if (options.increment != defaults.increment) changed.increment = options.increment;
    if (options.min_value != defaults.min_value) changed.min_value = options.min_value;
    if (options.max_value != defaults.max_value) changed.max_value = options.max_value;
    if (options.start != defaults.start) changed.start = options.start;
    if (options.cache != defaults.cache) changed.cache = options.cache;
    changed.cycle = options.cycle;
    if (changed != SequenceOptions{}) sql += " (" + sequence_options_sql(changed) + ")";
  }
  if (column.default_expr) sql += " DEFAULT " + default_sql(*column.default_expr);
  if (column.not_null) sql += " NOT NULL";
  return sql;
}

std::string constraint_sql(const Constraint& constraint) {
  std::string sql = "CONSTRAINT " + quote_identifier(constraint.name) + " " +
                    std::visit(ConstraintBodySql{}, constraint.body);
  if (constraint.deferrable) sql += " DEFERRABLE";
  if (constraint.initially_deferred) sql += " INITIALLY DEFERRED";
  return sql;
}

std::string sequence_options_sql(const SequenceOptions& options) {
  std::string sql;
  auto add = [&](const std::string& part) {
    if (!sql.empty()) sql += " ";
    sql += part;
  };
  if (options.data_type) add("AS " + type_sql(*options.data_type));
  if (options.increment) add("INCREMENT BY " + std::to_string(*options.increment));
  if (options.min_value) add("MINVALUE " + std::to_string(*options.min_value));
  if (options.max_value) add("MAXVALUE " + std::to_string(*options.max_value));
  if (options.start) add("START WITH " + std::to_string(*options.start));
  if (options.cache) add("CACHE " + std::to_string(*options.cache));
  add(options.cycle ? "CYCLE" : "NO CYCLE");
  return sql;
}

// A partition takes its columns and inherited checks from its parent; only
// its own constraints are written.
std::string create_partition_sql(const Table& table, const Catalog& catalog) {
  std::string sql = std::string("CREATE ") + (table.unlogged ? "UNLOGGED " : "") + "TABLE " +
                    qualified_sql(table.name) + " PARTITION OF " + qualified_sql(table.inherits.at(0));
  const auto parent = catalog.tables.find(table.inherits.at(0));
  std::vector<std::string> own;
  for (const auto& constraint : table.constraints) {
    const bool inherited = parent != catalog.tables.end() && parent->second.find_constraint(constraint.name) &&
                           *parent->second.find_constraint(constraint.name) == constraint;
    if (!inherited && !added_after_table(constraint)) own.push_back(constraint_sql(constraint));
  }
  if (!own.empty()) sql += " (\n  " + join(own, ",\n  ", [](const std::string& c) { return c; }) + "\n)";
  sql += " " + *table.partition_bound;
  if (table.partition_by) sql += " PARTITION BY " + *table.partition_by;
  return sql;
}

std::string create_table_sql(const Table& table) {
  std::string sql = std::string("CREATE ") + (table.unlogged ? "UNLOGGED " : "") + "TABLE " +
                    qualified_sql(table.name) + " (";
  bool first = true;
  auto add = [&](const std::string& element) {
    sql += first ? "\n  " : ",\n  ";
    sql += element;
    first = false;
  };
  for (const auto& column : table.columns) add(column_sql(column));
  for (const auto& constraint : table.constraints)
    if (!added_after_table(constraint)) add(constraint_sql(constraint));
  sql += first ? ")" : "\n)";
  if (!table.inherits.empty()) {
    sql += " INHERITS (";
    for (std::size_t i = 0; i < table.inherits.size(); ++i)
      sql += (i > 0 ? ", " : "") + qualified_sql(table.inherits[i]);
    sql += ")";
  }
  if (table.partition_by) sql += " PARTITION BY " + *table.partition_by;
  return sql;
}

std::string add_constraint_sql(const QualifiedName& table, const Constraint& constraint) {
  return "ALTER TABLE " + qualified_sql(table) + " ADD " + constraint_sql(constraint) +
         (constraint.not_valid ? " NOT VALID" : "");
}

bool added_after_table(const Constraint& constraint) {
  return is_foreign_key(constraint) || constraint.not_valid;
}

std::string create_index_sql(const Index& index) {
  std::string sql = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
                    quote_identifier(index.name.name) + " ON " + qualified_sql(index.table);
  if (index.method != "btree") sql += " USING " + index.method;
  sql += " (";
  for (std::size_t i = 0; i < index.elements.size(); ++i) {
    const auto& element = index.elements[i];
    if (i > 0) sql += ", ";
    sql += element.column.empty() ? "(" + element.expression + ")" : quote_identifier(element.column);
    if (element.collation) sql += " COLLATE " + quote_identifier(*element.collation);
    if (element.opclass) sql += " " + *element.opclass;
    if (element.order == SortOrder::Asc) sql += " ASC";
    if (element.order == SortOrder::Desc) sql += " DESC";
    if (element.nulls == NullsOrder::First) sql += " NULLS FIRST";
    if (element.nulls == NullsOrder::Last) sql += " NULLS LAST";
  }
  sql += ")" + include_sql(index.include);
  if (index.nulls_not_distinct) sql += " NULLS NOT DISTINCT";
  if (!index.options.empty())
    sql += " WITH (" + join(index.options, ", ", [](const std::string& o) { return o; }) + ")";
  if (index.where) sql += " WHERE (" + *index.where + ")";
  return sql;
}

std::string create_enum_sql(const Enum& type) {
  return "CREATE TYPE " + qualified_sql(type.name) + " AS ENUM (" +
         join(type.values, ", ", [](const std::string& v) { return string_literal(v); }) + ")";
}

std::string create_domain_sql(const Domain& domain) {
  std::string sql = "CREATE DOMAIN " + qualified_sql(domain.name) + " AS " + type_sql(domain.base_type);
  if (domain.collation) sql += " COLLATE " + quote_identifier(*domain.collation);
  if (domain.default_expr) sql += " DEFAULT " + default_sql(*domain.default_expr);
  if (domain.not_null) sql += " NOT NULL";
  for (const auto& check : domain.checks)
    sql += " CONSTRAINT " + quote_identifier(check.name) + " CHECK (" + check.expression + ")";
  return sql;
}

std::string create_composite_sql(const CompositeType& type) {
  std::string sql = "CREATE TYPE " + qualified_sql(type.name) + " AS (";
  for (std::size_t i = 0; i < type.attributes.size(); ++i) {
    const auto& attribute = type.attributes[i];
    if (i > 0) sql += ", ";
    sql += quote_identifier(attribute.name) + " " + type_sql(attribute.type);
    if (attribute.collation) sql += " COLLATE " + quote_identifier(*attribute.collation);
  }
  return sql + ")";
}

std::string create_sequence_sql(const Sequence& sequence) {
  return "CREATE SEQUENCE " + qualified_sql(sequence.name) + " " + sequence_options_sql(sequence.options);
}

std::string create_view_sql(const View& view) {
  std::string sql = view.materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ";
  sql += qualified_sql(view.name);
  if (!view.column_names.empty()) sql += " " + column_list(view.column_names);
  if (!view.options.empty())
    sql += " WITH (" + join(view.options, ", ", [](const std::string& o) { return o; }) + ")";
  sql += " AS " + view.query;
  if (view.check_option) {
    sql += " WITH " + ascii_upper(*view.check_option) + " CHECK OPTION";
  }
  return sql;
}

std::string create_function_sql(const Function& function) {
  std::string sql = function.kind == RoutineKind::Procedure ? "CREATE PROCEDURE " : "CREATE FUNCTION ";
  sql += qualified_sql(function.name) + "(";
  bool first = true;
  std::vector<const FunctionArg*> table_columns;
  for (const auto& arg : function.args) {
    if (arg.mode == ArgMode::Table) {
      table_columns.push_back(&arg);
      continue;
    }
    if (!first) sql += ", ";
    first = false;
    if (arg.mode == ArgMode::Out) sql += "OUT ";
    if (arg.mode == ArgMode::InOut) sql += "INOUT ";
    if (arg.mode == ArgMode::Variadic) sql += "VARIADIC ";
    if (!arg.name.empty()) sql += quote_identifier(arg.name) + " ";
    sql += type_sql(arg.type);
    if (arg.default_expr) sql += " DEFAULT " + *arg.default_expr;
  }
  sql += ")";
  if (!table_columns.empty()) {
    sql += " RETURNS TABLE(";
    for (std::size_t i = 0; i < table_columns.size(); ++i)
      sql += (i > 0 ? ", " : "") + quote_identifier(table_columns[i]->name) + " " +
             type_sql(table_columns[i]->type);
    sql += ")";
  } else if (function.returns) {
    sql += std::string(" RETURNS ") + (function.returns_set ? "SETOF " : "") + type_sql(*function.returns);
  }
  sql += " LANGUAGE " + quote_identifier(function.language);
  for (const auto& option : function.options) sql += " " + option;
  sql += " AS " + dollar_quoted(function.body);
  return sql;
}

std::string create_trigger_sql(const Trigger& trigger) {
  std::string sql = trigger.constraint_trigger ? "CREATE CONSTRAINT TRIGGER " : "CREATE TRIGGER ";
  sql += quote_identifier(trigger.name);
  switch (trigger.timing) {
    case TriggerTiming::Before: sql += " BEFORE "; break;
    case TriggerTiming::After: sql += " AFTER "; break;
    case TriggerTiming::InsteadOf: sql += " INSTEAD OF "; break;
  }
  sql += join(trigger.events, " OR ", [](const std::string& e) { return e; });
  sql += " ON " + qualified_sql(trigger.table);
  if (trigger.deferrable) sql += " DEFERRABLE";
  if (trigger.initially_deferred) sql += " INITIALLY DEFERRED";
  sql += trigger.for_each_row ? " FOR EACH ROW" : " FOR EACH STATEMENT";
  if (trigger.when) sql += " WHEN (" + *trigger.when + ")";
  sql += " EXECUTE FUNCTION " + qualified_sql(trigger.function) + "(" +
         join(trigger.function_args, ", ", [](const std::string& a) { return string_literal(a); }) + ")";
  return sql;
}

std::string policy_roles_sql(const Policy& policy) {
  return join(policy.roles, ", ", [](const std::string& role) {
    return role == "public" ? std::string("PUBLIC") : quote_identifier(role);
  });
}

std::string create_policy_sql(const Policy& policy) {
  std::string sql = "CREATE POLICY " + quote_identifier(policy.name) + " ON " + qualified_sql(policy.table) +
                    (policy.permissive ? " AS PERMISSIVE" : " AS RESTRICTIVE") + " FOR " + policy.command + " TO " +
                    policy_roles_sql(policy);
  if (policy.using_expr) sql += " USING (" + *policy.using_expr + ")";
  if (policy.check_expr) sql += " WITH CHECK (" + *policy.check_expr + ")";
  return sql;
}

std::string create_extension_sql(const Extension& extension) {
  std::string sql = "CREATE EXTENSION " + quote_identifier(extension.name);
  if (extension.schema) sql += " SCHEMA " + quote_identifier(*extension.schema);
  if (extension.version) sql += " VERSION " + string_literal(*extension.version);
  return sql;
}

std::string create_schema_sql(const Schema& schema) {
  return "CREATE SCHEMA " + quote_identifier(schema.name);
}

std::string catalog_sql(const Catalog& catalog) {
  std::string out;
  auto statement = [&](const std::string& sql) { out += sql + ";\n"; };
  const Catalog defaults = Catalog::postgres_default();

  for (const auto& [name, schema] : catalog.schemas)
    if (!defaults.schemas.contains(name)) statement(create_schema_sql(schema));
  for (const auto& [name, extension] : catalog.extensions) statement(create_extension_sql(extension));
  for (const auto& [name, type] : catalog.enums) statement(create_enum_sql(type));

  // Domains and composite types may be built on each other.
  std::vector<QualifiedName> types = keys_of(catalog.domains);
  for (const auto& [name, type] : catalog.composite_types) types.push_back(name);
  std::sort(types.begin(), types.end());
  const auto type_order = dependency_order<QualifiedName>(types, [&](const QualifiedName& name) {
    if (const auto domain = catalog.domains.find(name); domain != catalog.domains.end())
      return user_types({domain->second.base_type});
    std::vector<TypeRef> attribute_types;
    for (const auto& attribute : catalog.composite_types.at(name).attributes)
      attribute_types.push_back(attribute.type);
    return user_types(attribute_types);
  });
  for (const auto& name : type_order) {
    if (const auto domain = catalog.domains.find(name); domain != catalog.domains.end())
      statement(create_domain_sql(domain->second));
    else
      statement(create_composite_sql(catalog.composite_types.at(name)));
  }

  for (const auto& [name, sequence] : catalog.sequences) statement(create_sequence_sql(sequence));
  for (const auto& [signature, function] : catalog.functions)
    if (!reads_relations(catalog, function)) statement(create_function_sql(function));

  const auto table_order = dependency_order<QualifiedName>(
      keys_of(catalog.tables), [&](const QualifiedName& name) { return catalog.tables.at(name).inherits; });
  for (const auto& name : table_order) {
    const Table& table = catalog.tables.at(name);
    statement(table.partition_bound ? create_partition_sql(table, catalog) : create_table_sql(table));
  }
  for (const auto& [name, sequence] : catalog.sequences) {
    if (!sequence.owned_by) continue;
    statement("ALTER SEQUENCE " + qualified_sql(name) + " OWNED BY " +
              qualified_sql(sequence.owned_by->table) + "." + quote_identifier(sequence.owned_by->column));
  }
  for (const auto& [name, index] : catalog.indexes)
    if (catalog.tables.contains(index.table)) statement(create_index_sql(index));
  for (const auto& [name, table] : catalog.tables)
    for (const auto& constraint : table.constraints)
      if (added_after_table(constraint)) statement(add_constraint_sql(name, constraint));

  // Views and the routines that read relations, in one dependency order: a
  // view may call such a routine and a routine may read a view.
  std::vector<std::string> late;
  std::map<QualifiedName, std::vector<std::string>> signatures_by_name;
  for (const auto& [name, view] : catalog.views) late.push_back("v:" + qualified_sql(name));
  for (const auto& [signature, function] : catalog.functions) {
    signatures_by_name[function.name].push_back(signature);
    if (reads_relations(catalog, function)) late.push_back("f:" + signature);
  }
  std::map<std::string, const View*> view_by_key;
  for (const auto& [name, view] : catalog.views) view_by_key["v:" + qualified_sql(name)] = &view;
  const auto late_order = dependency_order<std::string>(late, [&](const std::string& key) {
    const Dependencies& depends_on = key[0] == 'v' ? view_by_key.at(key)->depends_on
                                                   : catalog.functions.at(key.substr(2)).depends_on;
    std::vector<std::string> keys;
    for (const auto& relation : depends_on.relations) keys.push_back("v:" + qualified_sql(relation));
    for (const auto& function : depends_on.functions)
      if (const auto found = signatures_by_name.find(function); found != signatures_by_name.end())
        for (const auto& signature : found->second) keys.push_back("f:" + signature);
    return keys;
  });
  for (const auto& key : late_order) {
    if (key[0] == 'v')
      statement(create_view_sql(*view_by_key.at(key)));
    else
      statement(create_function_sql(catalog.functions.at(key.substr(2))));
  }
  for (const auto& [name, index] : catalog.indexes)
    if (!catalog.tables.contains(index.table)) statement(create_index_sql(index));  // on materialized views
  for (const auto& [key, trigger] : catalog.triggers) statement(create_trigger_sql(trigger));
  for (const auto& [name, table] : catalog.tables) {
    if (table.row_security) statement("ALTER TABLE " + qualified_sql(name) + " ENABLE ROW LEVEL SECURITY");
    if (table.force_row_security) statement("ALTER TABLE " + qualified_sql(name) + " FORCE ROW LEVEL SECURITY");
  }
  for (const auto& [key, policy] : catalog.policies) statement(create_policy_sql(policy));

  // Comments last: every object exists by then.
  for (const auto& [name, schema] : catalog.schemas) {
    // A preset schema's comment removed is written as '', which removes it.
    const auto preset = defaults.schemas.find(name);
    if (preset == defaults.schemas.end())
      out += comment_sql("SCHEMA", quote_identifier(name), schema.comment);
    else if (preset->second.comment != schema.comment)
      out += comment_sql("SCHEMA", quote_identifier(name), schema.comment.value_or(""));
  }
  for (const auto& [name, extension] : catalog.extensions)
    out += comment_sql("EXTENSION", quote_identifier(name), extension.comment);
  for (const auto& [name, type] : catalog.enums) out += comment_sql("TYPE", qualified_sql(name), type.comment);
  for (const auto& [name, domain] : catalog.domains)
    out += comment_sql("DOMAIN", qualified_sql(name), domain.comment);
  for (const auto& [name, type] : catalog.composite_types)
    out += comment_sql("TYPE", qualified_sql(name), type.comment);
  for (const auto& [name, sequence] : catalog.sequences)
    out += comment_sql("SEQUENCE", qualified_sql(name), sequence.comment);
  for (const auto& [name, table] : catalog.tables) {
    out += comment_sql("TABLE", qualified_sql(name), table.comment);
    for (const auto& column : table.columns)
      out += comment_sql("COLUMN", qualified_sql(name) + "." + quote_identifier(column.name), column.comment);
    for (const auto& constraint : table.constraints)
      out += comment_sql("CONSTRAINT", quote_identifier(constraint.name) + " ON " + qualified_sql(name),
                         constraint.comment);
  }
  for (const auto& [name, index] : catalog.indexes) out += comment_sql("INDEX", qualified_sql(name), index.comment);
  for (const auto& [name, view] : catalog.views)
    out += comment_sql(view.materialized ? "MATERIALIZED VIEW" : "VIEW", qualified_sql(name), view.comment);
  for (const auto& [signature, function] : catalog.functions) {
    const std::string arguments = signature.substr(signature.find('('));
    out += comment_sql(function.kind == RoutineKind::Procedure ? "PROCEDURE" : "FUNCTION",
                       qualified_sql(function.name) + arguments, function.comment);
  }
  for (const auto& [key, policy] : catalog.policies)
    out += comment_sql("POLICY", quote_identifier(policy.name) + " ON " + qualified_sql(policy.table), policy.comment);
  for (const auto& [key, trigger] : catalog.triggers)
    out += comment_sql("TRIGGER", quote_identifier(trigger.name) + " ON " + qualified_sql(trigger.table),
                       trigger.comment);
  return out;
}

}  // namespace strata::schema
