// strata diff through the executable: each kind of source on either side,
// offline, and drift between a live PostgreSQL database and the schema files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "postgres_cluster.h"
#include "strata/runtime/postgres_connection.h"
#include "strata_cli.h"

namespace strata {
namespace {

using testing::CliOutcome;

class Diff : public testing::StrataCli {};

TEST_F(Diff, FileToFilePrintsTheStatementsAndNothingForTheSameSchema) {
  write("a.sql", "CREATE TABLE t (a int);\n");
  write("b.sql", "CREATE TABLE t (a int, b text);\nCREATE INDEX t_a ON t (a);\n");
  const CliOutcome run = strata("--dialect postgres diff --from a.sql --to b.sql");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "ALTER TABLE public.t ADD COLUMN b text;\nCREATE INDEX t_a ON public.t (a);\n");

  const CliOutcome same = strata("diff --from b.sql --to b.sql --dialect postgres");
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.out, "-- the two schemas are the same: nothing to do\n");
}

// diff prints one script: where plan would start a new migration, a note
// says to commit first.
TEST_F(Diff, AUseOfAnAddedEnumValueIsMarkedAsANewStep) {
  write("a.sql", "CREATE TYPE mood AS ENUM ('sad');\nCREATE TABLE t (m mood DEFAULT 'sad');\n");
  write("b.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE t (m mood DEFAULT 'ok');\n");
  const CliOutcome run = strata("--dialect postgres diff --from a.sql --to b.sql");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto added = run.out.find("ADD VALUE 'ok'");
  const auto note = run.out.find("-- commit the statements above before these");
  const auto used = run.out.find("SET DEFAULT 'ok'");
  ASSERT_NE(note, std::string::npos) << run.out;
  EXPECT_LT(added, note);
  EXPECT_LT(note, used);
}

TEST_F(Diff, DirectoryOfSqlFilesToAFile) {
  write("schema/1_types.sql", "CREATE TYPE mood AS ENUM ('sad', 'happy');\n");
  write("schema/2_tables.sql", "CREATE TABLE t (a int, m mood);\n");
  write("next.sql", "CREATE TYPE mood AS ENUM ('sad', 'happy');\nCREATE TABLE t (a int, m mood);\nCREATE TABLE u (b int);\n");
  const CliOutcome run = strata("--dialect postgres diff --from schema --to next.sql");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("CREATE TABLE public.u"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("CREATE TYPE"), std::string::npos) << run.out;
}

TEST_F(Diff, MigrationsHeadToSchemaFilesRefusesDestructiveChangesUnlessAllowed) {
  ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
  write("migrations/0001_t.up.sql", "CREATE TABLE t (a int, gone text);\n");
  write("migrations/0001_t.down.sql", "DROP TABLE t;\n");
  ASSERT_EQ(strata("hash").exit_code, 0);
  write("schema/schema.sql", "CREATE TABLE t (a int);\n");

  const CliOutcome refused = strata("diff --from migrations --to schema/");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("gone"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");
  const CliOutcome allowed = strata("diff --from migrations --to schema/ --allow-destructive");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(allowed.out.find("ALTER TABLE public.t DROP COLUMN gone;"), std::string::npos) << allowed.out;
  EXPECT_NE(allowed.out.find("-- destructive: drop column public.t.gone"), std::string::npos) << allowed.out;

  const CliOutcome added = strata("diff --from schema --to migrations");
  EXPECT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(added.out, "ALTER TABLE public.t ADD COLUMN gone text;\n");
}

TEST_F(Diff, BadSourcesAreBadInputWithOneClearLine) {
  write("b.sql", "CREATE TABLE t (a int);\n");
  const CliOutcome missing = strata("--dialect postgres diff --from missing.sql --to b.sql");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err.substr(0, missing.err.find(':')), "--from missing.sql") << missing.err;
  EXPECT_NE(missing.err.find("no such file or directory"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.out, "");

  write("notes.txt", "hello\n");
  const CliOutcome text = strata("--dialect postgres diff --from b.sql --to notes.txt");
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_NE(text.err.find("--to notes.txt: not a .sql file"), std::string::npos) << text.err;

  EXPECT_EQ(strata("--dialect postgres diff --from b.sql").exit_code, 2);  // --to is required
  const CliOutcome no_database = strata("diff --from sqlite:nowhere.db --to b.sql");
  EXPECT_EQ(no_database.exit_code, 2);
  EXPECT_NE(no_database.err.find("does not exist"), std::string::npos) << no_database.err;

  write("broken.sql", "CREATE TABLE t (a int,, b int);\n");
  const CliOutcome broken = strata("--dialect postgres diff --from b.sql --to broken.sql");
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_EQ(broken.err.rfind("broken.sql:1:", 0), 0U) << broken.err;
}

TEST_F(Diff, JsonListsTheStatementsForTools) {
  write("a.sql", "CREATE TABLE t (a int, b text);\n");
  write("b.sql", "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\n");
  const CliOutcome run = strata("--dialect postgres --format json diff --from a.sql --to b.sql --allow-destructive");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto document = nlohmann::json::parse(run.out);
  EXPECT_EQ(document["dialect"], "postgres");
  EXPECT_EQ(document["same"], false);
  ASSERT_EQ(document["statements"].size(), 2U) << run.out;
  const auto& drop = document["statements"][0];
  EXPECT_EQ(drop["sql"], "ALTER TABLE public.t DROP COLUMN b");
  EXPECT_EQ(drop["change"], "drop column public.t.b");
  EXPECT_EQ(drop["destructive"], true);
  EXPECT_EQ(drop["transactional"], true);
  EXPECT_EQ(document["statements"][1]["destructive"], false);
  EXPECT_EQ(document["directives"]["no_transaction"], false);
  EXPECT_EQ(document["warnings"], nlohmann::json::array());

  const auto same = nlohmann::json::parse(strata("--dialect postgres diff --from a.sql --to a.sql --format json").out);
  EXPECT_EQ(same["same"], true);
  EXPECT_EQ(same["statements"], nlohmann::json::array());
}

TEST_F(Diff, BackfillMustNameATableAndColumn) {
  write("a.sql", "CREATE TABLE t (a int);\n");
  for (const std::string_view hint : {"t=0", "t.c", "t.c=", ".c=1", "a.b.c.d=1"}) {
    const CliOutcome run = strata("--dialect postgres diff --from a.sql --to a.sql --backfill '" + std::string(hint) + "'");
    EXPECT_EQ(run.exit_code, 2) << hint;
    EXPECT_NE(run.err.find("--backfill takes TABLE.COLUMN=EXPR"), std::string::npos) << run.err;
  }
  const CliOutcome twice = strata("--dialect postgres diff --from a.sql --to a.sql --backfill t.c=1 --backfill public.t.c=2");
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("--backfill names public.t.c twice"), std::string::npos) << twice.err;
}

