// Golden cases: tests/planner/cases/<name>/ holds previous.sql, desired.sql,
// optionally options.txt (one PlanOptions flag per line: allow_destructive,
// foreign_keys_not_valid, concurrent_indexes, rename OLD=NEW), and either expected.sql (the
// plan's SQL) or expected_error.txt (the message of the refusal).
// STRATA_UPDATE_GOLDEN=1 rewrites the expected files from the planner's output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "strata/parser/interpreter.h"
#include "strata/planner/plan.h"

namespace strata::planner {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

schema::Catalog load(const fs::path& path) {
  std::vector<parser::Warning> warnings;
  return parser::load_postgres_schema({{path.string(), read(path)}}, warnings);
}

PlanOptions options_of(const fs::path& directory) {
  PlanOptions options;
  std::istringstream lines(read(directory / "options.txt"));
  for (std::string line; std::getline(lines, line);) {
    if (line == "allow_destructive") options.allow_destructive = true;
    else if (line == "foreign_keys_not_valid") options.foreign_keys_not_valid = true;
    else if (line == "concurrent_indexes") options.concurrent_indexes = true;
    else if (line.starts_with("rename ") && line.find('=') != std::string::npos)
      options.renames.emplace_back(line.substr(7, line.find('=') - 7), line.substr(line.find('=') + 1));
    else if (line.starts_with("backfill ") && line.find('=') != std::string::npos)
      options.backfills.emplace(line.substr(9, line.find('=') - 9), line.substr(line.find('=') + 1));
    else if (!line.empty()) ADD_FAILURE() << directory / "options.txt" << ": unknown option " << line;
  }
  return options;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(STRATA_PLANNER_CASES_DIR))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class PlannerGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(PlannerGolden, PlansTheExpectedStatements) {
  const fs::path directory = fs::path(STRATA_PLANNER_CASES_DIR) / GetParam();
  const schema::Catalog previous = load(directory / "previous.sql");
  const schema::Catalog desired = load(directory / "desired.sql");
  const PlanOptions options = options_of(directory);
  const bool update = std::getenv("STRATA_UPDATE_GOLDEN") != nullptr;

  std::string actual;
  fs::path expected_file = directory / "expected.sql";
  try {
    actual = plan_postgres(previous, desired, options).sql();
  } catch (const DestructiveChange& refusal) {
    actual = refusal.message() + "\n";
    expected_file = directory / "expected_error.txt";
  } catch (const MissingBackfill& refusal) {
    actual = refusal.message() + "\n";
    expected_file = directory / "expected_error.txt";
  }
  if (update) write(expected_file, actual);
  ASSERT_TRUE(fs::exists(expected_file)) << expected_file << " is missing; the plan is:\n" << actual;
  EXPECT_EQ(read(expected_file), actual);
}

// The down plan is checked by the same self-verification.
TEST_P(PlannerGolden, ReversePlanReachesThePreviousSchema) {
  const fs::path directory = fs::path(STRATA_PLANNER_CASES_DIR) / GetParam();
  PlanOptions options = options_of(directory);
  options.allow_destructive = true;
  EXPECT_NO_THROW(reverse_plan(schema::Dialect::Postgres, load(directory / "previous.sql"), load(directory / "desired.sql"), options));
}

TEST_P(PlannerGolden, PlanningTheDesiredSchemaAgainstItselfIsEmpty) {
  const fs::path directory = fs::path(STRATA_PLANNER_CASES_DIR) / GetParam();
  const schema::Catalog desired = load(directory / "desired.sql");
  EXPECT_TRUE(plan_postgres(desired, desired, {}).empty());
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Cases, PlannerGolden, ::testing::ValuesIn(case_names()), test_name);

}  // namespace
}  // namespace strata::planner
