// The strata executable end to end: exit codes, located errors, output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "strata_cli.h"

namespace {

namespace fs = std::filesystem;

using Outcome = strata::testing::CliOutcome;

class Cli : public strata::testing::StrataCli {};

TEST_F(Cli, InspectPrintsCanonicalDdl) {
  write("schema/a.sql", "create table Users (ID serial primary key, email varchar(80) unique);");
  const Outcome run = strata("--dialect postgres inspect");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("CREATE TABLE public.users (\n  id integer DEFAULT nextval('public.users_id_seq'::regclass) NOT NULL,"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("CONSTRAINT users_email_key UNIQUE (email)"), std::string::npos) << run.out;
}

TEST_F(Cli, GlobalOptionsMayFollowTheCommand) {
  write("db/schema.sql", "CREATE TABLE t (a int);");
  const Outcome run = strata("inspect --dialect postgres --schema db");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("CREATE TABLE public.t"), std::string::npos);
}

TEST_F(Cli, SyntaxErrorIsLocatedWithExitCode2) {
  write("schema/a.sql", "CREATE TABLE t (a int);\nCREATE TABLE u (a int,, b int);\n");
  const Outcome run = strata("--dialect postgres inspect");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.substr(0, run.err.find('\n')), "schema/a.sql:2:23: syntax error at or near \",\"");
  EXPECT_EQ(run.out, "");
}

TEST_F(Cli, SemanticErrorIsLocatedWithExitCode2) {
  write("schema/a.sql", "CREATE TABLE t (a int);\n\nALTER TABLE t ADD CONSTRAINT k UNIQUE (missing);\n");
  const Outcome run = strata("--dialect postgres inspect");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.substr(0, run.err.find('\n')), "schema/a.sql:3:1: column \"missing\" named in key does not exist");
}

TEST_F(Cli, ConfigErrorsCarryTheTomlLocation) {
  write("strata.toml", "dialect = \"postgres\"\nschema = [\"schema\"\n");
  const Outcome run = strata("inspect");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("strata.toml:", 0), 0U) << run.err;
}

TEST_F(Cli, UnknownCommandIsBadInput) {
  const Outcome run = strata("frobnicate");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown command \"frobnicate\""), std::string::npos);
}

TEST_F(Cli, InitScaffoldsAProjectAndRefusesToOverwrite) {
  const Outcome run = strata("init --dialect postgres app");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(slurp(directory_ / "app/strata.toml").find("dialect = \"postgres\""), std::string::npos);
  EXPECT_NE(slurp(directory_ / "app/schema/schema.sql").find("CREATE TABLE users"), std::string::npos);
  EXPECT_TRUE(fs::exists(directory_ / "app/migrations/strata.sum"));
  write("app/schema/schema.sql", "-- mine\n");
  const Outcome again = strata("init --dialect postgres app");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already exists"), std::string::npos);
  EXPECT_EQ(slurp(directory_ / "app/schema/schema.sql"), "-- mine\n");
}

// A PostgreSQL project whose schema files and chain both hold table t.
class Project : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
    write("schema/schema.sql", "CREATE TABLE t (a int);\n");
    ASSERT_EQ(strata("new -m \"create t\"").exit_code, 0);
    write("migrations/0001_create_t.up.sql", "CREATE TABLE t (a int);\n");
    write("migrations/0001_create_t.down.sql", "DROP TABLE t;\n");
    ASSERT_EQ(strata("hash").exit_code, 0);
  }
};

TEST_F(Project, CheckPassesWhenEverythingAgrees) {
  const Outcome run = strata("check");
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("ok: 1 migrations"), std::string::npos);
}

TEST_F(Project, CheckReportsAsJsonForTools) {
  write("schema/schema.sql", "CREATE TABLE t (a int);\nDO $$ BEGIN EXECUTE 'SELECT 1'; END $$;\nCREATE TABLE u (b int);\n");
  const Outcome run = strata("check --format json");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("\"ok\": false"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"migrations\": 1"), std::string::npos);
  EXPECT_NE(run.out.find("table public.u: only in the schema files"), std::string::npos);
  EXPECT_NE(run.out.find("\"line\": 2"), std::string::npos);  // the DO block's warning
  EXPECT_EQ(run.err, "");
}

