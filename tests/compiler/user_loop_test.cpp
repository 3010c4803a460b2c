// The user's loop of DESIGN.md through the strata executable, on SQLite files
// and on databases of the binary's PostgreSQL cluster: init, edit, plan,
// apply with rows in the tables (checked by content), hand edits re-summed
// with `hash`, `new` for data steps, `sql` for a DBA, tampering caught by
// `check`, two git branches that both add a migration, malformed hand edits,
// and SQLite's table rebuilds under foreign keys.
#include <gtest/gtest.h>

#include <stdlib.h>  // unsetenv
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "postgres_cluster.h"
#include "strata/runtime/driver.h"
#include "strata_cli.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::CliOutcome;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A project in a temporary directory and the database strata.toml names: a
// SQLite file next to it, or a fresh database of the shared cluster.
class Project : public testing::StrataCli {
 protected:
  virtual std::string dialect() const = 0;
  bool postgres() const { return dialect() == "postgres"; }

  void SetUp() override {
    StrataCli::SetUp();
    // The database is the one strata.toml names, as in the user's loop.
    ::unsetenv("STRATA_DATABASE_URL");  // NOLINT(concurrency-mt-unsafe): before any strata run
    ::unsetenv("DATABASE_URL");         // NOLINT(concurrency-mt-unsafe)
    url_ = postgres() ? testing::shared_postgres().create_database() : "sqlite:" + (directory_ / "app.db").string();
  }

  // strata init, with the database URL of this test in strata.toml.
  void init() {
    const CliOutcome run = strata("init --dialect " + dialect());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    if (postgres())
      write("strata.toml", "dialect = \"postgres\"\nschema = [\"schema\"]\nmigrations = \"migrations\"\n"
                           "database_url = \"" + url_ + "\"\n");
  }

  // Runs strata; the test fails (and says which command) unless it exits 0.
  CliOutcome ok(const std::string& arguments) const {
    CliOutcome run = strata(arguments);
    EXPECT_EQ(run.exit_code, 0) << "strata " << arguments << "\n" << run.out << run.err;
    return run;
  }

  // A shell command in the project directory.
  CliOutcome shell(const std::string& command) const {
    const std::string line = "cd '" + directory_.string() + "' && " + command + " >stdout.txt 2>stderr.txt";
    const int status = std::system(line.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(directory_ / "stdout.txt"),
            slurp(directory_ / "stderr.txt")};
  }

  std::string slurp_file(const std::string& name) const { return slurp(directory_ / name); }
  void append(const std::string& name, const std::string& text) const { write(name, slurp_file(name) + text); }

