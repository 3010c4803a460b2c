// The migration runtime end to end, on real SQLite files and the test
// PostgreSQL cluster: apply / down / status / stamp / resolve, all-or-nothing
// migrations, dirty non-transactional ones, tampering, concurrent appliers.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "postgres_cluster.h"
#include "strata/compiler/runtime_commands.h"
#include "strata/runtime/driver.h"
#include "strata/runtime/postgres_connection.h"

namespace strata::compiler {
namespace {

namespace fs = std::filesystem;
using runtime::DatabaseError;
using runtime::Engine;
using runtime::HistoryState;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Project {
 public:
  explicit Project(Engine engine) {
    std::string pattern = (fs::temp_directory_path() / "strata-apply-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    fs::create_directories(root_ / "migrations");
    config_.root = root_;
    config_.dialect = engine == Engine::Postgres ? Dialect::Postgres : Dialect::Sqlite;
    config_.migrations = (root_ / "migrations").string();
    url_ = engine == Engine::Postgres ? testing::shared_postgres().create_database()
                                      : "sqlite:" + (root_ / "app.db").string();
  }
  ~Project() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;

  void write(const std::string& stem, const std::string& up, const std::string& down) const {
    std::ofstream(root_ / "migrations" / (stem + ".up.sql")) << up;
    std::ofstream(root_ / "migrations" / (stem + ".down.sql")) << down;
  }

  const Config& config() const { return config_; }
  const std::string& url() const { return url_; }
  const fs::path& root() const { return root_; }

  std::string apply(ApplyOptions options = {}) const {
    std::ostringstream out;
    EXPECT_EQ(apply_migrations(config_, url_, options, out), kSuccess);
    return out.str();
  }
  std::string down(DownOptions options = {}) const {
    std::ostringstream out;
    EXPECT_EQ(down_migrations(config_, url_, options, out), kSuccess);
    return out.str();
  }
  std::string status() const {
    std::ostringstream out;
    EXPECT_EQ(migration_status(config_, url_, out), kSuccess);
    return out.str();
  }

  std::vector<runtime::HistoryRow> history() const { return runtime::open_driver(url_)->read_history(); }
  std::vector<std::string> versions() const {
    std::vector<std::string> result;
    for (const auto& row : history()) result.push_back(row.version);
    return result;
  }
  bool has_table(const std::string& name) const {
    const auto driver = runtime::open_driver(url_);
    const std::string sql =
        driver->engine() == Engine::Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'"
            : "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relname = '" + name + "'";
    return !driver->query(sql).empty();
  }
  std::string scalar(const std::string& sql) const {
    const auto rows = runtime::open_driver(url_)->query(sql);
    return rows.empty() || rows[0].empty() || !rows[0][0] ? "" : *rows[0][0];
  }

 private:
  fs::path root_;
  Config config_;
  std::string url_;
};

class ApplyTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override { project_ = std::make_unique<Project>(GetParam()); }
  Project& project() { return *project_; }
  bool postgres() const { return GetParam() == Engine::Postgres; }

  // Two tables, the second with a row.
  void write_two() {
    project().write("0001_create_a", "CREATE TABLE a (id integer PRIMARY KEY);\n", "DROP TABLE a;\n");
    project().write("0002_create_b", "CREATE TABLE b (id integer PRIMARY KEY, label text);\nINSERT INTO b VALUES (1, 'x');\n",
                    "DROP TABLE b;\n");
  }

 private:
  std::unique_ptr<Project> project_;
};

TEST_P(ApplyTest, ApplyDownAndReapply) {
  write_two();
  const std::string applied = project().apply();
  EXPECT_TRUE(contains(applied, "applying 0001_create_a ... done (")) << applied;
  EXPECT_TRUE(contains(applied, "applying 0002_create_b ... done (")) << applied;
  EXPECT_TRUE(contains(applied, "2 migrations applied")) << applied;
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001", "0002"}));
  EXPECT_EQ(project().scalar("SELECT label FROM b"), "x");
  const auto history = project().history();
  EXPECT_EQ(history[1].name, "create_b");
  EXPECT_TRUE(history[1].checksum.starts_with("sha256:"));
  EXPECT_EQ(history[1].state, HistoryState::Applied);
  EXPECT_EQ(history[1].applied_at.size(), 20U) << history[1].applied_at;  // 2026-11-24T05:09:14Z

  EXPECT_TRUE(contains(project().apply(), "nothing to apply")) << "second run";

  const std::string one_down = project().down();
  EXPECT_TRUE(contains(one_down, "rolling back 0002_create_b ... done")) << one_down;
  EXPECT_FALSE(project().has_table("b"));
  EXPECT_TRUE(project().has_table("a"));
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001"}));

  project().apply();
  EXPECT_TRUE(project().has_table("b"));
  project().down(DownOptions{.to = "0000"});
  EXPECT_FALSE(project().has_table("a"));
  EXPECT_FALSE(project().has_table("b"));
  EXPECT_TRUE(project().versions().empty());

  project().apply(ApplyOptions{.to = "0001"});
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001"}));
  project().apply();
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001", "0002"}));
  project().down(DownOptions{.steps = 2});
  EXPECT_TRUE(project().versions().empty());
}

TEST_P(ApplyTest, LockTimeoutFromTheConfigStopsAMigrationWaitingForALock) {
  if (!postgres()) GTEST_SKIP() << "lock_timeout is a PostgreSQL setting";
  project().write("0001_create_a", "CREATE TABLE a (id integer);\n", "DROP TABLE a;\n");
  project().apply();
  project().write("0002_alter_a", "ALTER TABLE a ADD COLUMN b integer;\n", "ALTER TABLE a DROP COLUMN b;\n");
  runtime::PostgresConnection blocker(project().url());
  blocker.exec("BEGIN; LOCK TABLE a IN ACCESS EXCLUSIVE MODE");
  Config config = project().config();
  config.lock_timeout = "200ms";
  std::ostringstream out;
  try {
    apply_migrations(config, project().url(), {}, out);
    ADD_FAILURE() << "the migration did not time out";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "55P03") << error.what();  // lock_not_available
  }
  blocker.exec("ROLLBACK");
  EXPECT_EQ(project().versions(), std::vector<std::string>{"0001"});
}

TEST_P(ApplyTest, ALongMigrationShowsProgress) {
  if (!postgres()) GTEST_SKIP() << "pg_sleep makes a migration last";
  project().write("0001_slow", "SELECT pg_sleep(2.5);\n", "SELECT 1;\n");
  const std::string out = project().apply();
  EXPECT_TRUE(contains(out, "applying 0001_slow ... .. done (")) << out;
}

TEST_P(ApplyTest, StatusBeforeAndAfter) {
  write_two();
  const std::string before = project().status();
  EXPECT_TRUE(contains(before, "0001_create_a  pending")) << before;
  EXPECT_TRUE(contains(before, "0 applied, 2 pending")) << before;
  if (!postgres()) {
    EXPECT_FALSE(fs::exists(project().root() / "app.db")) << "status does not create the file";
  }
  EXPECT_FALSE(project().has_table("strata_migrations")) << "status does not create the history table";

  project().apply(ApplyOptions{.to = "1"});
  const std::string after = project().status();
  EXPECT_TRUE(contains(after, "0001_create_a  applied   20")) << after;
  EXPECT_TRUE(contains(after, "0002_create_b  pending")) << after;
  EXPECT_TRUE(contains(after, "1 applied, 1 pending")) << after;

  std::ostringstream history;
  migration_history(project().config(), project().url(), history);
  EXPECT_TRUE(contains(history.str(), "0001_create_a  applied  20")) << history.str();
}

TEST_P(ApplyTest, DryRunChangesNothing) {
  write_two();
  const std::string out = project().apply(ApplyOptions{.dry_run = true});
  EXPECT_TRUE(contains(out, "would apply 0001_create_a\nwould apply 0002_create_b\n")) << out;
  if (!postgres()) {
    EXPECT_FALSE(fs::exists(project().root() / "app.db")) << "a dry run does not create the file";
  }
  EXPECT_FALSE(project().has_table("a"));
  EXPECT_FALSE(project().has_table("strata_migrations"));
  project().apply(ApplyOptions{.to = "0001"});
  const std::string second = project().apply(ApplyOptions{.dry_run = true});
  EXPECT_TRUE(contains(second, "would apply 0002_create_b\n1 migration would be applied")) << second;
  EXPECT_TRUE(contains(project().apply(ApplyOptions{.to = "0000"}), "already at 0001, past 0000"));
  EXPECT_FALSE(project().has_table("b"));
}

TEST_P(ApplyTest, StampThenApplyRunsNothing) {
  write_two();
  runtime::open_driver(project().url())->execute("setup", "CREATE TABLE a (id integer PRIMARY KEY);\n"
                                                          "CREATE TABLE b (id integer PRIMARY KEY, label text);");
  std::ostringstream out;
  EXPECT_EQ(stamp_version(project().config(), project().url(), "0002", out), kSuccess);
  EXPECT_TRUE(contains(out.str(), "stamped 0001_create_a as applied (not run)")) << out.str();
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001", "0002"}));
  EXPECT_TRUE(contains(project().apply(), "nothing to apply"));
  EXPECT_EQ(project().scalar("SELECT count(*) FROM b"), "0") << "0002's INSERT never ran";
}

TEST_P(ApplyTest, UnknownVersionIsBadInput) {
  write_two();
  std::ostringstream out;
  EXPECT_THROW(apply_migrations(project().config(), project().url(), ApplyOptions{.to = "0007"}, out), Error);
  EXPECT_THROW(stamp_version(project().config(), project().url(), "0009", out), Error);
  EXPECT_THROW(down_migrations(project().config(), project().url(), DownOptions{.to = "1", .steps = 1}, out), Error);
}

TEST_P(ApplyTest, FailingMigrationLeavesNoTrace) {
  write_two();
  project().write("0003_broken",
                  "CREATE TABLE c (id integer);\nINSERT INTO c VALUES (1);\nINSERT INTO no_such_table VALUES (1);\n"
                  "CREATE TABLE d (id integer);\n",
                  "DROP TABLE d;\nDROP TABLE c;\n");
  std::ostringstream out;
  try {
    apply_migrations(project().config(), project().url(), {}, out);
    FAIL() << "expected a database error";
  } catch (const DatabaseError& error) {
    const std::string message = error.what();
    // PostgreSQL points at the table name; SQLite at the statement.
    EXPECT_TRUE(contains(message, postgres() ? "0003_broken.up.sql:3:13: " : "0003_broken.up.sql:3:1: ")) << message;
    EXPECT_TRUE(contains(message, "no_such_table")) << message;
    EXPECT_TRUE(contains(message, "rolled back")) << message;
  }
  EXPECT_TRUE(contains(out.str(), "applying 0003_broken ... failed")) << out.str();
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001", "0002"}));
  EXPECT_FALSE(project().has_table("c"));
  EXPECT_FALSE(project().has_table("d"));

  project().write("0003_broken", "CREATE TABLE c (id integer);\nCREATE TABLE d (id integer);\n",
                  "DROP TABLE d;\nDROP TABLE c;\n");
  project().apply();
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
}

TEST_P(ApplyTest, SyntaxErrorIsLocatedInTheFile) {
  project().write("0001_typo", "CREATE TABLE a (id integer);\n\n  CREATE TABEL b (id integer);\n", "DROP TABLE a;\n");
  std::ostringstream out;
  // Bad input, found before the database is touched.
  try {
    apply_migrations(project().config(), project().url(), {}, out);
    FAIL() << "expected a syntax error";
  } catch (const DatabaseError& error) {
    FAIL() << "reached the database: " << error.what();
  } catch (const Error& error) {
    EXPECT_TRUE(contains(error.render(), "0001_typo.up.sql:3:10: ")) << error.render();
  }
  EXPECT_FALSE(project().has_table("a"));
  EXPECT_TRUE(project().versions().empty());
}

TEST_P(ApplyTest, FailingDownLeavesTheMigrationApplied) {
  write_two();
  project().write("0003_c", "CREATE TABLE c (id integer);\n", "DROP TABLE c;\nDROP TABLE no_such_table;\n");
  project().apply();
  std::ostringstream out;
  EXPECT_THROW(down_migrations(project().config(), project().url(), {}, out), DatabaseError);
  EXPECT_TRUE(project().has_table("c"));
  EXPECT_EQ(project().versions().size(), 3U);
}

TEST_P(ApplyTest, TamperedAppliedMigrationIsDetected) {
  write_two();
  project().apply();
  project().write("0001_create_a", "CREATE TABLE a (id integer PRIMARY KEY, extra text);\n", "DROP TABLE a;\n");
  project().write("0003_c", "CREATE TABLE c (id integer);\n", "DROP TABLE c;\n");
  std::ostringstream out;
  try {
    apply_migrations(project().config(), project().url(), {}, out);
    FAIL() << "expected a refusal";
  } catch (const DatabaseError& error) {
    FAIL() << "not a database error: " << error.what();
  } catch (const Error& error) {
    EXPECT_TRUE(contains(error.what(), "0001_create_a.up.sql has changed since it was applied")) << error.what();
    EXPECT_TRUE(contains(error.what(), "--allow-modified")) << error.what();
  }
  EXPECT_FALSE(project().has_table("c"));
  EXPECT_TRUE(contains(project().status(), "0001_create_a  modified")) << project().status();

  const std::string accepted = project().apply(ApplyOptions{.allow_modified = true});
  EXPECT_TRUE(contains(accepted, "warning: applied migration")) << accepted;
  EXPECT_TRUE(project().has_table("c"));
}

TEST_P(ApplyTest, DirtyNonTransactionalMigrationBlocksUntilResolved) {
  write_two();
  project().write("0003_outside",
                  "-- strata:no-transaction\n\nCREATE TABLE c (id integer);\nINSERT INTO no_such_table VALUES (1);\n"
                  "CREATE TABLE d (id integer);\n",
                  "DROP TABLE c;\n");
  project().write("0004_e", "CREATE TABLE e (id integer);\n", "DROP TABLE e;\n");
  std::ostringstream out;
  try {
    apply_migrations(project().config(), project().url(), {}, out);
    FAIL() << "expected a database error";
  } catch (const DatabaseError& error) {
    EXPECT_TRUE(contains(error.what(), "0003_outside.up.sql:4:")) << error.what();
    EXPECT_TRUE(contains(error.what(), "dirty")) << error.what();
  }
  EXPECT_TRUE(project().has_table("c")) << "statements before the failure stay";
  EXPECT_FALSE(project().has_table("d"));
  EXPECT_FALSE(project().has_table("e"));
  const auto history = project().history();
  ASSERT_EQ(history.size(), 3U);
  EXPECT_EQ(history[2].state, HistoryState::Dirty);

  try {
    apply_migrations(project().config(), project().url(), {}, out);
    FAIL() << "expected a refusal";
  } catch (const DatabaseError& error) {
    FAIL() << "not a database error: " << error.what();
  } catch (const Error& error) {
    EXPECT_TRUE(contains(error.what(), "0003_outside is dirty")) << error.what();
    EXPECT_TRUE(contains(error.what(), "strata resolve 0003 --applied")) << error.what();
  }
  EXPECT_THROW(down_migrations(project().config(), project().url(), {}, out), Error);
  EXPECT_TRUE(contains(project().status(), "0003_outside   dirty")) << project().status();
  EXPECT_THROW(resolve_migration(project().config(), project().url(), "0002", true, out), Error) << "not dirty";

  // Repaired by hand: the rest of the migration run, then recorded as applied.
  runtime::open_driver(project().url())->execute("repair", "CREATE TABLE d (id integer);");
  std::ostringstream resolved;
  EXPECT_EQ(resolve_migration(project().config(), project().url(), "3", true, resolved), kSuccess);
  EXPECT_TRUE(contains(resolved.str(), "resolved 0003_outside: recorded as applied")) << resolved.str();
  project().apply();
  EXPECT_TRUE(project().has_table("e"));
  EXPECT_EQ(project().history()[2].state, HistoryState::Applied);
}

TEST_P(ApplyTest, ResolveRolledBackRemovesTheRow) {
  project().write("0001_outside", "-- strata:no-transaction\n\nCREATE TABLE c (id integer);\nSELECT * FROM nothing_here;\n",
                  "DROP TABLE c;\n");
  std::ostringstream out;
  EXPECT_THROW(apply_migrations(project().config(), project().url(), {}, out), DatabaseError);
  runtime::open_driver(project().url())->execute("repair", "DROP TABLE c;");
  EXPECT_EQ(resolve_migration(project().config(), project().url(), "0001", false, out), kSuccess);
  EXPECT_TRUE(project().versions().empty());
  project().write("0001_outside", "-- strata:no-transaction\n\nCREATE TABLE c (id integer);\nCREATE TABLE f (id integer);\n",
                  "DROP TABLE f;\nDROP TABLE c;\n");
  project().apply();
  EXPECT_TRUE(project().has_table("f"));
  EXPECT_EQ(project().history().at(0).state, HistoryState::Applied);
  project().down();
  EXPECT_FALSE(project().has_table("c"));
  EXPECT_TRUE(project().versions().empty());
}

TEST_P(ApplyTest, FailingNonTransactionalDownIsDirty) {
  project().write("0001_a", "CREATE TABLE a (id integer);\n",
                  "-- strata:no-transaction\n\nDROP TABLE a;\nDROP TABLE no_such_table;\n");
  project().apply();
  std::ostringstream out;
  EXPECT_THROW(down_migrations(project().config(), project().url(), {}, out), DatabaseError);
  EXPECT_FALSE(project().has_table("a"));
  ASSERT_EQ(project().history().size(), 1U);
  EXPECT_EQ(project().history()[0].state, HistoryState::Dirty);
  EXPECT_EQ(resolve_migration(project().config(), project().url(), "1", false, out), kSuccess);
  EXPECT_TRUE(project().versions().empty());
}

TEST(PostgresApplyTest, UnsplittableNonTransactionalScriptLeavesNoTrace) {
  Project project(Engine::Postgres);
  project.write("0001_a", "-- strata:no-transaction\n\nCREATE TABLE a (id integer);\nSELECT 'unterminated;\n",
                "DROP TABLE a;\n");
  std::ostringstream out;
  try {
    apply_migrations(project.config(), project.url(), {}, out);
    FAIL() << "expected an error";
  } catch (const DatabaseError& error) {
    FAIL() << "not a database error: " << error.what();
  } catch (const Error& error) {
    EXPECT_TRUE(contains(error.what(), "0001_a.up.sql:4:")) << error.what();
  }
  EXPECT_FALSE(project.has_table("a"));
  EXPECT_TRUE(project.versions().empty()) << "not dirty: nothing ran";
}

TEST(PostgresApplyTest, HistoryStaysPutWhenAMigrationChangesSearchPath) {
  Project project(Engine::Postgres);
  project.write("0001_schema", "CREATE SCHEMA other;\nSET search_path = other;\n", "DROP SCHEMA other;\n");
  project.write("0002_table", "CREATE TABLE x (id integer);\n", "DROP TABLE x;\n");
  project.apply();
  EXPECT_EQ(project.versions(), (std::vector<std::string>{"0001", "0002"}));
  EXPECT_EQ(project.scalar("SELECT count(*) FROM other.x"), "0");
}

TEST(PostgresApplyTest, NoticesFollowTheirMigration) {
  Project project(Engine::Postgres);
  project.write("0001_notice", "DROP TABLE IF EXISTS nothing_here;\nCREATE TABLE a (id integer);\n",
                "DROP TABLE a;\n");
  const std::string out = project.apply();
  EXPECT_TRUE(contains(out, "applying 0001_notice ... done (")) << out;
  EXPECT_TRUE(contains(out, " ms)\n  NOTICE: table \"nothing_here\" does not exist, skipping\n")) << out;
}

TEST_P(ApplyTest, DatabaseAheadOfTheDirectoryIsRefused) {
  write_two();
  project().apply();
  fs::remove(project().root() / "migrations" / "0002_create_b.up.sql");
  fs::remove(project().root() / "migrations" / "0002_create_b.down.sql");
  std::ostringstream out;
  try {
    apply_migrations(project().config(), project().url(), {}, out);
    FAIL() << "expected a refusal";
  } catch (const Error& error) {
    EXPECT_TRUE(contains(error.what(), "records migration 0002_create_b as applied")) << error.what();
  }
  EXPECT_TRUE(contains(project().status(), "0002_create_b  unknown")) << project().status();
}

TEST_P(ApplyTest, TwoAppliersAtOnceApplyEachMigrationOnce) {
  project().write("0001_counter", "CREATE TABLE counter (n integer);\n", "DROP TABLE counter;\n");
  for (int version = 2; version <= 8; ++version) {
    const std::string n = std::to_string(version);
    // A second run of any of these fails: the table exists.
    project().write("000" + n + "_step" + n, "CREATE TABLE t" + n + " (id integer);\nINSERT INTO counter VALUES (" + n + ");\n",
                    "DROP TABLE t" + n + ";\n");
  }
  std::atomic<int> failures = 0;
  std::string outputs[2];
  std::atomic<bool> go = false;
  const auto applier = [&](int index) {
    while (!go) std::this_thread::yield();
    try {
      std::ostringstream out;
      apply_migrations(project().config(), project().url(), {}, out);
      outputs[index] = out.str();
    } catch (const std::exception& error) {
      ++failures;
      outputs[index] = error.what();
    }
  };
  std::thread first(applier, 0);
  std::thread second(applier, 1);
  go = true;
  first.join();
  second.join();
  EXPECT_EQ(failures, 0) << outputs[0] << "\n---\n" << outputs[1];
  EXPECT_EQ(project().versions().size(), 8U);
  EXPECT_EQ(project().scalar("SELECT count(*) FROM counter"), "7");
  EXPECT_EQ(project().scalar("SELECT count(DISTINCT n) FROM counter"), "7");
}

TEST_P(ApplyTest, TwoApplierProcessesAtOnceApplyEachMigrationOnce) {
  project().write("0001_counter", "CREATE TABLE counter (n integer);\n", "DROP TABLE counter;\n");
  for (int version = 2; version <= 6; ++version) {
    const std::string n = std::to_string(version);
    project().write("000" + n + "_step" + n, "CREATE TABLE t" + n + " (id integer);\nINSERT INTO counter VALUES (" + n + ");\n",
                    "DROP TABLE t" + n + ";\n");
  }
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t children[2];
  for (auto& child : children) {
    child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipe_fds[1]);
      char go = 0;
      if (::read(pipe_fds[0], &go, 1) != 1) ::_exit(2);  // both start together
      int code = 1;
      try {
        std::ostringstream out;
        code = apply_migrations(project().config(), project().url(), {}, out);
      } catch (...) {  // NOLINT(bugprone-empty-catch): the exit code says it
      }
      ::_exit(code);
    }
  }
  ::close(pipe_fds[0]);
  const char go[2] = {'g', 'g'};
  EXPECT_EQ(::write(pipe_fds[1], go, 2), 2);
  ::close(pipe_fds[1]);
  for (const auto child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  EXPECT_EQ(project().versions().size(), 6U);
  EXPECT_EQ(project().scalar("SELECT count(*) FROM counter"), "5");
}

