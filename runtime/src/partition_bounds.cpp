#include "strata/runtime/partition_bounds.h"

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

}  // namespace

schema::Catalog with_server_partition_bounds(const std::string& url, schema::Catalog files) {
  std::vector<schema::Table*> partitions;
  for (auto& [name, table] : files.tables)
    if (table.partition_bound && !table.inherits.empty()) partitions.push_back(&table);
  if (partitions.empty()) return files;
  PostgresConnection connection(url);
  try {
    connection.exec("BEGIN");
  } catch (const DatabaseError&) {
    return files;
  }
  for (schema::Table* partition : partitions) {
    const auto parent = files.tables.find(partition->inherits.front());
    if (parent == files.tables.end() || !parent->second.partition_by) continue;
    if (auto printed = server_bound(connection, parent->second, *partition->partition_bound))
      partition->partition_bound = std::move(printed);
  }
  connection.exec("ROLLBACK");
  return files;
}

}  // namespace strata::runtime