  // The rows of a query: columns joined by '|', each row ended by ';'.
  std::string rows(const std::string& sql) const {
    std::string text;
    for (const auto& row : runtime::open_driver(url_)->query(sql)) {
      for (std::size_t i = 0; i < row.size(); ++i) text += (i == 0 ? "" : "|") + row[i].value_or("NULL");
      text += ";";
    }
    return text;
  }
  void exec(const std::string& sql) const { runtime::open_driver(url_)->execute("test rows", sql); }
  // The versions the history table records, with their state.
  std::string history() const {
    std::string text;
    for (const auto& row : runtime::open_driver(url_)->read_history())
      text += row.version + ":" + runtime::history_state_name(row.state) + " ";
    return text;
  }
  // The live database's schema as strata reads it.
  std::string live_schema() const {
    const CliOutcome run = ok("inspect --url '" + url_ + "'");
    return run.out;
  }
  std::vector<std::string> migration_files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory_ / "migrations"))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  // The base schema: authors, and their books deleted with them.
  std::string base_schema() const {
    return postgres() ? "CREATE TYPE genre AS ENUM ('fiction', 'poetry');\n"
                        "CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL);\n"
                        "CREATE TABLE books (\n"
                        "  id bigint PRIMARY KEY,\n"
                        "  author_id bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n"
                        "  title text NOT NULL,\n"
                        "  genre genre NOT NULL DEFAULT 'fiction'\n"
                        ");\n"
                      : "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                        "CREATE TABLE books (\n"
                        "  id INTEGER PRIMARY KEY,\n"
                        "  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n"
                        "  title TEXT NOT NULL\n"
                        ");\n";
  }
  // A new table of the dialect, for a schema file of its own.
  std::string table(const std::string& name) const {
    return "CREATE TABLE " + name +
           (postgres() ? " (id bigint PRIMARY KEY, book_id bigint REFERENCES books (id), body text);\n"
                       : " (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books (id), body TEXT);\n");
  }
  static constexpr const char* kBooks =
      "SELECT b.id, a.name, b.title FROM books b JOIN authors a ON a.id = b.author_id ORDER BY b.id";
  static constexpr const char* kBookRows = "1|ann|first;2|ann|second;3|bob|third;";

  // init, the base schema, plan 0001, apply it, and rows in both tables.
  void start_project() {
    ASSERT_NO_FATAL_FAILURE(init());
    write("schema/schema.sql", base_schema());
    ASSERT_EQ(ok("plan -m \"authors and books\"").exit_code, 0);
    ASSERT_TRUE(fs::exists(directory_ / "migrations/0001_authors_and_books.up.sql"));
    ASSERT_EQ(ok("apply").exit_code, 0);
    exec("INSERT INTO authors (id, name) VALUES (1, 'ann'), (2, 'bob');\n"
         "INSERT INTO books (id, author_id, title) VALUES (1, 1, 'first'), (2, 1, 'second'), (3, 2, 'third');\n");
    if (postgres()) exec("UPDATE books SET genre = 'poetry' WHERE id = 3");
    ASSERT_EQ(rows(kBooks), kBookRows);
  }

  // git in the project directory, its output in git.txt; the exit status.
  int git(const std::string& arguments) const {
    const std::string command = "cd '" + directory_.string() +
                                "' && git -c user.name=strata -c user.email=strata@example.com "
                                "-c init.defaultBranch=main -c merge.conflictstyle=merge " +
                                arguments + " >git.txt 2>&1";
    return std::system(command.c_str());
  }
  // A repository holding the project as it is, on branch main.
  void commit_project() const {
    write(".gitignore", "stdout.txt\nstderr.txt\ngit.txt\napp.db\n*.sql.out\n");
    ASSERT_EQ(git("init -q && git add -A && git commit -qm base"), 0) << slurp_file("git.txt");
  }
  // Branch `ours` and main each add a table (its own schema file) and plan
  // the next migration from the same base; main then merges ours.
  void plan_on_two_branches_and_merge() {
    ASSERT_EQ(git("checkout -qb ours"), 0) << slurp_file("git.txt");
    write("schema/schema_reviews.sql", table("reviews"));
    ASSERT_EQ(ok("plan -m ours").exit_code, 0);
    ASSERT_EQ(git("add -A && git commit -qm ours"), 0) << slurp_file("git.txt");
    ASSERT_EQ(git("checkout -q main"), 0) << slurp_file("git.txt");
    write("schema/schema_prizes.sql", table("prizes"));
    ASSERT_EQ(ok("plan -m theirs").exit_code, 0);
    ASSERT_EQ(git("add -A && git commit -qm theirs"), 0) << slurp_file("git.txt");
    EXPECT_NE(git("merge -q ours"), 0);
    EXPECT_TRUE(contains(slurp_file("git.txt"), "CONFLICT (content): Merge conflict in migrations/strata.sum"))
        << slurp_file("git.txt");
  }

  std::string url_;
};

std::string test_name(const ::testing::TestParamInfo<std::string>& dialect) { return dialect.param; }

class BothDialects : public Project, public ::testing::WithParamInterface<std::string> {
 protected:
  std::string dialect() const override { return GetParam(); }
};

class OnPostgres : public Project {
 protected:
  std::string dialect() const override { return "postgres"; }
};

class OnSqlite : public Project {
 protected:
  std::string dialect() const override { return "sqlite"; }
};

