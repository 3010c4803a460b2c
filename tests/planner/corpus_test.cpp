// Convergence on a real PostgreSQL 15 server, for every corpus case whose two
// files run there and that the front end reproduces: a database built from
// current.sql and migrated by the plan reads back (runtime::inspect_postgres)
// the same as one built from desired.sql; the reverse plan takes a database
// built from desired.sql back to current; planning desired against itself
// gives nothing.
#include <gtest/gtest.h>

#include <map>

#include "corpus.h"
#include "null_backfills.h"
#include "strata/parser/interpreter.h"
#include "strata/planner/plan.h"
#include "strata/planner/rename_hints.h"
#include "strata/runtime/postgres_connection.h"
#include "strata/runtime/postgres_inspect.h"
#include "strata/schema/compare.h"
#include "strata/schema/names.h"

namespace strata {
namespace {


using testing::CorpusCase;

// Cases whose current and desired files both run on a stock PostgreSQL 15.
std::vector<CorpusCase> runnable_cases() {
  std::vector<CorpusCase> cases;
  for (auto& corpus_case : testing::runnable_postgres_cases(STRATA_CORPUS_DIR))
    if (corpus_case.current_runs && corpus_case.desired_runs) cases.push_back(std::move(corpus_case));
  return cases;
}

// case -> why the planner does not converge on it yet.
const std::map<std::string, std::string>& planner_known_failures() {
  static const auto failures = testing::read_known_failures(STRATA_PLANNER_KNOWN_FAILURES);
  return failures;
}

// case/file -> why the front end does not reproduce that file yet.
const std::map<std::string, std::string>& front_end_known_failures() {
  static const auto failures = testing::read_known_failures(STRATA_CORPUS_KNOWN_FAILURES);
  return failures;
}

// The outcomes of this run (of this shard), printed at the end.
struct Outcomes {
  int attempted = 0;
  int converged = 0;
  int refused = 0;
  int wrong = 0;
  int known = 0;
  int front_end = 0;
  int reordered = 0;  // tables left with their columns in another order, as the plan notes
};
Outcomes outcomes;

class PrintOutcomes : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("planner corpus: %d attempted, %d converged, %d refused, %d wrong, %d known failures, "
                "%d not loaded by the front end; %d tables left with their columns in another order, as noted\n",
                outcomes.attempted, outcomes.converged, outcomes.refused, outcomes.wrong, outcomes.known,
                outcomes.front_end, outcomes.reordered);
  }
};
[[maybe_unused]] ::testing::Environment* const print_outcomes =
    ::testing::AddGlobalTestEnvironment(new PrintOutcomes);  // gtest takes ownership

std::vector<parser::SourceFile> files_of(const CorpusCase& corpus_case, const std::string& file) {
  return testing::files_of(STRATA_CORPUS_DIR, corpus_case, file);
}

// A fresh database with the files run as written.
runtime::PostgresConnection database_from(const std::vector<parser::SourceFile>& files) {
  runtime::PostgresConnection connection = testing::fresh_corpus_database();
  testing::run_files(connection, files);
  return connection;
}

bool notes(const planner::Plan& plan, const std::string& text) {
  return std::any_of(plan.statements.begin(), plan.statements.end(),
                     [&](const auto& statement) { return statement.note.find(text) != std::string::npos; });
}

// How the database `plan` migrated differs from `target`. PostgreSQL adds
// columns at the end: a table whose columns end up in another order is
// right when the plan says so (schema::with_column_order_of).
std::string differences_text(const schema::Catalog& migrated, const schema::Catalog& target,
                             const planner::Plan& plan) {
  std::string text;
  for (const auto& [name, table] : migrated.tables) {
    const auto wanted = target.tables.find(name);
    if (wanted == target.tables.end() || table.columns == wanted->second.columns) continue;
    const schema::Table reordered = schema::with_column_order_of(migrated, target).tables.at(name);
    if (reordered.columns != wanted->second.columns) continue;  // another difference, reported below
    if (!notes(plan, "the columns of " + schema::qualified_sql(name) + " end up in the order"))
      text += "  table " + schema::qualified_sql(name) + ": column order differs, and the plan does not say so\n";
    else
      ++outcomes.reordered;
  }
  for (const auto& difference : schema::differences(schema::with_column_order_of(migrated, target), target))
    text += "  " + difference + "\n";
  return text;
}

