#include "strata/runtime/server_form.h"

#include <functional>
#include <optional>
#include <set>
#include <utility>

#include "strata/runtime/postgres_connection.h"
#include "strata/schema/printer.h"

namespace strata::runtime {
namespace {

// CREATE TABLE for a temporary stand-in of `parent`: its columns' names,
// types and collations, and its partition key.
std::string stand_in_parent_sql(const schema::Table& parent) {
  schema::Table stand_in;
  stand_in.name = {"pg_temp", "strata_bound_parent"};
  stand_in.partition_by = parent.partition_by;
  for (const auto& column : parent.columns) {
    schema::Column& copy = stand_in.columns.emplace_back();
    copy.name = column.name;
    copy.type = column.type;
    copy.collation = column.collation;
  }
  return schema::create_table_sql(stand_in);
}

// `bound` of a partition of `parent` as the server prints it, or nothing
// when it cannot print it. Runs in a savepoint of the caller's transaction.
std::optional<std::string> server_bound(PostgresConnection& connection, const schema::Table& parent,
                                        const std::string& bound) {
  connection.exec("SAVEPOINT strata_bound");
  try {
    connection.exec(stand_in_parent_sql(parent));
    connection.exec("CREATE TABLE pg_temp.strata_bound_partition PARTITION OF pg_temp.strata_bound_parent " + bound);
    const QueryResult result =
        connection.query("SELECT pg_get_expr(relpartbound, oid) FROM pg_class "
                         "WHERE oid = 'pg_temp.strata_bound_partition'::regclass");
    std::string printed(result.value(0, 0));
    connection.exec("ROLLBACK TO SAVEPOINT strata_bound");
    return printed;
  } catch (const DatabaseError&) {
    connection.exec("ROLLBACK TO SAVEPOINT strata_bound");
    return std::nullopt;
  }
}

// The connection to the server, made when first asked for: a schema without
// partitions or operator classes needs none.
using Connect = std::function<PostgresConnection&()>;

void print_partition_bounds(const Connect& connect, schema::Catalog& files) {
  std::vector<schema::Table*> partitions;
  for (auto& [name, table] : files.tables)
    if (table.partition_bound && !table.inherits.empty()) partitions.push_back(&table);
  if (partitions.empty()) return;
  PostgresConnection& connection = connect();
  try {
    connection.exec("BEGIN");
  } catch (const DatabaseError&) {
    return;
  }
  for (schema::Table* partition : partitions) {
    const auto parent = files.tables.find(partition->inherits.front());
    if (parent == files.tables.end() || !parent->second.partition_by) continue;
    if (auto printed = server_bound(connection, parent->second, *partition->partition_bound))
      partition->partition_bound = std::move(printed);
  }
  connection.exec("ROLLBACK");
}

// The default operator classes as (access method, name) pairs, the name as
// the inspector prints it (bare in pg_catalog, schema-qualified elsewhere)
// and bare, as a file names one through search_path.
std::set<std::pair<std::string, std::string>> default_operator_classes(PostgresConnection& connection) {
  const QueryResult result = connection.query(
      "SELECT am.amname, n.nspname, opc.opcname FROM pg_opclass opc"
      " JOIN pg_am am ON am.oid = opc.opcmethod JOIN pg_namespace n ON n.oid = opc.opcnamespace"
      " WHERE opc.opcdefault");
  std::set<std::pair<std::string, std::string>> defaults;
  for (int row = 0; row < result.rows(); ++row) {
    const std::string method(result.value(row, 0));
    const std::string schema(result.value(row, 1));
    const std::string name(result.value(row, 2));
    defaults.emplace(method, name);
    defaults.emplace(method, schema + "." + name);
  }
  return defaults;
}

void leave_out_default_operator_classes(const Connect& connect, schema::Catalog& files) {
  const auto named = [](const auto& entry) {
    return std::any_of(entry.second.elements.begin(), entry.second.elements.end(),
                       [](const schema::IndexElement& element) { return element.opclass.has_value(); });
  };
  if (std::none_of(files.indexes.begin(), files.indexes.end(), named)) return;
  const auto defaults = default_operator_classes(connect());
  for (auto& [name, index] : files.indexes)
    for (auto& element : index.elements)
      if (element.opclass && defaults.contains({index.method, *element.opclass})) element.opclass.reset();
}

}  // namespace

schema::Catalog in_server_form(const std::string& url, schema::Catalog files) {
  std::optional<PostgresConnection> connection;
  const Connect connect = [&]() -> PostgresConnection& {
    if (!connection) connection.emplace(url);
    return *connection;
  };
  leave_out_default_operator_classes(connect, files);
  print_partition_bounds(connect, files);
  return files;
}

}  // namespace strata::runtime