// init, edit, plan, plan again, edit (a PostgreSQL enum value, a SQLite
// table rebuild, a NOT NULL column), plan, check, sql run by the database's
// own shell, a tampered applied file, and two branches adding 0003.
TEST_P(BothDialects, TheUsersLoopKeepsTheRowsAndCatchesTamperingAndForks) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  const std::string first_up = slurp_file("migrations/0001_authors_and_books.up.sql");

  CliOutcome run = ok("plan -m again");
  EXPECT_EQ(run.out, "nothing to plan: the schema files match the migrations' head\n");
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_again.up.sql"));

  write("schema/schema.sql",
        postgres() ? "CREATE TYPE genre AS ENUM ('fiction', 'drama', 'poetry');\n"
                     "CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL);\n"
                     "CREATE TABLE books (\n"
                     "  id bigint PRIMARY KEY,\n"
                     "  author_id bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n"
                     "  title text NOT NULL,\n"
                     "  genre genre NOT NULL DEFAULT 'fiction',\n"
                     "  pages integer NOT NULL\n"
                     ");\n"
                   : "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0));\n"
                     "CREATE TABLE books (\n"
                     "  id INTEGER PRIMARY KEY,\n"
                     "  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n"
                     "  title TEXT NOT NULL,\n"
                     "  pages INTEGER NOT NULL\n"
                     ");\n");
  const std::string backfill = "--backfill 'books.pages=length(title) * 10'";
  EXPECT_EQ(strata("plan --check " + backfill).exit_code, 1);
  const CliOutcome refused = strata("plan -m pages");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(contains(refused.err, "--backfill")) << refused.err;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_pages.up.sql"));

  ASSERT_EQ(ok("plan -m pages " + backfill).exit_code, 0);
  const std::string up = slurp_file("migrations/0002_pages.up.sql");
  if (postgres()) {
    EXPECT_TRUE(contains(up, "ALTER TYPE public.genre ADD VALUE 'drama' AFTER 'fiction';")) << up;
    EXPECT_TRUE(contains(up, "UPDATE public.books SET pages = length(title) * 10;")) << up;
  } else {
    EXPECT_TRUE(contains(up, "\n-- strata:sqlite-foreign-keys-off\n")) << up;
    EXPECT_TRUE(contains(up, "DROP TABLE authors;")) << up;  // rebuilt for its CHECK
    EXPECT_TRUE(contains(up, "length(title) * 10")) << up;
  }
  EXPECT_EQ(ok("plan").out, "nothing to plan: the schema files match the migrations' head\n");
  EXPECT_EQ(ok("check").out, "ok: 2 migrations, schema files match the head\n");

  // The DBA's way: the script for what the database lacks, run by its shell.
  ASSERT_EQ(ok("sql --from 0001 -o release.sql.out").exit_code, 0);
  const CliOutcome script = postgres() ? shell("psql -X -q -v ON_ERROR_STOP=1 -f release.sql.out -d '" + url_ + "'")
                                       : shell("sqlite3 app.db < release.sql.out");
  ASSERT_EQ(script.exit_code, 0) << script.out << script.err;
  EXPECT_TRUE(contains(ok("status").out, "2 applied, 0 pending")) << strata("status").out;
  EXPECT_EQ(ok("apply").out, "nothing to apply: the database is up to date\n");
  EXPECT_EQ(rows("SELECT b.id, a.name, b.title, b.pages FROM books b JOIN authors a ON a.id = b.author_id "
                 "ORDER BY b.id"),
            "1|ann|first|50;2|ann|second|60;3|bob|third|50;");
  if (postgres()) {
    EXPECT_EQ(rows("SELECT id, genre FROM books ORDER BY id"), "1|fiction;2|fiction;3|poetry;");
    exec("INSERT INTO books (id, author_id, title, genre, pages) VALUES (4, 2, 'fourth', 'drama', 1)");
    EXPECT_EQ(rows("SELECT genre FROM books WHERE id = 4"), "drama;");
  } else {
    EXPECT_ANY_THROW(exec("INSERT INTO authors (id, name) VALUES (3, '')"));  // the rebuilt table's CHECK
    EXPECT_EQ(rows("PRAGMA foreign_key_check"), "");
  }

  // An applied file edited: check names it, apply refuses, until it is restored.
  append("migrations/0001_authors_and_books.up.sql", "DELETE FROM books WHERE id = 3;\n");
  run = strata("check");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.out, "migrations/0001_authors_and_books.up.sql: changed since migrations/strata.sum was "
                                "written; review it, then run strata hash"))
      << run.out;
  EXPECT_TRUE(contains(ok("status").out, "0001_authors_and_books  modified")) << strata("status").out;
  run = strata("apply");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "0001_authors_and_books.up.sql has changed since it was applied")) << run.err;
  write("migrations/0001_authors_and_books.up.sql", first_up);
  EXPECT_EQ(ok("check").exit_code, 0);

  // Two branches each add a 0003: git and strata both say so.
  ASSERT_NO_FATAL_FAILURE(commit_project());
  ASSERT_NO_FATAL_FAILURE(plan_on_two_branches_and_merge());
  run = strata("check");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(contains(run.err, "0003_ours and 0003_theirs share version 0003")) << run.out << run.err;
  EXPECT_TRUE(contains(run.err, "strata rebase")) << run.err;
}

