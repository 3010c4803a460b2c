#include "strata/schema/names.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace strata::schema {
namespace {

// PostgreSQL 15 keywords that are not UNRESERVED_KEYWORD: quote_identifier()
// quotes these. Sorted for binary search.
constexpr std::array kQuotedKeywords = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
    "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "json_array",
    "json_arrayagg", "json_exists", "json_object", "json_objectagg", "json_query",
    "json_scalar", "json_serialize", "json_table", "json_value", "lateral", "leading", "least",
    "left", "like", "limit", "localtime", "localtimestamp", "national", "natural", "nchar",
    "none", "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only",
    "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position", "precision",
    "primary", "real", "references", "returning", "right", "row", "select", "session_user",
    "setof", "similar", "smallint", "some", "substring", "symmetric", "table", "tablesample",
    "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
    "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window",
    "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
    "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
};

bool is_quoted_keyword(std::string_view word) {
  return std::binary_search(kQuotedKeywords.begin(), kQuotedKeywords.end(), word,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

// Byte length of the longest prefix of `text` of at most `limit` bytes that
// ends on a UTF-8 character boundary (pg_mbcliplen).
std::size_t clip_length(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text.size();
  std::size_t length = limit;
  while (length > 0 && (static_cast<unsigned char>(text[length]) & 0xC0U) == 0x80U) --length;
  return length;
}

}  // namespace

std::string ascii_upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

std::string quote_identifier(std::string_view identifier) {
  bool safe = !identifier.empty() &&
              ((identifier[0] >= 'a' && identifier[0] <= 'z') || identifier[0] == '_');
  for (const char c : identifier) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      safe = false;
      break;
    }
  }
  if (safe && !is_quoted_keyword(identifier)) return std::string(identifier);
  std::string quoted = "\"";
  for (const char c : identifier) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string qualified_sql(const QualifiedName& name) {
  if (name.schema.empty()) return quote_identifier(name.name);
  return quote_identifier(name.schema) + "." + quote_identifier(name.name);
}

std::string truncate_identifier(std::string_view identifier) {
  return std::string(identifier.substr(0, clip_length(identifier, kMaxIdentifierBytes)));
}

std::string make_object_name(std::string_view name1, std::string_view name2, std::string_view label) {
  std::size_t overhead = 0;
  if (!name2.empty()) overhead += 1;  // '_' before name2
  if (!label.empty()) overhead += label.size() + 1;
  const std::size_t available = kMaxIdentifierBytes - overhead;
  std::size_t name1_bytes = name1.size();
  std::size_t name2_bytes = name2.size();
  while (name1_bytes + name2_bytes > available) {
    if (name1_bytes > name2_bytes)
      --name1_bytes;
    else
      --name2_bytes;
  }
  name1_bytes = clip_length(name1, name1_bytes);
  name2_bytes = clip_length(name2, name2_bytes);

  std::string result(name1.substr(0, name1_bytes));
  if (!name2.empty()) result.append("_").append(name2.substr(0, name2_bytes));
  if (!label.empty()) result.append("_").append(label);
  return result;
}

std::string choose_name(std::string_view name1, std::string_view name2, std::string_view label,
                        const std::function<bool(const std::string&)>& taken) {
  std::string candidate_label(label);
  for (int pass = 1;; ++pass) {
    std::string candidate = make_object_name(name1, name2, candidate_label);
    if (!taken(candidate)) return candidate;
    candidate_label = std::string(label) + std::to_string(pass);
  }
}

std::string column_name_addition(const std::vector<std::string>& columns) {
  std::string addition;
  for (const auto& column : columns) {
    if (!addition.empty()) addition += '_';
    addition += column;
    if (addition.size() >= kMaxIdentifierBytes) break;
  }
  return addition;
}

}  // namespace strata::schema