// Runs the plan statement by statement; empty when the server takes every
// statement, otherwise the one it refuses and the whole plan.
std::string apply(runtime::PostgresConnection& connection, const planner::Plan& plan) {
  for (const auto& statement : plan.statements) {
    try {
      connection.exec(statement.sql);
    } catch (const std::exception& error) {
      return "the server rejects " + statement.sql + ": " + error.what() + "\nplan:\n" + plan.sql();
    }
  }
  return {};
}

// Builds a database from current.sql and one from desired.sql, migrates the
// first with `plan` and the second with `reverse`; empty when each then reads
// back as the other did, otherwise what differs.
std::string convergence_failure(const std::vector<parser::SourceFile>& current_files,
                                const std::vector<parser::SourceFile>& desired_files, const planner::Plan& plan,
                                const planner::Plan& reverse) {
  runtime::PostgresConnection migrated = database_from(current_files);
  const schema::Catalog current_read_back = runtime::inspect_postgres(migrated);
  runtime::PostgresConnection reverted = database_from(desired_files);
  const schema::Catalog desired_read_back = runtime::inspect_postgres(reverted);

  if (auto failure = apply(migrated, plan); !failure.empty()) return failure;
  if (auto up = differences_text(runtime::inspect_postgres(migrated), desired_read_back, plan); !up.empty())
    return "migrated vs desired:\n" + up + "plan:\n" + plan.sql();
  if (auto failure = apply(reverted, reverse); !failure.empty()) return failure;
  if (auto down = differences_text(runtime::inspect_postgres(reverted), current_read_back, reverse); !down.empty())
    return "reverted vs current:\n" + down + "reverse plan:\n" + reverse.sql();
  return {};
}

class PlannerCorpus : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(PlannerCorpus, PlanConvergesOnTheServer) {
  const CorpusCase& param = GetParam();
  if (const auto failure = planner_known_failures().find(param.name); failure != planner_known_failures().end()) {
    ++outcomes.known;
    GTEST_SKIP() << "known failure: " << failure->second;
  }
  for (const char* file : {"current", "desired"})
    if (const auto failure = front_end_known_failures().find(param.name + "/" + file);
        failure != front_end_known_failures().end()) {
      ++outcomes.front_end;
      GTEST_SKIP() << "the front end does not reproduce " << file << ".sql: " << failure->second;
    }

  const auto current_files = files_of(param, "current");
  const auto desired_files = files_of(param, "desired");
  schema::Catalog current;
  schema::Catalog desired;
  try {
    std::vector<parser::Warning> warnings;
    current = parser::load_postgres_schema(current_files, warnings);
    desired = parser::load_postgres_schema(desired_files, warnings);
  } catch (const Error& error) {
    ++outcomes.front_end;
    GTEST_SKIP() << "the front end rejects the case: " << error.render();
  }

  ++outcomes.attempted;
  planner::PlanOptions options{.allow_destructive = true};
  // desired.sql keeps its hints once they are planned: against itself, none applies.
  planner::PlanOptions settled_options = options;
  planner::Plan plan;
  planner::Plan reverse;
  try {
    if (param.rename_hints) {
      const auto hints = parser::read_rename_hints(schema::Dialect::Postgres, desired_files);
      options.renames = planner::applicable_renames(current, hints);
      settled_options.renames = planner::applicable_renames(desired, hints);
    }
    plan = testing::plan_with_null_backfills(schema::Dialect::Postgres, current, desired, options);
    reverse = planner::reverse_plan(schema::Dialect::Postgres, current, desired, options);
  } catch (const planner::VerificationError& error) {
    ++outcomes.wrong;
    FAIL() << error.what();
  } catch (const Error& error) {
    ++outcomes.refused;
    FAIL() << "refused: " << error.what();
  }
  EXPECT_TRUE(planner::plan_postgres(desired, desired, settled_options).empty());

  const std::string failure = convergence_failure(current_files, desired_files, plan, reverse);
  ++(failure.empty() ? outcomes.converged : outcomes.wrong);
  EXPECT_TRUE(failure.empty()) << failure;
}

std::string test_name(const ::testing::TestParamInfo<CorpusCase>& info) {
  std::string name = info.param.name;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Postgres15, PlannerCorpus, ::testing::ValuesIn(runnable_cases()), test_name);

}  // namespace
}  // namespace strata