// plan, a backfill UPDATE appended by hand, check names the file, hash, apply.
TEST_P(BothDialects, HandWrittenBackfillIsNamedByCheckUntilHashedThenApplied) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  write("schema/schema.sql", base_schema() + (postgres() ? "ALTER TABLE authors ADD COLUMN email text;\n"
                                                         : "ALTER TABLE authors ADD COLUMN email TEXT;\n"));
  ASSERT_EQ(ok("plan -m email").exit_code, 0);
  append("migrations/0002_email.up.sql", "UPDATE authors SET email = lower(name) || '@example.com';\n");

  CliOutcome run = strata("check");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.out, "migrations/0002_email.up.sql: changed since migrations/strata.sum was written"))
      << run.out;
  EXPECT_EQ(ok("hash").exit_code, 0);
  EXPECT_EQ(ok("check").exit_code, 0);
  ASSERT_EQ(ok("apply").exit_code, 0);
  EXPECT_EQ(rows("SELECT id, name, email FROM authors ORDER BY id"), "1|ann|ann@example.com;2|bob|bob@example.com;");
  EXPECT_EQ(rows(kBooks), kBookRows);
  EXPECT_EQ(history(), "0001:applied 0002:applied ");
}

// An index written into a migration by hand is part of the chain's head:
// plan --check differs until the schema files have it too.
TEST_P(BothDialects, IndexAddedByHandNeedsTheSchemaFilesToAgree) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  write("schema/schema.sql", base_schema() + (postgres() ? "ALTER TABLE authors ADD COLUMN email text;\n"
                                                         : "ALTER TABLE authors ADD COLUMN email TEXT;\n"));
  ASSERT_EQ(ok("plan -m email").exit_code, 0);
  append("migrations/0002_email.up.sql", "CREATE INDEX books_title ON books (title);\n");
  append("migrations/0002_email.down.sql", "DROP INDEX books_title;\n");
  ASSERT_EQ(ok("hash").exit_code, 0);

  CliOutcome run = strata("plan --check");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.out, "books_title")) << run.out;
  run = strata("check");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.out, "books_title")) << run.out;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0003_email.up.sql"));

  append("schema/schema.sql", "CREATE INDEX books_title ON books (title);\n");
  run = ok("plan --check");
  EXPECT_TRUE(contains(run.out, "nothing to plan")) << run.out;
  EXPECT_EQ(ok("check").exit_code, 0);
  ASSERT_EQ(ok("apply").exit_code, 0);
  EXPECT_TRUE(contains(live_schema(), "CREATE INDEX books_title ON ")) << live_schema();
  EXPECT_EQ(rows(kBooks), kBookRows);
}

