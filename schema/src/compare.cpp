#include "strata/schema/compare.h"

#include "strata/schema/names.h"
#include "strata/schema/printer.h"

namespace strata::schema {
namespace {

std::string key_text(const std::string& key) { return key; }
std::string key_text(const QualifiedName& key) { return qualified_sql(key); }
std::string key_text(const TriggerKey& key) { return key.name + " on " + qualified_sql(key.table); }

struct Labels {
  const std::string& first;
  const std::string& second;
};

template <typename Map, typename Detail>
void compare_maps(const char* kind, const Map& first, const Map& second, const Detail& detail, const Labels& labels,
                  std::vector<std::string>& out) {
  for (const auto& [key, value] : first) {
    const auto other = second.find(key);
    if (other == second.end()) {
      out.push_back(std::string(kind) + " " + key_text(key) + ": only in " + labels.first);
    } else if (!(value == other->second)) {
      out.push_back(std::string(kind) + " " + key_text(key) + ": " + detail(value, other->second));
    }
  }
  for (const auto& [key, value] : second)
    if (!first.contains(key))
      out.push_back(std::string(kind) + " " + key_text(key) + ": only in " + labels.second);
}

template <typename Object>
std::string differs(const Object&, const Object&) {
  return "definitions differ";
}

std::string table_detail(const Table& first, const Table& second, const Labels& labels) {
  std::vector<std::string> parts;
  for (const auto& column : first.columns) {
    const Column* other = second.find_column(column.name);
    if (!other)
      parts.push_back("column " + column.name + " only in " + labels.first);
    else if (!(column == *other))
      parts.push_back("column " + column.name + " differs (" + column_sql(column) + " / " + column_sql(*other) + ")");
  }
  for (const auto& column : second.columns)
    if (!first.find_column(column.name)) parts.push_back("column " + column.name + " only in " + labels.second);
  for (const auto& constraint : first.constraints) {
    const Constraint* other = second.find_constraint(constraint.name);
    if (!other)
      parts.push_back("constraint " + constraint.name + " only in " + labels.first);
    else if (!(constraint == *other))
      parts.push_back("constraint " + constraint.name + " differs (" + constraint_sql(constraint) + " / " +
                      constraint_sql(*other) + ")");
  }
  for (const auto& constraint : second.constraints)
    if (!first.find_constraint(constraint.name))
      parts.push_back("constraint " + constraint.name + " only in " + labels.second);
  if (parts.empty()) {
    // Same columns and constraints: say which of the remaining properties differ.
    auto names = [](const Table& table) {
      std::string list;
      for (const auto& column : table.columns) list += (list.empty() ? "" : ", ") + column.name;
      return list;
    };
    if (names(first) != names(second)) parts.push_back("column order differs (" + names(first) + " / " + names(second) + ")");
    if (first.inherits != second.inherits) parts.push_back("inheritance differs");
    if (first.partition_by != second.partition_by || first.partition_bound != second.partition_bound)
      parts.push_back("partitioning differs");
    if (first.unlogged != second.unlogged || first.without_rowid != second.without_rowid || first.strict != second.strict)
      parts.push_back("table options differ");
    if (first.row_security != second.row_security || first.force_row_security != second.force_row_security)
      parts.push_back("row-level security differs");
    if (parts.empty()) parts.push_back("comments differ");
  }
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

template <typename Object, typename Print>
auto printed(Print print) {
  return [print](const Object& first, const Object& second) {
    const std::string a = print(first);
    const std::string b = print(second);
    return a == b ? std::string("comments or dependencies differ") : a + " / " + b;
  };
}

}  // namespace

std::vector<std::string> differences(const Catalog& first, const Catalog& second) {
  return differences(first, second, "the first catalog", "the second catalog");
}

std::vector<std::string> differences(const Catalog& first, const Catalog& second, const std::string& first_label,
                                     const std::string& second_label) {
  const Labels labels{first_label, second_label};
  std::vector<std::string> out;
  compare_maps("schema", first.schemas, second.schemas, differs<Schema>, labels, out);
  compare_maps("extension", first.extensions, second.extensions, printed<Extension>(create_extension_sql), labels, out);
  compare_maps("enum", first.enums, second.enums, printed<Enum>(create_enum_sql), labels, out);
  compare_maps("domain", first.domains, second.domains, printed<Domain>(create_domain_sql), labels, out);
  compare_maps("type", first.composite_types, second.composite_types,
               printed<CompositeType>(create_composite_sql), labels, out);
  compare_maps("sequence", first.sequences, second.sequences, printed<Sequence>(create_sequence_sql), labels, out);
  compare_maps(
      "table", first.tables, second.tables,
      [&](const Table& a, const Table& b) { return table_detail(a, b, labels); }, labels, out);
  compare_maps("index", first.indexes, second.indexes, printed<Index>(create_index_sql), labels, out);
  compare_maps("view", first.views, second.views, printed<View>(create_view_sql), labels, out);
  compare_maps("function", first.functions, second.functions, printed<Function>(create_function_sql), labels, out);
  compare_maps("trigger", first.triggers, second.triggers, printed<Trigger>(create_trigger_sql), labels, out);
  compare_maps("policy", first.policies, second.policies, printed<Policy>(create_policy_sql), labels, out);
  return out;
}

Catalog with_column_order_of(Catalog catalog, const Catalog& reference) {
  for (auto& [name, table] : catalog.tables) {
    const auto wanted = reference.tables.find(name);
    if (wanted == reference.tables.end() || wanted->second.columns.size() != table.columns.size()) continue;
    std::vector<Column> ordered;
    for (const auto& column : wanted->second.columns)
      if (const Column* found = table.find_column(column.name)) ordered.push_back(*found);
    if (ordered.size() == table.columns.size()) table.columns = std::move(ordered);
  }
  return catalog;
}

}  // namespace strata::schema
