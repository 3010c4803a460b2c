// What plan and status print: the grouped summary for people, --format json
// for tools (parsed back here), and plan's --backfill hints.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "strata_cli.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::CliOutcome;

// A PostgreSQL project whose chain and schema files both hold table t.
class PlanOutput : public testing::StrataCli {
 protected:
  void SetUp() override {
    StrataCli::SetUp();
    ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
    write("schema/schema.sql", "CREATE TABLE t (a int, b text);\n");
    ASSERT_EQ(strata("plan -m t").exit_code, 0);
    write("schema/schema.sql", "CREATE TYPE mood AS ENUM ('sad', 'happy');\nCREATE TABLE t (a int, m mood);\n"
                               "CREATE INDEX t_a ON t (a);\n");
  }
};

TEST_F(PlanOutput, SummaryGroupsTheChangesAndFlagsTheDestructiveOnes) {
  const CliOutcome run = strata("plan -m mood --allow-destructive");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "wrote migrations/0002_mood.up.sql and 0002_mood.down.sql\n"
            "0002_mood: 4 statements, 1 destructive\n"
            "  created: enum public.mood, index public.t_a\n"
            "  altered: add column public.t.m\n"
            "  dropped: column public.t.b (destructive)\n");
}

// A large plan lists 20 objects per group and how many more, but every
// destructive one.
TEST_F(PlanOutput, LongGroupsAreCutButDestructiveChangesAreAllListed) {
  std::string previous = "CREATE TABLE t (a int, b text);\n";
  std::string desired;
  for (int i = 0; i < 25; ++i) {
    previous += "CREATE TABLE old_" + std::to_string(i) + " (id int);\n";
    desired += "CREATE TABLE new_" + std::to_string(i) + " (id int);\n";
  }
  write("schema/schema.sql", previous);
  ASSERT_EQ(strata("plan -m old").exit_code, 0);
  write("schema/schema.sql", desired);
  const CliOutcome run = strata("plan -m new --allow-destructive");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(", table public.new_4 and 5 more\n"), std::string::npos) << run.out;
  const std::string dropped = run.out.substr(run.out.find("  dropped: "));
  for (const std::string table : {"t", "old_0", "old_24"})
    EXPECT_NE(dropped.find("table public." + table + " (destructive)"), std::string::npos) << run.out;
  std::size_t listed = 0;
  for (std::size_t at = dropped.find("(destructive)"); at != std::string::npos; at = dropped.find("(destructive)", at + 1))
    ++listed;
  EXPECT_EQ(listed, 26u) << run.out;
  EXPECT_EQ(dropped.find(" more"), std::string::npos) << run.out;
}

