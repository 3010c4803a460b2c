#include "strata/schema/types.h"

#include <limits>
#include <unordered_map>

#include "strata/schema/names.h"

namespace strata::schema {
namespace {

const std::unordered_map<std::string_view, std::string_view>& builtin_types() {
  // Every spelling -> the name format_type() prints. Types whose name is
  // already canonical map to themselves. A bare "char" can only be the quoted
  // single-byte "char" type: the SQL keyword CHAR arrives as bpchar.
  static const std::unordered_map<std::string_view, std::string_view> types = {
      {"int2", "smallint"}, {"smallint", "smallint"}, {"int4", "integer"}, {"int", "integer"},
      {"integer", "integer"}, {"int8", "bigint"}, {"bigint", "bigint"}, {"float4", "real"},
      {"real", "real"}, {"float8", "double precision"}, {"double precision", "double precision"},
      {"float", "double precision"}, {"bool", "boolean"}, {"boolean", "boolean"},
      {"varchar", "character varying"}, {"character varying", "character varying"},
      {"bpchar", "character"}, {"character", "character"},
      {"decimal", "numeric"}, {"numeric", "numeric"},
      {"timestamp", "timestamp without time zone"},
      {"timestamp without time zone", "timestamp without time zone"},
      {"timestamptz", "timestamp with time zone"},
      {"timestamp with time zone", "timestamp with time zone"},
      {"time", "time without time zone"}, {"time without time zone", "time without time zone"},
      {"timetz", "time with time zone"}, {"time with time zone", "time with time zone"},
      {"varbit", "bit varying"}, {"bit varying", "bit varying"}, {"bit", "bit"},
      {"interval", "interval"}, {"date", "date"}, {"text", "text"}, {"bytea", "bytea"},
      {"json", "json"}, {"jsonb", "jsonb"}, {"jsonpath", "jsonpath"}, {"uuid", "uuid"},
      {"xml", "xml"}, {"money", "money"}, {"inet", "inet"}, {"cidr", "cidr"},
      {"macaddr", "macaddr"}, {"macaddr8", "macaddr8"}, {"point", "point"}, {"line", "line"},
      {"lseg", "lseg"}, {"box", "box"}, {"path", "path"}, {"polygon", "polygon"},
      {"circle", "circle"}, {"tsvector", "tsvector"}, {"tsquery", "tsquery"},
      {"name", "name"}, {"oid", "oid"}, {"regclass", "regclass"}, {"regtype", "regtype"},
      {"regproc", "regproc"}, {"regprocedure", "regprocedure"}, {"regconfig", "regconfig"},
      {"regnamespace", "regnamespace"}, {"regrole", "regrole"}, {"xid", "xid"},
      {"cid", "cid"}, {"tid", "tid"}, {"pg_lsn", "pg_lsn"}, {"txid_snapshot", "txid_snapshot"},
      {"pg_snapshot", "pg_snapshot"}, {"int4range", "int4range"}, {"int8range", "int8range"},
      {"numrange", "numrange"}, {"tsrange", "tsrange"}, {"tstzrange", "tstzrange"},
      {"daterange", "daterange"}, {"int4multirange", "int4multirange"},
      {"int8multirange", "int8multirange"}, {"nummultirange", "nummultirange"},
      {"tsmultirange", "tsmultirange"}, {"tstzmultirange", "tstzmultirange"},
      {"datemultirange", "datemultirange"}, {"record", "record"}, {"void", "void"},
      {"trigger", "trigger"}, {"event_trigger", "event_trigger"}, {"anyelement", "anyelement"},
      {"anyarray", "anyarray"}, {"anynonarray", "anynonarray"}, {"anyenum", "anyenum"},
      {"anyrange", "anyrange"}, {"anymultirange", "anymultirange"},
      {"anycompatible", "anycompatible"}, {"anycompatiblearray", "anycompatiblearray"},
      {"any", "\"any\""}, {"cstring", "cstring"}, {"internal", "internal"},
      {"\"char\"", "\"char\""}, {"char", "\"char\""}, {"refcursor", "refcursor"}, {"aclitem", "aclitem"},
      {"regoper", "regoper"}, {"regoperator", "regoperator"}, {"regcollation", "regcollation"},
      {"regdictionary", "regdictionary"}, {"language_handler", "language_handler"},
      {"fdw_handler", "fdw_handler"}, {"index_am_handler", "index_am_handler"},
      {"table_am_handler", "table_am_handler"}, {"tsm_handler", "tsm_handler"},
  };
  return types;
}

// Types whose modifier sits inside the name: "timestamp(3) with time zone".
constexpr std::string_view kZoneSuffixes[] = {" without time zone", " with time zone"};

}  // namespace

std::optional<std::string> builtin_type_name(std::string_view name) {
  const auto& types = builtin_types();
  if (const auto found = types.find(name); found != types.end()) return std::string(found->second);
  return std::nullopt;
}

TypeRef with_implicit_modifiers(TypeRef type) {
  if (type.is_builtin() && type.modifiers.empty() && (type.name == "character" || type.name == "bit"))
    type.modifiers = {"1"};
  return type;
}

std::string type_sql(const TypeRef& type) {
  std::string modifiers;
  if (!type.modifiers.empty()) {
    modifiers = "(";
    for (std::size_t i = 0; i < type.modifiers.size(); ++i) {
      if (i > 0) modifiers += ",";
      modifiers += type.modifiers[i];
    }
    modifiers += ")";
  }
  std::string sql;
  if (!type.is_builtin()) {
    sql = qualified_sql({type.schema, type.name}) + modifiers;
  } else {
    sql = type.name + modifiers;
    for (const auto suffix : kZoneSuffixes) {
      if (type.name.size() > suffix.size() && type.name.ends_with(suffix)) {
        sql = type.name.substr(0, type.name.size() - suffix.size()) + modifiers + std::string(suffix);
        break;
      }
    }
  }
  for (int i = 0; i < type.array_dims; ++i) sql += "[]";
  return sql;
}

namespace {

struct IntegerLimits {
  std::int64_t min;
  std::int64_t max;
};

// The range of a sequence's data type; bigint for anything else.
IntegerLimits integer_limits(const TypeRef& type) {
  if (type.name == "integer") return {std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()};
  if (type.name == "smallint") return {std::numeric_limits<std::int16_t>::min(), std::numeric_limits<std::int16_t>::max()};
  return {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
}

}  // namespace

bool is_sequence_type(const TypeRef& type) {
  return type.schema.empty() && type.array_dims == 0 &&
         (type.name == "smallint" || type.name == "integer" || type.name == "bigint");
}

SequenceOptions resolve_sequence_options(const SequenceOptions& given) {
  SequenceOptions resolved = given;
  if (!resolved.data_type) resolved.data_type = TypeRef{"", "bigint", {}, 0};
  const IntegerLimits limits = integer_limits(*resolved.data_type);

  if (!resolved.increment) resolved.increment = 1;
  const bool ascending = *resolved.increment > 0;
  if (!resolved.min_value) resolved.min_value = ascending ? 1 : limits.min;
  if (!resolved.max_value) resolved.max_value = ascending ? limits.max : -1;
  if (!resolved.start) resolved.start = ascending ? *resolved.min_value : *resolved.max_value;
  if (!resolved.cache) resolved.cache = 1;
  return resolved;
}

SequenceOptions retyped_sequence_options(const SequenceOptions& resolved, const TypeRef& type) {
  SequenceOptions retyped = resolved;
  retyped.data_type = type;
  if (!resolved.data_type) return retyped;
  const IntegerLimits old_limits = integer_limits(*resolved.data_type);
  const IntegerLimits new_limits = integer_limits(type);
  if (resolved.max_value == old_limits.max) retyped.max_value = new_limits.max;
  if (resolved.min_value == old_limits.min) retyped.min_value = new_limits.min;
  return retyped;
}

std::optional<std::string> sequence_bounds_problem(const SequenceOptions& resolved) {
  if (!resolved.data_type) return std::nullopt;
  const IntegerLimits limits = integer_limits(*resolved.data_type);
  const std::string type = type_sql(*resolved.data_type);
  if (resolved.max_value && (*resolved.max_value > limits.max || *resolved.max_value < limits.min))
    return "MAXVALUE (" + std::to_string(*resolved.max_value) + ") is out of range for sequence data type " + type;
  if (resolved.min_value && (*resolved.min_value > limits.max || *resolved.min_value < limits.min))
    return "MINVALUE (" + std::to_string(*resolved.min_value) + ") is out of range for sequence data type " + type;
  return std::nullopt;
}

}  // namespace strata::schema