// new -m for a data step: an UPDATE and its undoing, hashed, applied, run down.
TEST_P(BothDialects, NewDataStepChangesTheRowsAndDownRunsItsDownFile) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  ASSERT_EQ(ok("new -m \"shout titles\"").exit_code, 0);
  append("migrations/0002_shout_titles.up.sql", "UPDATE books SET title = upper(title) || '!';\n");
  append("migrations/0002_shout_titles.down.sql", "UPDATE books SET title = lower(rtrim(title, '!'));\n");
  ASSERT_EQ(ok("hash").exit_code, 0);
  EXPECT_EQ(ok("check").exit_code, 0);
  EXPECT_EQ(ok("plan").out, "nothing to plan: the schema files match the migrations' head\n");

  ASSERT_EQ(ok("apply").exit_code, 0);
  EXPECT_EQ(rows(kBooks), "1|ann|FIRST!;2|ann|SECOND!;3|bob|THIRD!;");
  EXPECT_EQ(history(), "0001:applied 0002:applied ");
  const CliOutcome down = ok("down");
  EXPECT_TRUE(contains(down.out, "0002_shout_titles")) << down.out;
  EXPECT_EQ(rows(kBooks), kBookRows);
  EXPECT_EQ(history(), "0001:applied ");
  EXPECT_TRUE(contains(ok("status").out, "1 applied, 1 pending")) << strata("status").out;
}

// Two branches plan 0004 from the same base; after the merge conflict,
// rebase renumbers ours, and a database at 0003 reaches the new head.
TEST_P(BothDialects, BranchesPlanningTheSameVersionAreRebasedAndApplied) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  write("schema/schema.sql", base_schema() + (postgres() ? "ALTER TABLE authors ADD COLUMN email text;\n"
                                                         : "ALTER TABLE authors ADD COLUMN email TEXT;\n"));
  ASSERT_EQ(ok("plan -m email").exit_code, 0);
  append("schema/schema.sql", "CREATE INDEX books_title ON books (title);\n");
  ASSERT_EQ(ok("plan -m \"title index\"").exit_code, 0);
  ASSERT_EQ(ok("apply").exit_code, 0);
  ASSERT_EQ(history(), "0001:applied 0002:applied 0003:applied ");

  ASSERT_NO_FATAL_FAILURE(commit_project());
  ASSERT_NO_FATAL_FAILURE(plan_on_two_branches_and_merge());
  ASSERT_TRUE(fs::exists(directory_ / "migrations/0004_ours.up.sql"));
  ASSERT_TRUE(fs::exists(directory_ / "migrations/0004_theirs.up.sql"));

  const CliOutcome rebased = ok("rebase 0004_ours");
  EXPECT_TRUE(contains(rebased.out, "0004_ours -> 0005_ours")) << rebased.out;
  EXPECT_TRUE(contains(rebased.out, "ok: the schema files match the new head")) << rebased.out;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0004_ours.up.sql"));
  EXPECT_EQ(git("add -A && git commit -qm merged"), 0) << slurp_file("git.txt");
  EXPECT_EQ(git("status --porcelain"), 0);
  EXPECT_EQ(slurp_file("git.txt"), "");
  EXPECT_EQ(ok("check").out, "ok: 5 migrations, schema files match the head\n");

  const CliOutcome applied = ok("apply");
  EXPECT_TRUE(contains(applied.out, "applying 0004_theirs")) << applied.out;
  EXPECT_TRUE(contains(applied.out, "applying 0005_ours")) << applied.out;
  EXPECT_EQ(history(), "0001:applied 0002:applied 0003:applied 0004:applied 0005:applied ");
  exec("INSERT INTO reviews (id, book_id, body) VALUES (1, 1, 'good');\n"
       "INSERT INTO prizes (id, book_id, body) VALUES (1, 3, 'gold');\n");
  EXPECT_EQ(rows("SELECT r.body, b.title FROM reviews r JOIN books b ON b.id = r.book_id"), "good|first;");
  EXPECT_EQ(rows("SELECT p.body, b.title FROM prizes p JOIN books b ON b.id = p.book_id"), "gold|third;");
  EXPECT_EQ(rows(kBooks), kBookRows);
}