TEST_F(Project, NewWritesTheNextPairWithAHeaderAndUpdatesTheSum) {
  const Outcome run = strata("new -m \"Backfill emails!\"");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string up = slurp(directory_ / "migrations/0002_backfill_emails.up.sql");
  EXPECT_NE(up.find("-- strata migration 0002: Backfill emails!"), std::string::npos) << up;
  EXPECT_NE(up.find("strata:no-transaction"), std::string::npos);  // the documented directives
  EXPECT_TRUE(fs::exists(directory_ / "migrations/0002_backfill_emails.down.sql"));
  EXPECT_EQ(strata("check").exit_code, 0);
}

TEST_F(Project, CheckNamesAHandEditedFileUntilHashIsRun) {
  write("migrations/0001_create_t.up.sql", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n");
  const Outcome edited = strata("check");
  EXPECT_EQ(edited.exit_code, 1);
  EXPECT_NE(edited.out.find("migrations/0001_create_t.up.sql: changed since migrations/strata.sum was written; "
                            "review it, then run strata hash"),
            std::string::npos)
      << edited.out;
  EXPECT_EQ(strata("hash").exit_code, 0);
  EXPECT_EQ(strata("check").exit_code, 0);
}

TEST_F(Project, HashRefusesAMalformedFileAndLeavesTheSumAlone) {
  const std::string sum = slurp(directory_ / "migrations/strata.sum");
  write("migrations/0001_create_t.down.sql", "DROP TABLE t;\nDROP TABLE t t;\n");
  const Outcome run = strata("hash");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.substr(0, run.err.find(':', run.err.find(':') + 1)), "migrations/0001_create_t.down.sql:2") << run.err;
  EXPECT_EQ(slurp(directory_ / "migrations/strata.sum"), sum);
}

TEST_F(Project, CheckFindsADownFileThatDoesNotUndoItsUpFile) {
  write("migrations/0001_create_t.down.sql", "-- forgot\n");
  ASSERT_EQ(strata("hash").exit_code, 0);
  const Outcome run = strata("check");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("0001_create_t.down.sql: does not undo 0001_create_t.up.sql: table public.t: only in after the down file"),
            std::string::npos)
      << run.out;
}

TEST_F(Project, CheckFindsSchemaFilesAheadOfTheChain) {
  write("schema/schema.sql", "CREATE TABLE t (a int);\nCREATE TABLE u (b int);\n");
  const Outcome run = strata("check");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("table public.u: only in the schema files"), std::string::npos) << run.out;
}

TEST_F(Project, CheckNamesTwoMigrationsSharingAVersion) {
  write("migrations/0002_ours.up.sql", "");
  write("migrations/0002_ours.down.sql", "");
  write("migrations/0002_theirs.up.sql", "");
  write("migrations/0002_theirs.down.sql", "");
  const Outcome run = strata("check");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("0002_ours and 0002_theirs share version 0002"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("strata rebase"), std::string::npos);
}

