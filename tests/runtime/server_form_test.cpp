// A catalog of schema files in the server's form, for drift detection, on
// the real PostgreSQL 15 test cluster.
#include "strata/runtime/server_form.h"

#include <gtest/gtest.h>

#include "postgres_cluster.h"
#include "strata/parser/interpreter.h"
#include "strata/runtime/postgres_connection.h"

namespace strata::runtime {
namespace {

schema::Catalog load(const std::string& sql) {
  std::vector<parser::Warning> warnings;
  return parser::load_postgres_schema({{"schema.sql", sql}}, warnings);
}

const std::string& bound(const schema::Catalog& catalog, const std::string& table) {
  return *catalog.tables.at({"public", table}).partition_bound;
}

// The database need not hold the tables: a stand-in parent prints each bound,
// and nothing of it stays.
TEST(ServerForm, PartitionBoundsAreWrittenInTheKeysType) {
  const std::string url = testing::shared_postgres().create_database();
  const schema::Catalog printed = in_server_form(
      url, load("CREATE TABLE logs (id bigint, at timestamp, kind text) PARTITION BY RANGE (at);"
                "CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
                "CREATE TABLE logs_rest PARTITION OF logs DEFAULT;"
                "CREATE TABLE items (n integer, kind text) PARTITION BY LIST (n);"
                "CREATE TABLE items_low PARTITION OF items FOR VALUES IN ('1', 2);"));
  EXPECT_EQ(bound(printed, "logs_2024"), "FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2025-01-01 00:00:00')");
  EXPECT_EQ(bound(printed, "logs_rest"), "DEFAULT");
  EXPECT_EQ(bound(printed, "items_low"), "FOR VALUES IN (1, 2)");
  PostgresConnection connection(url);
  EXPECT_EQ(connection.query("SELECT count(*) FROM pg_class WHERE relname LIKE 'strata_bound%'").value(0, 0), "0");
}

// A parent whose type the database lacks cannot be stood in for.
TEST(ServerForm, PartitionBoundsStayAsWrittenWhereTheServerCannotPrintThem) {
  const std::string url = testing::shared_postgres().create_database();
  const schema::Catalog files =
      load("CREATE TYPE mood AS ENUM ('sad', 'happy');"
           "CREATE TABLE logs (at timestamp, m mood) PARTITION BY RANGE (at);"
           "CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');");
  EXPECT_EQ(in_server_form(url, files), files);
}

TEST(ServerForm, DefaultOperatorClassesAreLeftOut) {
  const schema::Catalog printed = in_server_form(
      testing::shared_postgres().create_database(),
      load("CREATE TABLE products (name text, tags text[]);"
           "CREATE INDEX products_name ON products (name pg_catalog.text_ops, name text_pattern_ops);"
           "CREATE INDEX products_tags ON products USING gin (tags array_ops);"));
  const auto opclasses = [&](const std::string& index) {
    std::vector<std::optional<std::string>> names;
    for (const auto& element : printed.indexes.at({"public", index}).elements) names.push_back(element.opclass);
    return names;
  };
  EXPECT_EQ(opclasses("products_name"), (std::vector<std::optional<std::string>>{std::nullopt, "text_pattern_ops"}));
  EXPECT_EQ(opclasses("products_tags"), (std::vector<std::optional<std::string>>{std::nullopt}));
}

}  // namespace
}  // namespace strata::runtime
