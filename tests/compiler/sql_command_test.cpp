// strata sql end to end: the script it prints, run by the real sqlite3 and
// psql shells, leaves the same schema and history as `strata apply` (and
// `strata down`), against SQLite files and the binary's PostgreSQL cluster.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "postgres_cluster.h"
#include "strata_cli.h"
#include "strata/runtime/driver.h"
#include "strata/runtime/postgres_connection.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::CliOutcome;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The history as the applier would compare it: everything but when and how long.
std::vector<std::string> recorded(const std::string& url) {
  std::vector<std::string> rows;
  for (const auto& row : runtime::open_driver(url)->read_history())
    rows.push_back(row.version + " " + row.name + " " + row.checksum + " " + history_state_name(row.state));
  return rows;
}

class SqlScript : public testing::StrataCli {
 protected:
  // `strata sql ARGUMENTS` into FILE; the test fails when it does not succeed.
  std::string script(const std::string& arguments, const std::string& file) {
    const CliOutcome made = strata("sql " + arguments + " -o " + file);
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return slurp(directory_ / file);
  }
  std::string inspect(const std::string& url) {
    const CliOutcome read = strata("inspect --url '" + url + "'");
    EXPECT_EQ(read.exit_code, 0) << read.err;
    return read.out;
  }
};

// A SQLite project: a parent and a child table, a rebuild of the parent with
// foreign keys off (its last statement unterminated), an index.
class SqliteSqlScript : public SqlScript {
 protected:
  void SetUp() override {
    SqlScript::SetUp();
    write("strata.toml", "dialect = \"sqlite\"\n");
    write("migrations/0001_authors_books.up.sql",
          "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
          "CREATE TABLE books (id INTEGER PRIMARY KEY,\n"
          "  author_id INTEGER NOT NULL REFERENCES authors (id), title TEXT);\n"
          "INSERT INTO authors VALUES (1, 'ann');\n"
          "INSERT INTO books VALUES (1, 1, 'first');\n");
    write("migrations/0001_authors_books.down.sql", "DROP TABLE books;\nDROP TABLE authors;\n");
    write("migrations/0002_author_email.up.sql", rebuild_authors("name TEXT NOT NULL, email TEXT", "id, name"));
    write("migrations/0002_author_email.down.sql", rebuild_authors("name TEXT NOT NULL", "id, name"));
    write("migrations/0003_book_titles.up.sql", "CREATE INDEX books_title ON books (title);\n");
    write("migrations/0003_book_titles.down.sql", "DROP INDEX books_title;\n");
  }

  // The table rebuild SQLite needs foreign keys off for: dropping a parent.
  static std::string rebuild_authors(const std::string& columns, const std::string& copied) {
    return "-- strata:sqlite-foreign-keys-off\n"
           "CREATE TABLE authors_new (id INTEGER PRIMARY KEY, " + columns + ");\n"
           "INSERT INTO authors_new (" + copied + ") SELECT " + copied + " FROM authors;\n"
           "DROP TABLE authors;\n"
           "ALTER TABLE authors_new RENAME TO authors  -- no semicolon: the script adds one";
  }
  CliOutcome sqlite3(const std::string& database, const std::string& file) {
    return run("sqlite3 " + database + " < " + file);
  }
};

TEST_F(SqliteSqlScript, ScriptLeavesWhatApplyLeaves) {
  ASSERT_EQ(strata("apply --url sqlite:a.db").exit_code, 0);
  const std::string text = script("", "up.sql");
  EXPECT_EQ(text.rfind("-- strata sql: SQLite, migrations up from version 0000 to 0003 (3 migrations)", 0), 0U) << text;
  EXPECT_TRUE(contains(text, "CREATE TABLE IF NOT EXISTS strata_migrations")) << text;
  EXPECT_TRUE(contains(text, "PRAGMA foreign_keys = OFF;\nBEGIN IMMEDIATE;\n-- strata:sqlite-foreign-keys-off\n"))
      << text;
  EXPECT_TRUE(contains(text, "RENAME TO authors  -- no semicolon: the script adds one\n;\n")) << text;

  const CliOutcome ran = sqlite3("b.db", "up.sql");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(inspect("sqlite:b.db"), inspect("sqlite:a.db"));
  EXPECT_EQ(recorded("sqlite:" + (directory_ / "b.db").string()),
            recorded("sqlite:" + (directory_ / "a.db").string()));
  EXPECT_EQ(recorded("sqlite:" + (directory_ / "b.db").string()).size(), 3U);
  const CliOutcome status = strata("status --url sqlite:b.db");
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(contains(status.out, "3 applied, 0 pending\n")) << status.out;
  EXPECT_EQ(strata("apply --url sqlite:b.db").out, "nothing to apply: the database is up to date\n");
}