// A malformed statement appended to a planned migration; returns the
// file:line:col every command must name.
class MalformedEdit : public BothDialects {
 protected:
  std::string plan_and_break() {
    write("schema/schema.sql", base_schema() + (postgres() ? "ALTER TABLE authors ADD COLUMN email text;\n"
                                                           : "ALTER TABLE authors ADD COLUMN email TEXT;\n"));
    EXPECT_EQ(ok("plan -m email").exit_code, 0);
    const std::string file = "migrations/0002_email.up.sql";
    const std::size_t line = line_count(slurp_file(file)) + 1;
    append(file, "UPDATE authors SET email = ;\n");  // the ';' is column 28
    return file + ":" + std::to_string(line) + ":28: ";
  }
};

TEST_P(MalformedEdit, CheckHashAndPlanNameTheLocationAndWriteNothing) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  const std::string location = plan_and_break();
  write("schema/schema_extra.sql", table("extra"));  // something for plan to write
  const std::string sum = slurp_file("migrations/strata.sum");
  const std::vector<std::string> files = migration_files();
  const std::string database = live_schema();

  for (const std::string command : {"check", "hash", "plan -m extra", "plan --check", "check --format json"}) {
    const CliOutcome run = strata(command);
    EXPECT_EQ(run.exit_code, 2) << command;
    EXPECT_EQ(run.err.rfind(location, 0), 0U) << command << ": " << run.err;
    EXPECT_EQ(slurp_file("migrations/strata.sum"), sum) << command;
    EXPECT_EQ(migration_files(), files) << command;
  }
  EXPECT_EQ(history(), "0001:applied ");
  EXPECT_EQ(live_schema(), database);
  EXPECT_EQ(rows(kBooks), kBookRows);
}

TEST_P(MalformedEdit, ApplyStopsAtTheLocationAndLeavesTheDatabaseAsItWas) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  const std::string location = plan_and_break();
  const std::string database = live_schema();
  const CliOutcome run = strata("apply");
  EXPECT_TRUE(run.exit_code == 2 || run.exit_code == 3) << run.exit_code;  // 2 wanted: see the test below
  EXPECT_TRUE(contains(run.err, location)) << run.err;
  EXPECT_EQ(history(), "0001:applied ");
  EXPECT_EQ(live_schema(), database);
  EXPECT_FALSE(contains(database, "email"));
  EXPECT_EQ(rows(kBooks), kBookRows);
  EXPECT_TRUE(contains(ok("status").out, "1 applied, 1 pending")) << strata("status").out;
}