TEST_F(PlanOutput, ConcurrentIndexesAreFlaggedOutsideATransaction) {
  const CliOutcome run = strata("plan -m mood --allow-destructive --concurrent-indexes --check");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find(", 1 outside a transaction\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("index public.t_a (outside a transaction)"), std::string::npos) << run.out;
}

TEST_F(PlanOutput, JsonNamesTheFilesWrittenAndEachStatement) {
  const CliOutcome dry = strata("plan -m mood --allow-destructive --dry-run --format json");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const auto planned = nlohmann::json::parse(dry.out);
  EXPECT_EQ(planned["migration"], "0002_mood");
  EXPECT_EQ(planned["written"], nlohmann::json::array());
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_mood.up.sql"));

  const CliOutcome run = strata("--format json plan -m mood --allow-destructive");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto document = nlohmann::json::parse(run.out);
  EXPECT_EQ(document["migration"], "0002_mood");
  EXPECT_EQ(document["written"],
            nlohmann::json::array({"migrations/0002_mood.up.sql", "migrations/0002_mood.down.sql"}));
  EXPECT_TRUE(fs::exists(directory_ / "migrations/0002_mood.up.sql"));
  ASSERT_EQ(document["statements"].size(), 4U) << run.out;
  EXPECT_EQ(document["statements"], planned["statements"]);
  const auto& statements = document["statements"];
  const auto statement_for = [&](const std::string& change) {
    const auto found = std::find_if(statements.begin(), statements.end(),
                                    [&](const nlohmann::json& statement) { return statement["change"] == change; });
    return found == statements.end() ? nlohmann::json() : *found;
  };
  EXPECT_EQ(statement_for("create enum public.mood"),
            nlohmann::json({{"sql", "CREATE TYPE public.mood AS ENUM ('sad', 'happy')"},
                            {"change", "create enum public.mood"},
                            {"destructive", false},
                            {"transactional", true},
                            {"note", ""}}));
  EXPECT_EQ(statement_for("drop column public.t.b")["destructive"], true);
  EXPECT_EQ(std::count_if(statements.begin(), statements.end(),
                          [](const nlohmann::json& statement) { return statement["destructive"] == true; }),
            1);
  EXPECT_EQ(document["directives"], nlohmann::json({{"no_transaction", false}, {"sqlite_foreign_keys_off", false}}));
  EXPECT_EQ(document["warnings"], nlohmann::json::array());

  const auto nothing = nlohmann::json::parse(strata("plan --format json").out);
  EXPECT_TRUE(nothing["migration"].is_null());
  EXPECT_EQ(nothing["statements"], nlohmann::json::array());
}

TEST_F(PlanOutput, JsonCarriesTheWarningsAndTheRefusalStaysOneLine) {
  write("schema/schema.sql", "CREATE TABLE t (a int, b text);\nDO $$ BEGIN EXECUTE 'SELECT 1'; END $$;\nCREATE TABLE u (c int);\n");
  const CliOutcome run = strata("plan -m u --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const auto document = nlohmann::json::parse(run.out);
  ASSERT_EQ(document["warnings"].size(), 1U) << run.out;
  EXPECT_EQ(document["warnings"][0]["line"], 2);

  write("schema/schema.sql", "CREATE TABLE u (c int);\n");
  const CliOutcome refused = strata("plan -m drop_t --format json");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("public.t"), std::string::npos) << refused.err;
}

TEST_F(PlanOutput, BadFormatAndBadBackfillAreBadInput) {
  const CliOutcome format = strata("plan --format yaml");
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("unknown format \"yaml\""), std::string::npos) << format.err;
  const CliOutcome backfill = strata("plan -m mood --backfill t.c");
  EXPECT_EQ(backfill.exit_code, 2);
  EXPECT_NE(backfill.err.find("--backfill takes TABLE.COLUMN=EXPR"), std::string::npos) << backfill.err;
  EXPECT_FALSE(fs::exists(directory_ / "migrations/0002_mood.up.sql"));
}

class StatusOutput : public testing::StrataCli {};

TEST_F(StatusOutput, JsonNamesEachStateAndUnknownHistoryRows) {
  ASSERT_EQ(strata("init --dialect sqlite").exit_code, 0);
  for (const std::string name : {"one", "two"}) {
    ASSERT_EQ(strata("new -m " + name).exit_code, 0);
  }
  ASSERT_EQ(strata("apply").exit_code, 0);
  fs::remove(directory_ / "migrations/0002_two.up.sql");
  fs::remove(directory_ / "migrations/0002_two.down.sql");
  ASSERT_EQ(strata("hash").exit_code, 0);          // the removal reviewed
  ASSERT_EQ(strata("new -m three").exit_code, 0);  // a new 0002 the database has not seen

  const CliOutcome run = strata("status --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto document = nlohmann::json::parse(run.out);
  ASSERT_EQ(document["migrations"].size(), 2U) << run.out;
  EXPECT_EQ(document["migrations"][0]["state"], "applied");
  EXPECT_EQ(document["migrations"][1]["name"], "three");
  EXPECT_EQ(document["migrations"][1]["state"], "modified");  // the recorded 0002 had another up file
  EXPECT_EQ(document["unknown"], nlohmann::json::array());

  fs::remove(directory_ / "migrations/0002_three.up.sql");
  fs::remove(directory_ / "migrations/0002_three.down.sql");
  const auto unknown = nlohmann::json::parse(strata("status --format json").out);
  ASSERT_EQ(unknown["unknown"].size(), 1U);
  EXPECT_EQ(unknown["unknown"][0]["version"], "0002");
  EXPECT_EQ(unknown["unknown"][0]["name"], "two");
  EXPECT_EQ(unknown["unknown"][0]["state"], "applied");

  fs::remove(directory_ / "app.db");
  const auto fresh = nlohmann::json::parse(strata("status --format json").out);
  EXPECT_EQ(fresh["database_exists"], false);
  EXPECT_EQ(fresh["migrations"][0]["state"], "pending");
  EXPECT_TRUE(fresh["migrations"][0]["applied_at"].is_null());
}

}  // namespace
}  // namespace strata