TEST_F(Project, RebaseRenumbersOurMigrationAfterAMerge) {
  // Both branches added a 0002; the sum file holds a merge conflict.
  write("migrations/0002_ours.up.sql", "-- strata migration 0002: ours\n\nCREATE TABLE ours (a int);\n");
  write("migrations/0002_ours.down.sql", "-- strata migration 0002: ours\n\nDROP TABLE ours;\n");
  write("migrations/0002_theirs.up.sql", "CREATE TABLE theirs (a int);\n");
  write("migrations/0002_theirs.down.sql", "DROP TABLE theirs;\n");
  write("migrations/strata.sum", "<<<<<<< HEAD\nsha256:0\n=======\nsha256:1\n>>>>>>> theirs\n");
  write("schema/schema.sql", "CREATE TABLE t (a int);\nCREATE TABLE theirs (a int);\nCREATE TABLE ours (a int);\n");

  const Outcome run = strata("rebase 0002_ours");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("0002_ours -> 0003_ours"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("ok: the schema files match the new head"), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_ours.up.sql"));
  EXPECT_EQ(slurp(directory_ / "migrations/0003_ours.up.sql"), "-- strata migration 0003: ours\n\nCREATE TABLE ours (a int);\n");
  const Outcome check = strata("check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(Project, TwoGitBranchesAddingAMigrationConflictUntilRebased) {
  auto git = [&](const std::string& arguments) {
    const std::string command = "cd '" + directory_.string() +
                                "' && git -c user.name=strata -c user.email=strata@example.com -c init.defaultBranch=main " +
                                arguments + " >git.txt 2>&1";
    return std::system(command.c_str());
  };
  auto add_migration = [&](const std::string& name) {
    ASSERT_EQ(strata("new -m " + name).exit_code, 0);
    write("migrations/0002_" + name + ".up.sql", "CREATE TABLE " + name + " (a int);\n");
    write("migrations/0002_" + name + ".down.sql", "DROP TABLE " + name + ";\n");
    write("schema/" + name + ".sql", "CREATE TABLE " + name + " (a int);\n");
    ASSERT_EQ(strata("hash").exit_code, 0);
  };
  write(".gitignore", "stdout.txt\nstderr.txt\ngit.txt\n");
  ASSERT_EQ(git("init -q && git add -A && git commit -qm base"), 0);
  ASSERT_EQ(git("checkout -qb ours"), 0);
  add_migration("ours");
  ASSERT_EQ(git("add -A && git commit -qm ours"), 0);
  ASSERT_EQ(git("checkout -q main"), 0);
  add_migration("theirs");
  ASSERT_EQ(git("add -A && git commit -qm theirs"), 0);

  EXPECT_NE(git("merge -q ours"), 0);
  EXPECT_NE(slurp(directory_ / "git.txt").find("CONFLICT (content): Merge conflict in migrations/strata.sum"),
            std::string::npos)
      << slurp(directory_ / "git.txt");
  const Outcome merged = strata("check");
  EXPECT_NE(merged.exit_code, 0);
  EXPECT_NE(merged.err.find("0002_ours and 0002_theirs share version 0002"), std::string::npos) << merged.err;

  const Outcome rebased = strata("rebase 0002_ours");
  EXPECT_EQ(rebased.exit_code, 0) << rebased.err;
  EXPECT_EQ(git("add -A && git commit -qm merged"), 0);
  const Outcome check = strata("check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(fs::exists(directory_ / "migrations/0003_ours.up.sql"));
}

TEST_F(Cli, RebaseRefusesAMigrationTheDatabaseRecordsAsApplied) {
  ASSERT_EQ(strata("init --dialect sqlite").exit_code, 0);
  write("schema/schema.sql", "");
  ASSERT_EQ(strata("new -m ours").exit_code, 0);
  ASSERT_EQ(strata("apply").exit_code, 0);
  EXPECT_EQ(strata("rebase 0001_ours").exit_code, 0);  // offline, it renumbers (here: to itself)
  const Outcome run = strata("rebase 0001_ours --url sqlite:app.db");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("recorded as applied"), std::string::npos) << run.out << run.err;
  EXPECT_TRUE(fs::exists(directory_ / "migrations/0001_ours.up.sql"));
}

TEST_F(Project, RebaseRefusesAnUnknownName) {
  const Outcome run = strata("rebase 0009_nothing");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no such migration"), std::string::npos);
}

TEST_F(Cli, SqliteLoopAppliesRollsBackAndReportsStatus) {
  ASSERT_EQ(strata("init --dialect sqlite").exit_code, 0);
  write("schema/schema.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
  ASSERT_EQ(strata("new -m users").exit_code, 0);
  write("migrations/0001_users.up.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nINSERT INTO users (email) VALUES ('a@x');\n");
  write("migrations/0001_users.down.sql", "DROP TABLE users;\n");
  ASSERT_EQ(strata("hash").exit_code, 0);
  ASSERT_EQ(strata("check").exit_code, 0);

  EXPECT_NE(strata("status").out.find("0001_users  pending"), std::string::npos);
  const Outcome applied = strata("apply");
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.out.find("applying 0001_users"), std::string::npos);
  EXPECT_TRUE(fs::exists(directory_ / "app.db"));
  EXPECT_NE(strata("status").out.find("0001_users  applied"), std::string::npos);
  EXPECT_NE(strata("apply").out.find("up to date"), std::string::npos);

  const Outcome down = strata("down --url sqlite:app.db");  // global options after the verb
  EXPECT_EQ(down.exit_code, 0) << down.err;
  EXPECT_NE(strata("status").out.find("0001_users  pending"), std::string::npos);
}

TEST_F(Cli, InspectReadsALiveDatabaseWithoutTheHistoryTable) {
  ASSERT_EQ(strata("init --dialect sqlite").exit_code, 0);
  ASSERT_EQ(strata("new -m users").exit_code, 0);
  write("migrations/0001_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
  ASSERT_EQ(strata("hash").exit_code, 0);
  ASSERT_EQ(strata("apply").exit_code, 0);
  const Outcome run = strata("inspect --url sqlite:app.db");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("CREATE TABLE users"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("strata_migrations"), std::string::npos) << run.out;
  EXPECT_EQ(strata("inspect --url sqlite:missing.db").exit_code, 2);
}

// SQLite compares names without case: STRATA_MIGRATIONS clashes too.
TEST_F(Cli, ASqliteTableNamedLikeTheHistoryTableInAnyCaseIsRefused) {
  ASSERT_EQ(strata("init --dialect sqlite").exit_code, 0);
  write("schema/schema.sql", "CREATE TABLE STRATA_MIGRATIONS (id INTEGER PRIMARY KEY);\n");
  const Outcome run = strata("plan -m clash");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("schema/schema.sql:1:14: table main.\"STRATA_MIGRATIONS\" has the name of strata's history"),
            std::string::npos)
      << run.err;
}

TEST_F(Cli, ABrokenMigrationFailsWithItsLocationAndLeavesNoTrace) {
  ASSERT_EQ(strata("init --dialect sqlite").exit_code, 0);
  ASSERT_EQ(strata("new -m broken").exit_code, 0);
  write("migrations/0001_broken.up.sql", "CREATE TABLE a (x int);\nINSERT INTO nowhere VALUES (1);\n");
  ASSERT_EQ(strata("hash").exit_code, 2);  // the replay already refuses it
  const Outcome run = strata("apply --allow-modified");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("0001_broken.up.sql:2:"), std::string::npos) << run.err;
  EXPECT_NE(strata("status").out.find("0001_broken  pending"), std::string::npos);
}

TEST_F(Cli, DatabaseErrorsExitWith3AndNeverShowPasswords) {
  ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
  const Outcome run = strata("status --url 'postgresql://app:s3cret@127.0.0.1:1/app?connect_timeout=2'");
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(run.err.find("s3cret"), std::string::npos) << run.err;
}

TEST_F(Project, PlanWritesTheNextMigrationAndNothingWhenUpToDate) {
  write("schema/schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'happy');\nCREATE TABLE t (a int, m mood NOT NULL DEFAULT 'sad');\n"
        "CREATE INDEX t_a ON t (a);\n");
  const Outcome check = strata("plan --check");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_mood.up.sql"));

  const Outcome run = strata("plan -m mood");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string up = slurp(directory_ / "migrations/0002_mood.up.sql");
  EXPECT_NE(up.find("-- strata migration 0002: mood"), std::string::npos) << up;
  EXPECT_NE(up.find("CREATE TYPE public.mood AS ENUM ('sad', 'happy');"), std::string::npos) << up;
  EXPECT_NE(up.find("CREATE INDEX t_a ON public.t (a);"), std::string::npos) << up;
  EXPECT_NE(slurp(directory_ / "migrations/0002_mood.down.sql").find("DROP TYPE"), std::string::npos);
  EXPECT_EQ(strata("check").exit_code, 0) << strata("check").out;

  const Outcome again = strata("plan");
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing to plan"), std::string::npos);
  EXPECT_EQ(strata("plan --check").exit_code, 0);

  // An inserted enum value, then a removed one (destructive: refused unless allowed).
  write("schema/schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE TABLE t (a int, m mood NOT NULL DEFAULT 'sad');\n"
        "CREATE INDEX t_a ON t (a);\n");
  ASSERT_EQ(strata("plan -m ok").exit_code, 0);
  EXPECT_NE(slurp(directory_ / "migrations/0003_ok.up.sql").find("ALTER TYPE public.mood ADD VALUE 'ok' AFTER 'sad';"), std::string::npos);
  write("schema/schema.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE t (a int, m mood NOT NULL DEFAULT 'sad');\n"
                             "CREATE INDEX t_a ON t (a);\n");
  const Outcome refused = strata("plan -m no_happy");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("happy"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0004_no_happy.up.sql"));
  EXPECT_EQ(strata("plan -m no_happy --allow-destructive").exit_code, 0);
  EXPECT_EQ(strata("check").exit_code, 0);
}

TEST_F(Project, PlanRenamesOnlyWhenHinted) {
  write("schema/schema.sql", "CREATE TABLE t (b int);\n");
  const Outcome guessed = strata("plan --dry-run");
  EXPECT_EQ(guessed.exit_code, 2) << guessed.out;  // drop a + add b would lose column a
  const Outcome hinted = strata("plan -m rename --rename public.t.a=b");
  EXPECT_EQ(hinted.exit_code, 0) << hinted.err;
  EXPECT_NE(slurp(directory_ / "migrations/0002_rename.up.sql").find("RENAME COLUMN a TO b"), std::string::npos);
}

// NEW is a name in the object's schema: a schema-qualified one is refused, not
// taken as a name holding a dot (which a quoted NEW still gives).
TEST_F(Project, ARenameToAnotherSchemaIsRefused) {
  write("schema/schema.sql", "CREATE SCHEMA s;\nCREATE TABLE s.t (a int);\n");
  const Outcome moved = strata("plan -m move --rename public.t=s.t --allow-destructive");
  EXPECT_EQ(moved.exit_code, 2);  // bad input
  EXPECT_NE(moved.err.find("--rename public.t=s.t: NEW is the new name alone"), std::string::npos) << moved.err;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_move.up.sql"));
  write("schema/schema.sql", "CREATE TABLE \"a.b\" (a int);\n");
  const Outcome dotted = strata("plan -m dotted --rename 'public.t=\"a.b\"'");
  EXPECT_EQ(dotted.exit_code, 0) << dotted.err;
  EXPECT_NE(slurp(directory_ / "migrations/0002_dotted.up.sql").find("ALTER TABLE public.t RENAME TO \"a.b\";"),
            std::string::npos);
}

TEST_F(Project, ATableNamedLikeTheHistoryTableIsRefusedWhereItIsDefined) {
  write("schema/schema.sql", "CREATE TABLE t (a int);\n\nCREATE TABLE Strata_Migrations (id int);\n");
  const Outcome run = strata("plan -m clash");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.substr(0, run.err.find('\n')),
            "schema/schema.sql:3:14: table public.strata_migrations has the name of strata's history table, where "
            "strata apply records the applied migrations: choose another name");
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_clash.up.sql"));
}

TEST_F(Project, PlanFollowsRenameHintsInTheSchemaFilesOnce) {
  write("schema/schema.sql", "CREATE TABLE accounts ( -- @renamed from=t\n  b int -- @renamed from=a\n);\n");
  const Outcome run = strata("plan -m rename");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string up = slurp(directory_ / "migrations/0002_rename.up.sql");
  EXPECT_NE(up.find("ALTER TABLE public.t RENAME TO accounts;\nALTER TABLE public.accounts RENAME COLUMN a TO b;"),
            std::string::npos)
      << up;
  EXPECT_NE(slurp(directory_ / "migrations/0002_rename.down.sql").find("RENAME COLUMN b TO a"), std::string::npos);
  // The hints stay in the file, naming what the chain no longer has.
  const Outcome again = strata("plan");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to plan"), std::string::npos) << again.out;
  EXPECT_EQ(strata("check").exit_code, 0);
}

TEST_F(Project, ARenameHintNextToNothingIsLocated) {
  write("schema/schema.sql", "CREATE TABLE t (\n  -- @renamed from=x\n  a int\n);\n");
  const Outcome run = strata("plan -m misplaced");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("schema/schema.sql:2:3: ", 0), 0U) << run.err;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_misplaced.up.sql"));
}

TEST_F(Cli, HelpListsOnlyCommandsThatExist) {
  const Outcome run = strata("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("inspect"), std::string::npos);
}

}  // namespace