TEST_F(Diff, ANewNotNullColumnTakesItsBackfill) {
  write("a.sql", "CREATE TABLE t (a int);\n");
  write("b.sql", "CREATE TABLE t (a int, c int NOT NULL);\n");
  const CliOutcome missing = strata("--dialect postgres diff --from a.sql --to b.sql");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--backfill"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("public.t.c"), std::string::npos) << missing.err;
  // The expression may hold '=' itself.
  const CliOutcome given = strata("--dialect postgres diff --from a.sql --to b.sql --backfill 't.c=CASE WHEN a = 1 THEN 1 ELSE 0 END'");
  EXPECT_EQ(given.exit_code, 0) << given.err;
  EXPECT_NE(given.out.find("a = 1"), std::string::npos) << given.out;
}

TEST_F(Diff, SqliteFilesAndDatabase) {
  write("a.sql", "CREATE TABLE t (a INTEGER PRIMARY KEY);\n");
  write("b.sql", "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT);\n");
  const CliOutcome files = strata("--dialect sqlite diff --from a.sql --to b.sql");
  EXPECT_EQ(files.exit_code, 0) << files.err;
  // For the sqlite3 shell: it stops at the first error, inside one transaction.
  EXPECT_EQ(files.out.rfind("-- Run it with: sqlite3 DATABASE < FILE", 0), 0U) << files.out;
  EXPECT_NE(files.out.find(".bail on\nBEGIN IMMEDIATE;\nALTER TABLE t ADD COLUMN b TEXT;\nCOMMIT;\n"), std::string::npos)
      << files.out;

  // A rebuild: foreign keys off around one transaction that a violation
  // fails, its destructive change named once.
  write("c.sql", "CREATE TABLE t (a INTEGER PRIMARY KEY, b INTEGER);\n");
  const CliOutcome rebuild = strata("--dialect sqlite diff --from b.sql --to c.sql --allow-destructive");
  EXPECT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_NE(rebuild.out.find(".bail on\nPRAGMA foreign_keys = OFF;\n"), std::string::npos) << rebuild.out;
  const auto destructive = rebuild.out.find("-- destructive: ");
  EXPECT_NE(destructive, std::string::npos) << rebuild.out;
  EXPECT_EQ(rebuild.out.find("-- destructive: ", destructive + 1), std::string::npos) << rebuild.out;
  EXPECT_NE(rebuild.out.find("PRAGMA foreign_keys = OFF;\nBEGIN IMMEDIATE;\n"), std::string::npos) << rebuild.out;
  EXPECT_NE(rebuild.out.find("FROM pragma_foreign_key_check;\n"), std::string::npos) << rebuild.out;
  EXPECT_TRUE(rebuild.out.ends_with("COMMIT;\nPRAGMA foreign_keys = ON;\n")) << rebuild.out;

  ASSERT_EQ(strata("init --dialect sqlite").exit_code, 0);
  write("migrations/0001_t.up.sql", "CREATE TABLE t (a INTEGER PRIMARY KEY);\n");
  write("migrations/0001_t.down.sql", "DROP TABLE t;\n");
  ASSERT_EQ(strata("hash").exit_code, 0);
  ASSERT_EQ(strata("apply").exit_code, 0);
  // The database's engine sets the dialect, whatever strata.toml says.
  const CliOutcome database = strata("--dialect postgres diff --from app.db --to b.sql");
  EXPECT_EQ(database.exit_code, 0) << database.err;
  EXPECT_NE(database.out.find("ADD COLUMN b TEXT"), std::string::npos) << database.out;
  EXPECT_EQ(strata("diff --from sqlite:app.db --to migrations").out, "-- the two schemas are the same: nothing to do\n");
}

