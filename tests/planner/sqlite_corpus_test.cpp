// Every SQLite corpus case (tests/corpus/cases/sqlite) on real database files:
// a database built from current.sql and migrated by the plan reads back the
// same as one built from desired.sql (with the cases' `-- @renamed from=`
// hints); the reverse plan takes it back to what
// current.sql builds; planning desired against itself gives nothing. The plan
// runs as the runtime applier runs it: foreign keys off around one
// transaction when the plan says so, and a foreign key check before commit.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "null_backfills.h"
#include "sqlite_files.h"
#include "strata/parser/sqlite_catalog.h"
#include "strata/parser/rename_hints.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/planner/plan.h"
#include "strata/planner/rename_hints.h"
#include "strata/schema/compare.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::SqliteFile;

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(STRATA_SQLITE_CORPUS_DIR))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string file_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcomes {
  int attempted = 0;
  int converged = 0;
};
Outcomes outcomes;

class PrintOutcomes : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("sqlite planner corpus: %d attempted, %d converged (up, down and idempotent)\n", outcomes.attempted,
                outcomes.converged);
  }
};
const auto* const print_outcomes = ::testing::AddGlobalTestEnvironment(new PrintOutcomes);

class SqliteCorpus : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    directory_ = fs::path(STRATA_SQLITE_CORPUS_DIR) / GetParam();
    current_sql_ = file_text(directory_ / "current.sql");
    desired_sql_ = file_text(directory_ / "desired.sql");
    std::vector<parser::Warning> warnings;
    current_ = parser::load_sqlite_schema({{(directory_ / "current.sql").string(), current_sql_}}, warnings);
    desired_ = parser::load_sqlite_schema({{(directory_ / "desired.sql").string(), desired_sql_}}, warnings);
    options_.allow_destructive = true;
    // desired.sql keeps its `-- @renamed from=` hints once they are planned:
    // against itself, none applies.
    const auto hints =
        parser::read_rename_hints(schema::Dialect::Sqlite, {{(directory_ / "desired.sql").string(), desired_sql_}});
    options_.renames = planner::applicable_renames(current_, hints);
    settled_options_.renames = planner::applicable_renames(desired_, hints);
  }

  fs::path directory_;
  std::string current_sql_;
  std::string desired_sql_;
  schema::Catalog current_;
  schema::Catalog desired_;
  planner::PlanOptions options_;
  planner::PlanOptions settled_options_;
};

TEST_P(SqliteCorpus, ConvergesBothWaysAndIsIdempotent) {
  ++outcomes.attempted;
  const planner::Plan up = testing::plan_with_null_backfills(schema::Dialect::Sqlite, current_, desired_, options_);
  const planner::Plan down = planner::reverse_plan(schema::Dialect::Sqlite, current_, desired_, options_);

  const SqliteFile migrated("migrated");
  migrated.execute(current_sql_);
  migrated.apply(up);
  const SqliteFile built("built");
  built.execute(desired_sql_);
  EXPECT_EQ(schema::differences(migrated.catalog(), built.catalog(), "migrated", "built from desired"),
            std::vector<std::string>{})
      << up.sql();

  migrated.apply(down);
  const SqliteFile original("original");
  original.execute(current_sql_);
  EXPECT_EQ(schema::differences(migrated.catalog(), original.catalog(), "migrated back", "built from current"),
            std::vector<std::string>{})
      << down.sql();

  EXPECT_TRUE(planner::plan_sqlite(desired_, desired_, settled_options_).empty());
  EXPECT_TRUE(planner::plan_sqlite(current_, current_, {}).empty());
  if (!HasFailure()) ++outcomes.converged;
}

INSTANTIATE_TEST_SUITE_P(Cases, SqliteCorpus, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace strata