TEST_P(ApplyTest, KilledApplierLeavesNoTrace) {
  project().write("0001_a", "CREATE TABLE a (id integer);\n", "DROP TABLE a;\n");
  const std::string slow =
      postgres() ? "SELECT pg_sleep(1)"
                 : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) "
                   "SELECT count(*) FROM c";
  project().write("0002_slow", "CREATE TABLE b (id integer);\nINSERT INTO b VALUES (1);\n" + slow + ";\n",
                  "DROP TABLE b;\n");
  project().apply(ApplyOptions{.to = "0001"});
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::ostringstream out;
    try {
      apply_migrations(project().config(), project().url(), {}, out);
    } catch (...) {  // NOLINT(bugprone-empty-catch)
    }
    ::_exit(0);
  }
  // Wait until the child is inside 0002 (its table exists in its transaction:
  // visible as a lock, or as the journal of the SQLite file), then kill it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool inside = false;
  while (!inside && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (postgres()) {
      inside = project().scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1)%' AND "
                                "state = 'active' AND pid <> pg_backend_pid()") == "1";
    } else {
      inside = fs::exists(project().root() / "app.db-journal");
    }
  }
  EXPECT_TRUE(inside);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001"}));
  EXPECT_FALSE(project().has_table("b"));
  // The next run is not blocked (PostgreSQL: the lock went with the killed
  // session once its statement ended; SQLite: the hot journal is rolled back).
  project().write("0002_slow", "CREATE TABLE b (id integer);\nINSERT INTO b VALUES (1);\n", "DROP TABLE b;\n");
  project().apply();
  EXPECT_EQ(project().versions(), (std::vector<std::string>{"0001", "0002"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, ApplyTest, ::testing::Values(Engine::Sqlite, Engine::Postgres),
                         [](const ::testing::TestParamInfo<Engine>& engine) {
                           return engine.param == Engine::Sqlite ? std::string("Sqlite") : std::string("Postgres");
                         });

// SQLite's foreign keys: on for every run, off around a migration that asks,
// with PRAGMA foreign_key_check before its commit.
class SqliteForeignKeysTest : public ::testing::Test {
 protected:
  Project project_{Engine::Sqlite};

  void SetUp() override {
    project_.write("0001_parent_child",
                   "CREATE TABLE parent (id integer PRIMARY KEY);\n"
                   "CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id));\n"
                   "INSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (1, 1);\n",
                   "DROP TABLE child;\nDROP TABLE parent;\n");
    project_.apply();
  }
};

TEST_F(SqliteForeignKeysTest, ForeignKeysAreOnForNormalRuns) {
  project_.write("0002_orphan", "INSERT INTO child VALUES (2, 99);\n", "DELETE FROM child WHERE id = 2;\n");
  std::ostringstream out;
  try {
    apply_migrations(project_.config(), project_.url(), {}, out);
    FAIL() << "expected a database error";
  } catch (const DatabaseError& error) {
    EXPECT_TRUE(contains(error.what(), "FOREIGN KEY constraint failed")) << error.what();
  }
  EXPECT_EQ(project_.scalar("SELECT count(*) FROM child"), "1");
}

TEST_F(SqliteForeignKeysTest, ViolationWithForeignKeysOffRollsBack) {
  project_.write("0002_rebuild_parent",
                 "-- strata:sqlite-foreign-keys-off\n\n"
                 "CREATE TABLE new_parent (id integer PRIMARY KEY, name text);\n"
                 "DROP TABLE parent;\n"
                 "ALTER TABLE new_parent RENAME TO parent;\n",
                 "SELECT 1;\n");
  std::ostringstream out;
  try {
    apply_migrations(project_.config(), project_.url(), {}, out);
    FAIL() << "expected a database error";
  } catch (const DatabaseError& error) {
    EXPECT_TRUE(contains(error.what(), "foreign_key_check found 1 foreign key violation")) << error.what();
    EXPECT_TRUE(contains(error.what(), "table child row 1")) << error.what();
  }
  EXPECT_EQ(project_.versions(), (std::vector<std::string>{"0001"}));
  EXPECT_EQ(project_.scalar("SELECT count(*) FROM parent"), "1");
  EXPECT_EQ(project_.scalar("SELECT count(*) FROM pragma_table_info('parent')"), "1") << "old parent table";
}

TEST_F(SqliteForeignKeysTest, RebuildWithForeignKeysOffApplies) {
  project_.write("0002_rebuild_parent",
                 "-- strata:sqlite-foreign-keys-off\n\n"
                 "CREATE TABLE new_parent (id integer PRIMARY KEY, name text);\n"
                 "INSERT INTO new_parent (id) SELECT id FROM parent;\n"
                 "DROP TABLE parent;\n"
                 "ALTER TABLE new_parent RENAME TO parent;\n",
                 "SELECT 1;\n");
  project_.apply();
  EXPECT_EQ(project_.versions(), (std::vector<std::string>{"0001", "0002"}));
  EXPECT_EQ(project_.scalar("SELECT count(*) FROM child"), "1") << "no cascade while foreign keys were off";
  EXPECT_EQ(project_.scalar("SELECT count(*) FROM pragma_table_info('parent')"), "2");
}

TEST(DatabaseUrlTest, OpenDriverRecognisesUrls) {
  EXPECT_EQ(runtime::engine_of_url("sqlite:app.db"), Engine::Sqlite);
  EXPECT_EQ(runtime::engine_of_url("sqlite:///tmp/x"), Engine::Sqlite);
  EXPECT_EQ(runtime::engine_of_url("data/app.sqlite3"), Engine::Sqlite);
  EXPECT_EQ(runtime::engine_of_url("postgres://u:p@h/db"), Engine::Postgres);
  EXPECT_EQ(runtime::engine_of_url("postgresql://h/db"), Engine::Postgres);
  EXPECT_EQ(runtime::engine_of_url("host=/tmp dbname=x"), Engine::Postgres);
  EXPECT_EQ(runtime::engine_of_url("mysql://u:hunter2@h/db"), std::nullopt);
  try {
    runtime::open_driver("mysql://u:hunter2@h/db");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_FALSE(contains(error.what(), "hunter2")) << error.what();
  }
  EXPECT_EQ(runtime::open_driver("sqlite::memory:")->engine(), Engine::Sqlite);
}

TEST(DatabaseUrlTest, PasswordsAreMaskedInConnectionErrors) {
  try {
    std::ostringstream out;
    Config config;
    config.dialect = Dialect::Postgres;
    config.migrations = "/nonexistent-strata-migrations";
    apply_migrations(config, "postgresql://alice:hunter2@localhost:1/db", {}, out);
    FAIL() << "expected a database error";
  } catch (const DatabaseError& error) {
    EXPECT_FALSE(contains(error.what(), "hunter2")) << error.what();
  }
}

TEST(DatabaseUrlTest, DialectMismatchIsBadInput) {
  Project project(Engine::Sqlite);
  Config config = project.config();
  config.dialect = Dialect::Postgres;
  std::ostringstream out;
  EXPECT_THROW(apply_migrations(config, project.url(), {}, out), Error);
}

TEST(LockTest, PostgresLockWaitsAndTimesOut) {
  const std::string url = testing::shared_postgres().create_database();
  const auto holder = runtime::open_driver(url);
  const auto waiter = runtime::open_driver(url);
  std::ostringstream out;
  runtime::acquire_lock(*holder, std::chrono::seconds(1), out);
  try {
    runtime::acquire_lock(*waiter, std::chrono::milliseconds(300), out);
    FAIL() << "expected a timeout";
  } catch (const DatabaseError& error) {
    EXPECT_TRUE(contains(error.what(), "waiting for the migration lock")) << error.what();
  }
  EXPECT_TRUE(contains(out.str(), "waiting up to 0 s for another strata run")) << out.str();
  holder->unlock();
  runtime::acquire_lock(*waiter, std::chrono::milliseconds(300), out);
  waiter->unlock();
}

}  // namespace
}  // namespace strata::compiler