TEST_F(SqliteSqlScript, DownScriptEmptiesTheDatabaseAndItsHistory) {
  ASSERT_EQ(strata("apply --url sqlite:a.db").exit_code, 0);
  const std::string text = script("--down", "down.sql");
  EXPECT_LT(text.find("-- 0003_book_titles: 0003_book_titles.down.sql"),
            text.find("-- 0001_authors_books: 0001_authors_books.down.sql"));
  EXPECT_TRUE(
      contains(text, "DELETE FROM strata_migrations WHERE version = '0002';\nCOMMIT;\nPRAGMA foreign_keys = ON;"))
      << text;
  const CliOutcome ran = sqlite3("a.db", "down.sql");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(inspect("sqlite:a.db"), "");
  EXPECT_TRUE(recorded("sqlite:" + (directory_ / "a.db").string()).empty());
  EXPECT_TRUE(contains(strata("status --url sqlite:a.db").out, "0 applied, 3 pending\n"));
}

TEST_F(SqliteSqlScript, RangeCoversOnlyItsMigrations) {
  const std::string text = script("--from 1 --to 0002", "range.sql");
  EXPECT_FALSE(contains(text, "-- 0001_")) << text;
  EXPECT_TRUE(contains(text, "-- 0002_author_email: 0002_author_email.up.sql")) << text;
  EXPECT_FALSE(contains(text, "-- 0003_")) << text;
  ASSERT_EQ(strata("apply --to 1 --url sqlite:b.db").exit_code, 0);
  const CliOutcome ran = sqlite3("b.db", "range.sql");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  const CliOutcome status = strata("status --url sqlite:b.db");
  EXPECT_TRUE(contains(status.out, "0002_author_email   applied")) << status.out;
  EXPECT_TRUE(contains(status.out, "0003_book_titles    pending")) << status.out;

  const std::string back = script("--down --from 2 --to 1", "back.sql");
  EXPECT_TRUE(contains(back, "-- 0002_author_email: 0002_author_email.down.sql")) << back;
  EXPECT_FALSE(contains(back, "-- 0001_")) << back;
  EXPECT_FALSE(contains(back, "-- 0003_")) << back;
}

TEST_F(SqliteSqlScript, ForeignKeyViolationFailsTheScriptAndChangesNothing) {
  write("migrations/0002_author_email.up.sql",
        "-- strata:sqlite-foreign-keys-off\nINSERT INTO books VALUES (2, 99, 'orphan');\n");
  ASSERT_EQ(strata("apply --to 1 --url sqlite:b.db").exit_code, 0);
  script("--from 1 --to 2", "bad.sql");
  const CliOutcome ran = run("sqlite3 -bail b.db < bad.sql");
  EXPECT_NE(ran.exit_code, 0);
  EXPECT_TRUE(contains(ran.err, "PRAGMA foreign_key_check found foreign key violations")) << ran.err;
  const std::string url = "sqlite:" + (directory_ / "b.db").string();
  EXPECT_EQ(runtime::open_driver(url)->query("SELECT count(*) FROM books"), runtime::Driver::Rows{{"1"}});
  EXPECT_EQ(recorded(url).size(), 1U);
  // The script stops by itself (.bail on) when the shell is not told to.
  EXPECT_NE(sqlite3("b.db", "bad.sql").exit_code, 0);
  EXPECT_EQ(recorded(url).size(), 1U);
}

TEST_F(SqliteSqlScript, BadRangesAreBadInput) {
  CliOutcome run = strata("sql --from 3 --to 1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "--from 3 is after --to 1")) << run.err;
  run = strata("sql --down --from 1 --to 2");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "--to 2 is after --from 1")) << run.err;
  run = strata("sql --to 9");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "no migration 9")) << run.err;
  run = strata("sql --single-transaction");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "psql -1")) << run.err;
  EXPECT_EQ(run.out, "");
}

// A PostgreSQL project: tables, an enum and a function whose body holds
// semicolons; an index built CONCURRENTLY (no transaction); a column.
class PostgresSqlScript : public SqlScript {
 protected:
  void SetUp() override {
    SqlScript::SetUp();
    write("strata.toml", "dialect = \"postgres\"\nlock_timeout = \"5s\"\n");
    write("migrations/0001_authors_books.up.sql",
          "CREATE TYPE mood AS ENUM ('sad', 'happy');\n"
          "CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL, m mood);\n"
          "CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint NOT NULL REFERENCES authors (id), title text);\n"
          "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$\n"
          "BEGIN\n  RETURN upper(t) || '!';\nEND;\n$$");
    write("migrations/0001_authors_books.down.sql",
          "DROP FUNCTION shout(text);\nDROP TABLE books;\nDROP TABLE authors;\nDROP TYPE mood;\n");
    write("migrations/0002_book_titles.up.sql",
          "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY books_title ON books (title);\n");
    write("migrations/0002_book_titles.down.sql", "-- strata:no-transaction\nDROP INDEX CONCURRENTLY books_title;\n");
    write("migrations/0003_author_email.up.sql", "ALTER TABLE authors ADD COLUMN email text;\n");
    write("migrations/0003_author_email.down.sql", "ALTER TABLE authors DROP COLUMN email;\n");
  }

