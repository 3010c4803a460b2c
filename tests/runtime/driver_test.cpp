// The Driver interface on both engines: scripts, transactions, the history
// table, errors with positions, SQLite's foreign key check.
#include "strata/runtime/driver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "postgres_cluster.h"

namespace strata::runtime {
namespace {

namespace fs = std::filesystem;

class DriverTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::Postgres) {
      url_ = testing::shared_postgres().create_database();
    } else {
      std::string pattern = (fs::temp_directory_path() / "strata-driver-XXXXXX").string();
      ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
      directory_ = pattern;
      url_ = (directory_ / "test.sqlite3").string();  // a plain path
    }
    driver_ = open_driver(url_);
  }
  void TearDown() override {
    driver_.reset();
    if (!directory_.empty()) fs::remove_all(directory_);
  }

  Driver& driver() { return *driver_; }
  std::string scalar(const std::string& sql) {
    const auto rows = driver_->query(sql);
    return rows.at(0).at(0).value_or("NULL");
  }

  std::string url_;
  fs::path directory_;
  std::unique_ptr<Driver> driver_;
};

TEST_P(DriverTest, ScriptsAndTransactions) {
  EXPECT_EQ(driver().engine(), GetParam());
  driver().execute("s.sql", "CREATE TABLE t (id integer, label text);\n-- a comment\nINSERT INTO t VALUES (1, NULL);");
  driver().begin();
  driver().execute("s.sql", "INSERT INTO t VALUES (2, 'two');");
  driver().rollback();
  EXPECT_EQ(scalar("SELECT count(*) FROM t"), "1");
  EXPECT_EQ(scalar("SELECT label FROM t"), "NULL");
  driver().begin();
  driver().execute("s.sql", "INSERT INTO t VALUES (2, 'two');");
  driver().commit();
  EXPECT_EQ(scalar("SELECT count(*) FROM t"), "2");
  driver().rollback();  // nothing open: no effect
  driver().execute_each("s.sql", "INSERT INTO t VALUES (3, 'a;b');\nINSERT INTO t VALUES (4, 'x');");
  EXPECT_EQ(scalar("SELECT count(*) FROM t"), "4");
}

TEST_P(DriverTest, ErrorsCarryTheCharacterPosition) {
  driver().execute("s.sql", "CREATE TABLE t (id integer);");
  try {
    driver().execute("s.sql", "INSERT INTO t VALUES (1);\n-- é\nSELEC 1;");
    FAIL() << "expected an error";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.statement_position(), 32) << error.what();  // "SELEC", counted in characters
  }
  try {
    driver().execute_each("s.sql", "INSERT INTO t VALUES (1);\n-- é\nSELEC 1;");
    FAIL() << "expected an error";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.statement_position(), 32) << error.what();
  } catch (const Error& error) {
    // PostgreSQL's scripts are split before anything runs: the front end
    // reports what it cannot split at its own file:line:col.
    ASSERT_TRUE(error.location()) << error.what();
    EXPECT_EQ(error.location()->line, 3);
    EXPECT_EQ(error.location()->column, 1);
  }
}

TEST_P(DriverTest, ANulByteIsAnErrorNotTheEndOfTheScript) {
  driver().execute("s.sql", "CREATE TABLE t (id integer);");
  const std::string script("INSERT INTO t VALUES (1);\n\0INSERT INTO t VALUES (2);", 52);
  for (const bool each : {false, true}) {
    try {
      each ? driver().execute_each("s.sql", script) : driver().execute("s.sql", script);
      FAIL() << "expected an error";
    } catch (const DatabaseError& error) {
      EXPECT_EQ(error.statement_position(), 27) << error.what();
    }
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM t"), "0");  // nothing ran
}

TEST_P(DriverTest, HistoryRows) {
  EXPECT_TRUE(driver().read_history().empty());
  EXPECT_EQ(driver().find_history("0001"), std::nullopt);
  driver().ensure_history();
  driver().ensure_history();  // twice is fine
  driver().write_history({.version = "10000", .name = "late", .checksum = "sha256:c", .execution_ms = 1});
  driver().write_history({.version = "0002", .name = "b", .checksum = "sha256:b", .execution_ms = 2,
                          .state = HistoryState::Dirty});
  driver().write_history({.version = "0001", .name = "a", .checksum = "sha256:a", .execution_ms = 1234567890123});
  auto rows = driver().read_history();
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].version, "0001");
  EXPECT_EQ(rows[0].execution_ms, 1234567890123);
  EXPECT_EQ(rows[1].state, HistoryState::Dirty);
  EXPECT_EQ(rows[2].version, "10000") << "numeric order";
  EXPECT_EQ(rows[0].applied_at.size(), 20U) << rows[0].applied_at;
  EXPECT_EQ(rows[0].applied_at.back(), 'Z');

  driver().write_history({.version = "0002", .name = "b", .checksum = "sha256:b2", .execution_ms = 3});
  const auto row = driver().find_history("0002");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->checksum, "sha256:b2");
  EXPECT_EQ(row->state, HistoryState::Applied);
  driver().delete_history("0002");
  EXPECT_EQ(driver().read_history().size(), 2U);
}

TEST_P(DriverTest, LockIsReentrantForItsHolder) {
  EXPECT_TRUE(driver().try_lock());
  EXPECT_TRUE(driver().try_lock());
  driver().unlock();
  driver().unlock();
}

INSTANTIATE_TEST_SUITE_P(Engines, DriverTest, ::testing::Values(Engine::Sqlite, Engine::Postgres),
                         [](const ::testing::TestParamInfo<Engine>& engine) {
                           return engine.param == Engine::Sqlite ? std::string("Sqlite") : std::string("Postgres");
                         });

TEST(SqliteDriverTest, ForeignKeysOnByDefaultAndCheckedWhenOff) {
  const auto driver = open_driver("sqlite::memory:");
  driver->execute("s.sql",
                  "CREATE TABLE p (id integer PRIMARY KEY);\n"
                  "CREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p (id));");
  EXPECT_THROW(driver->execute("s.sql", "INSERT INTO c VALUES (1, 7);"), DatabaseError);
  driver->set_foreign_keys(false);
  driver->execute("s.sql", "INSERT INTO c VALUES (1, 7);");
  try {
    driver->check_foreign_keys();
    FAIL() << "expected a violation";
  } catch (const DatabaseError& error) {
    EXPECT_NE(std::string(error.what()).find("table c row 1 references a missing row of p"), std::string::npos)
        << error.what();
  }
  driver->set_foreign_keys(true);
  EXPECT_EQ(driver->query("PRAGMA foreign_keys").at(0).at(0), "1");
}

}  // namespace
}  // namespace strata::runtime