TEST_P(MalformedEdit, ApplyRefusesAMalformedFileAsBadInputBeforeOpeningTheDatabase) {
  ASSERT_NO_FATAL_FAILURE(init());
  ASSERT_EQ(ok("new -m broken").exit_code, 0);
  append("migrations/0001_broken.up.sql", "UPDATE t SET a = ;\n");
  const CliOutcome run = strata("apply");
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_EQ(run.err.rfind("migrations/0001_broken.up.sql:", 0), 0U) << run.err;
  if (postgres()) {
    EXPECT_EQ(rows("SELECT count(*) FROM pg_tables WHERE tablename = 'strata_migrations'"), "0;");
  } else {
    EXPECT_FALSE(fs::exists(directory_ / "app.db"));
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, BothDialects, ::testing::Values("sqlite", "postgres"), test_name);
INSTANTIATE_TEST_SUITE_P(Dialects, MalformedEdit, ::testing::Values("sqlite", "postgres"), test_name);

// A DO block running dynamic SQL: offline replay cannot know what it does,
// so hash and check warn at its location; apply runs it.
TEST_F(OnPostgres, DoBlockWithDynamicSqlIsAWarningAtItsLocation) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  ASSERT_EQ(ok("new -m \"shout titles\"").exit_code, 0);
  const std::string file = "migrations/0002_shout_titles.up.sql";
  const std::size_t line = line_count(slurp_file(file)) + 1;
  append(file, "DO $$\nBEGIN\n  EXECUTE 'UPDATE books SET title = upper(title)';\nEND\n$$;\n");
  const std::string warning = file + ":" + std::to_string(line) + ":1: warning: DO block runs EXECUTE (dynamic SQL)";

  const CliOutcome hashed = ok("hash");
  EXPECT_TRUE(contains(hashed.err, warning)) << hashed.err;
  const CliOutcome checked = ok("check");
  EXPECT_TRUE(contains(checked.err, warning)) << checked.err;
  EXPECT_EQ(checked.out, "ok: 2 migrations, schema files match the head\n");
  ASSERT_EQ(ok("apply").exit_code, 0);
  EXPECT_EQ(rows(kBooks), "1|ann|FIRST;2|ann|SECOND;3|bob|THIRD;");
}

// After apply, the database and the schema files are the same schema: a
// drift check on a project whose columns have defaults finds nothing.
TEST_F(OnPostgres, AppliedDatabaseShowsNoDriftForColumnDefaults) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  const CliOutcome run = ok("diff --from '" + url_ + "' --to schema");
  EXPECT_EQ(run.out, "-- the two schemas are the same: nothing to do\n");
  EXPECT_EQ(ok("diff --from migrations --to '" + url_ + "'").out, "-- the two schemas are the same: nothing to do\n");
}

// A column written in the middle of a table is added at the end, as
// PostgreSQL adds columns: the migration says so, and check, apply and a
// drift check then find nothing to do.
TEST_F(OnPostgres, ColumnWrittenInTheMiddleIsAddedAtTheEndWithANote) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  write("schema/schema.sql", [&] {
    std::string schema = base_schema();
    const std::string authors = "(id bigint PRIMARY KEY, name text NOT NULL)";
    return schema.replace(schema.find(authors), authors.size(), "(id bigint PRIMARY KEY, email text, name text NOT NULL)");
  }());
  ASSERT_EQ(ok("plan -m email").exit_code, 0);
  const std::string up = slurp_file("migrations/0002_email.up.sql");
  EXPECT_TRUE(contains(up, "-- the columns of public.authors end up in the order id, name, email, not id, email, "
                           "name: PostgreSQL adds columns at the end"))
      << up;
  EXPECT_EQ(ok("check").out, "ok: 2 migrations, schema files match the head\n");
  ASSERT_EQ(ok("apply").exit_code, 0);
  EXPECT_EQ(rows("SELECT * FROM authors ORDER BY id"), "1|ann|NULL;2|bob|NULL;");
  EXPECT_EQ(ok("diff --from '" + url_ + "' --to schema").out, "-- the two schemas are the same: nothing to do\n");
  const CliOutcome settled = strata("plan --check");
  EXPECT_EQ(settled.exit_code, 0) << settled.out << settled.err;
}