  static std::string database() { return testing::shared_postgres().create_database(); }
  // psql as a DBA runs it: no ~/.psqlrc, stop at the first error; `options` adds -1.
  CliOutcome psql(const std::string& url, const std::string& file, const std::string& options = "") {
    return run("psql -X -q -v ON_ERROR_STOP=1 " + options + " -f " + file + " -d '" + url + "'");
  }
};

TEST_F(PostgresSqlScript, ScriptLeavesWhatApplyLeaves) {
  const std::string a = database();
  const std::string b = database();
  const CliOutcome applied = strata("apply --url '" + a + "'");
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const std::string text = script("", "up.sql");
  EXPECT_TRUE(contains(text, "\\set ON_ERROR_STOP on\nSET lock_timeout = '5s';\n")) << text;
  EXPECT_TRUE(contains(text, "\n$$\n;\n")) << "the unterminated function gets its semicolon:\n" << text;
  EXPECT_LT(text.find("'dirty')"), text.find("CREATE INDEX CONCURRENTLY")) << text;
  EXPECT_EQ(text.find("BEGIN;\n-- strata:no-transaction"), std::string::npos) << text;

  const CliOutcome ran = psql(b, "up.sql");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.err, "");
  EXPECT_EQ(inspect(b), inspect(a));
  EXPECT_TRUE(contains(inspect(b), "CREATE INDEX books_title")) << inspect(b);
  EXPECT_EQ(recorded(b), recorded(a));
  EXPECT_EQ(recorded(b).size(), 3U);
  const CliOutcome status = strata("status --url '" + b + "'");
  EXPECT_TRUE(contains(status.out, "3 applied, 0 pending\n")) << status.out;
}

TEST_F(PostgresSqlScript, SingleTransactionScriptsForPsqlDashOne) {
  const std::string a = database();
  const std::string c = database();
  ASSERT_EQ(strata("apply --url '" + a + "'").exit_code, 0);

  const CliOutcome refused = strata("sql --single-transaction");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(contains(refused.err, "0002_book_titles.up.sql is marked \"-- strata:no-transaction\"")) << refused.err;

  const std::string first = script("--to 1 --single-transaction", "first.sql");
  EXPECT_FALSE(contains(first, "BEGIN;")) << first;
  EXPECT_FALSE(contains(first, "COMMIT;")) << first;
  // Without -1 it refuses before changing anything.
  const CliOutcome outside = psql(c, "first.sql");
  EXPECT_NE(outside.exit_code, 0);
  EXPECT_TRUE(contains(outside.err, "SAVEPOINT can only be used in transaction blocks")) << outside.err;
  EXPECT_TRUE(runtime::open_driver(c)->read_history().empty());
  EXPECT_EQ(inspect(c), "");

  CliOutcome ran = psql(c, "first.sql", "-1");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  script("--from 1 --to 2", "second.sql");
  ran = psql(c, "second.sql");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  script("--from 2 --single-transaction", "third.sql");
  ran = psql(c, "third.sql", "-1");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(inspect(c), inspect(a));
  EXPECT_EQ(recorded(c), recorded(a));
}

TEST_F(PostgresSqlScript, FailedMigrationRollsBackAndStops) {
  const std::string b = database();
  write("migrations/0003_author_email.up.sql", "ALTER TABLE authors ADD COLUMN email text;\nSELECT 1/0;\n");
  script("", "up.sql");
  const CliOutcome ran = psql(b, "up.sql");
  EXPECT_NE(ran.exit_code, 0);
  EXPECT_TRUE(contains(ran.err, "division by zero")) << ran.err;
  EXPECT_EQ(recorded(b).size(), 2U);
  EXPECT_FALSE(contains(inspect(b), "email")) << inspect(b);
  EXPECT_TRUE(contains(strata("status --url '" + b + "'").out, "2 applied, 1 pending\n"));
}

TEST_F(PostgresSqlScript, DownScriptEmptiesTheDatabaseAndItsHistory) {
  const std::string a = database();
  ASSERT_EQ(strata("apply --url '" + a + "'").exit_code, 0);
  const std::string text = script("--down", "down.sql");
  EXPECT_EQ(text.rfind("-- strata sql: PostgreSQL, migrations down from version 0003 to 0000 (3 migrations)", 0), 0U)
      << text;
  const CliOutcome ran = psql(a, "down.sql");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(inspect(a), "");
  EXPECT_TRUE(recorded(a).empty());
  EXPECT_TRUE(contains(strata("status --url '" + a + "'").out, "0 applied, 3 pending\n"));
}

}  // namespace
}  // namespace strata