// A project planned and applied to a fresh database of the test cluster.
class Drift : public Diff {
 protected:
  void SetUp() override {
    Diff::SetUp();
    url_ = testing::shared_postgres().create_database();
    ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
    write("schema/schema.sql", "CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL);\n");
    ASSERT_EQ(strata("plan -m people").exit_code, 0);
    ASSERT_EQ(strata("apply --url '" + url_ + "'").exit_code, 0);
  }

  std::string url_;
};

TEST_F(Drift, AColumnAddedByHandIsADropToTheSchemaFiles) {
  const std::string diff = "diff --from '" + url_ + "' --to schema/";
  const CliOutcome clean = strata(diff);
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out, "-- the two schemas are the same: nothing to do\n");

  runtime::PostgresConnection(url_).exec("ALTER TABLE people ADD COLUMN nickname text");
  const CliOutcome refused = strata(diff);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("nickname"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");

  const CliOutcome allowed = strata(diff + " --allow-destructive");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(allowed.out.find("ALTER TABLE public.people DROP COLUMN nickname;"), std::string::npos) << allowed.out;

  // The other way: what to add to the schema files to adopt the change.
  const CliOutcome adopt = strata("diff --from schema/ --to '" + url_ + "'");
  EXPECT_EQ(adopt.exit_code, 0) << adopt.err;
  EXPECT_EQ(adopt.out, "ALTER TABLE public.people ADD COLUMN nickname text;\n");
}

// What the server stores differs in form from what the files say (DEFAULT
// 'fiction' reads back as 'fiction'::public.genre, CHECK (pages > 0) as
// (pages > 0), a serial's default qualified): none of it is drift.
TEST_F(Drift, ADatabaseAppliedFromThePlanHasNoDrift) {
  write("schema/schema.sql", R"(CREATE TYPE genre AS ENUM ('fiction', 'poetry');
CREATE DOMAIN isbn AS text CHECK (length(VALUE) = 13) DEFAULT '0000000000000';
CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (
  id serial PRIMARY KEY,
  title varchar(200) NOT NULL DEFAULT 'untitled',
  genre genre NOT NULL DEFAULT 'fiction',
  isbn isbn DEFAULT '9780000000000',
  tags text[] NOT NULL DEFAULT '{}',
  note text DEFAULT 'none'::text,
  subtitle varchar(50) DEFAULT NULL,
  pages integer NOT NULL DEFAULT 1 CHECK (pages > 0),
  archived boolean NOT NULL DEFAULT false,
  CONSTRAINT sane_length CHECK (pages > 0 AND pages < 100000)
);
CREATE INDEX books_live_title ON books (title) WHERE NOT archived;
CREATE INDEX books_lower_note ON books (lower(note));
CREATE VIEW live_books (id, title) AS SELECT books.id, books.title FROM public.books WHERE NOT books.archived;
)");
  ASSERT_EQ(strata("plan -m books").exit_code, 0);
  ASSERT_EQ(strata("apply --url '" + url_ + "'").exit_code, 0);

  const CliOutcome run = strata("diff --from '" + url_ + "' --to schema/");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "-- the two schemas are the same: nothing to do\n");
}

TEST_F(Drift, StatusAsJson) {
  write("schema/schema.sql", "CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL, age int);\n");
  ASSERT_EQ(strata("plan -m age").exit_code, 0);
  const CliOutcome run = strata("status --format json --url '" + url_ + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto document = nlohmann::json::parse(run.out);
  EXPECT_EQ(document["database_exists"], true);
  ASSERT_EQ(document["migrations"].size(), 2U) << run.out;
  EXPECT_EQ(document["migrations"][0]["version"], "0001");
  EXPECT_EQ(document["migrations"][0]["name"], "people");
  EXPECT_EQ(document["migrations"][0]["state"], "applied");
  EXPECT_TRUE(document["migrations"][0]["applied_at"].is_string());
  EXPECT_EQ(document["migrations"][1]["state"], "pending");
  EXPECT_TRUE(document["migrations"][1]["applied_at"].is_null());
  EXPECT_EQ(document["unknown"], nlohmann::json::array());
}

}  // namespace
}  // namespace strata