// Rebuilding a parent table drops it with foreign keys off: the children
// that ON DELETE CASCADE would have deleted are all still there.
TEST_F(OnSqlite, RebuildingAParentKeepsEveryCascadingChildRow) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  write("schema/schema.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE);\n"
                             "CREATE TABLE books (\n"
                             "  id INTEGER PRIMARY KEY,\n"
                             "  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n"
                             "  title TEXT NOT NULL\n"
                             ");\n");
  ASSERT_EQ(ok("plan -m \"nocase names\"").exit_code, 0);
  const std::string up = slurp_file("migrations/0002_nocase_names.up.sql");
  EXPECT_TRUE(contains(up, "\n-- strata:sqlite-foreign-keys-off\n")) << up;
  EXPECT_TRUE(contains(up, "DROP TABLE authors;")) << up;

  ASSERT_EQ(ok("apply").exit_code, 0);
  EXPECT_EQ(rows(kBooks), kBookRows);
  EXPECT_EQ(rows("SELECT id, name FROM authors WHERE name = 'ANN'"), "1|ann;");  // the new collation
  EXPECT_EQ(rows("PRAGMA foreign_key_check"), "");
  // The rebuilt parent still cascades.
  exec("PRAGMA foreign_keys = ON;\nDELETE FROM authors WHERE id = 2;\n");
  EXPECT_EQ(rows(kBooks), "1|ann|first;2|ann|second;");
  EXPECT_EQ(ok("down").exit_code, 0);
  EXPECT_EQ(rows(kBooks), "1|ann|first;2|ann|second;");
  EXPECT_EQ(rows("SELECT count(*) FROM authors WHERE name = 'ANN'"), "0;");
}

// A rebuild that adds a foreign key existing rows violate: exit 3, and the
// database, its rows and its history stay as they were.
TEST_F(OnSqlite, RebuildViolatingAForeignKeyFailsAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  write("schema/reviews.sql", "CREATE TABLE reviews (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL, body TEXT);\n");
  ASSERT_EQ(ok("plan -m reviews").exit_code, 0);
  ASSERT_EQ(ok("apply").exit_code, 0);
  exec("INSERT INTO reviews VALUES (1, 1, 'fine'), (2, 99, 'orphan');");

  write("schema/reviews.sql",
        "CREATE TABLE reviews (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL REFERENCES books (id), body TEXT);\n");
  ASSERT_EQ(ok("plan -m \"review books\"").exit_code, 0);
  EXPECT_TRUE(contains(slurp_file("migrations/0003_review_books.up.sql"), "\n-- strata:sqlite-foreign-keys-off\n"));
  const std::string database = live_schema();

  const CliOutcome run = strata("apply");
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_TRUE(contains(run.err, "foreign key")) << run.err;
  EXPECT_TRUE(contains(run.err, "0003_review_books")) << run.err;
  EXPECT_EQ(history(), "0001:applied 0002:applied ");
  EXPECT_EQ(live_schema(), database);
  EXPECT_EQ(rows("SELECT id, book_id, body FROM reviews ORDER BY id"), "1|1|fine;2|99|orphan;");
  EXPECT_EQ(rows(kBooks), kBookRows);
  EXPECT_EQ(rows("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%strata_new%'"), "0;");
  EXPECT_TRUE(contains(ok("status").out, "2 applied, 1 pending")) << strata("status").out;

  // Once the orphan is gone, the same migration applies.
  exec("DELETE FROM reviews WHERE id = 2");
  ASSERT_EQ(ok("apply").exit_code, 0);
  EXPECT_EQ(rows("SELECT id, book_id, body FROM reviews ORDER BY id"), "1|1|fine;");
}

// strata.sum exists so that an edit to a migration is reviewed before it is
// re-summed: planning or adding the next migration must not re-sum it.
TEST_F(OnSqlite, PlanAndNewDoNotReSumAnUnreviewedEdit) {
  ASSERT_NO_FATAL_FAILURE(start_project());
  append("migrations/0001_authors_and_books.up.sql", "DELETE FROM books WHERE id = 3;\n");
  ASSERT_EQ(strata("check").exit_code, 1);
  write("schema/schema_extra.sql", table("extra"));
  for (const std::string command : {"plan -m extra", "new -m data"}) {
    const CliOutcome refused = strata(command);
    EXPECT_EQ(refused.exit_code, 2) << command;
    EXPECT_TRUE(contains(refused.err, "migrations/0001_authors_and_books.up.sql: changed since")) << refused.err;
  }
  EXPECT_FALSE(fs::exists(directory_ / "migrations" / "0002_extra.up.sql"));
  const CliOutcome run = strata("check");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.out, "migrations/0001_authors_and_books.up.sql: changed since")) << run.out;
}

}  // namespace
}  // namespace strata
