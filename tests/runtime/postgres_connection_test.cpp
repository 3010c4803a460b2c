#include "strata/runtime/postgres_connection.h"

#include <gtest/gtest.h>

#include <string>

#include "postgres_cluster.h"

namespace strata::runtime {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(PostgresConnectionTest, QueryReadsRowsByIndexAndNameWithParameters) {
  PostgresConnection connection(testing::shared_postgres().create_database());
  const QueryResult result = connection.query(
      "SELECT x AS number, $1::text AS label, $2::text AS nothing FROM generate_series(1, 3) x ORDER BY x",
      {"three rows", std::nullopt});
  ASSERT_EQ(result.rows(), 3);
  ASSERT_EQ(result.columns(), 3);
  EXPECT_EQ(result.column_name(1), "label");
  EXPECT_EQ(result.column("nothing"), 2);
  EXPECT_EQ(result.value(0, 0), "1");
  EXPECT_EQ(result.value(2, "number"), "3");
  EXPECT_EQ(result.value(1, "label"), "three rows");
  EXPECT_TRUE(result.is_null(0, "nothing"));
  EXPECT_FALSE(result.is_null(0, 1));
  EXPECT_EQ(result.optional_value(0, "nothing"), std::nullopt);
  EXPECT_EQ(result.optional_value(0, "label"), "three rows");
  EXPECT_THROW(result.column("missing"), DatabaseError);
}

TEST(PostgresConnectionTest, ExecRunsSeveralStatementsAndTracksTransactions) {
  PostgresConnection connection(testing::shared_postgres().create_database());
  connection.exec("CREATE TABLE t (id integer); INSERT INTO t VALUES (1), (2)");
  EXPECT_FALSE(connection.in_transaction());
  connection.exec("BEGIN");
  EXPECT_TRUE(connection.in_transaction());
  connection.exec("DELETE FROM t");
  connection.exec("ROLLBACK");
  EXPECT_FALSE(connection.in_transaction());
  EXPECT_EQ(connection.query("SELECT count(*) FROM t").value(0, 0), "2");
  EXPECT_GE(connection.server_version(), 150000);
}

TEST(PostgresConnectionTest, ServerErrorsCarryMessageSqlstateAndPosition) {
  PostgresConnection connection(testing::shared_postgres().create_database());
  try {
    connection.exec("SELECT 1;\nSELECT * FROM no_such_table");
    FAIL() << "expected an error";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "42P01");
    EXPECT_TRUE(contains(error.what(), "relation \"no_such_table\" does not exist")) << error.what();
    EXPECT_EQ(error.statement_position(), 25);  // characters, 1-based, in the text sent
  }
  try {
    connection.query("SELECT $1::integer", {"not a number"});
    FAIL() << "expected an error";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "22P02");
  }
  try {
    connection.exec("CREATE TABLE t (id integer PRIMARY KEY); INSERT INTO t VALUES (1), (1)");
    FAIL() << "expected an error";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "23505");
    EXPECT_TRUE(contains(error.what(), "\nDETAIL: Key (id)=(1) already exists.")) << error.what();
  }
}

TEST(PostgresConnectionTest, ConnectionErrorsNeverShowThePassword) {
  const std::string existing = testing::shared_postgres().conninfo("postgres");
  const std::string conninfos[] = {
      // libpq quotes the whole URL in this message
      "postgresql://alice:hunter2@[::1",
      "postgresql://alice:hunter2@localhost:1/db?bogus=1",
      "postgres://alice:hunter2@/db?host=/nonexistent&port=1",
      "host=/nonexistent port=1 user=alice password=hunter2 dbname=db",
      "host=/nonexistent password='hunter2' nonsense_option=1",
      "password=hunter2 host=/nonexistent port",
      // reaches the server, which refuses the database
      existing + " password=hunter2 dbname=no_such_database",
  };
  for (const auto& conninfo : conninfos) {
    try {
      PostgresConnection connection(conninfo);
      ADD_FAILURE() << "connected with " << conninfo;
    } catch (const DatabaseError& error) {
      EXPECT_FALSE(contains(error.what(), "hunter2")) << error.what();
      EXPECT_TRUE(contains(error.what(), "could not connect to PostgreSQL")) << error.what();
    }
  }
}

TEST(PostgresConnectionTest, MaskPasswordsMasksConninfoValuesAndUrlCredentials) {
  EXPECT_EQ(mask_passwords("host=db password=s3cret user=app"), "host=db password=*** user=app");
  EXPECT_EQ(mask_passwords("password = 'it\\'s secret' dbname=x"), "password = *** dbname=x");
  EXPECT_EQ(mask_passwords("PASSWORD='unterminated"), "PASSWORD=***");
  EXPECT_EQ(mask_passwords("postgres://app:s3cret@db:5432/x"), "postgres://app:***@db:5432/x");
  EXPECT_EQ(mask_passwords("\"postgresql://app:p%40ss@db/x?sslmode=require&password=two\""),
            "\"postgresql://app:***@db/x?sslmode=require&password=***");
  EXPECT_EQ(mask_passwords("postgres://db:5432/x and user@example.org"), "postgres://db:5432/x and user@example.org");
}

}  // namespace
}  // namespace strata::runtime
