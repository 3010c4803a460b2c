// Measures planning a change of a large SQLite schema: each phase of
// loading the previous and the desired schema with the SQLite front end and
// planning with plan_sqlite (its offline self-verification included), with
// the peak resident memory after each. Not a test: it prints figures.
//
//   bench/generate_sqlite_schema.py 5000 > previous.sql
//   bench/generate_sqlite_schema.py 5000 --mutate > desired.sql
//   strata_sqlite_plan_benchmark previous.sql desired.sql [--by-kind]
//
// The verification's own steps are then timed again one by one, through the
// same public functions plan_sqlite's verification calls, to show where the
// planning time goes; --by-kind also replays the plan statement by statement
// and sums the time per kind of statement (ALTER TABLE ... ADD COLUMN, ...);
// --subset times a sketch of a cheaper verification (see changed_part).
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cpu_clock.h"
#include "strata/parser/replay.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/planner/plan.h"
#include "strata/schema/compare.h"
#include "strata/schema/error.h"
#include "strata/schema/sqlite_printer.h"

namespace {

using strata::bench::Clock;
using strata::bench::cpu_seconds;
using strata::bench::seconds_since;
using strata::bench::Stopwatch;

// The process's peak resident set so far, in MB (ru_maxrss is in KiB on Linux).
double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw strata::Error("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// One line: the phase's wall-clock and CPU time, the peak RSS after it.
void print_phase(const std::string& name, const Stopwatch& since) {
  const double wall = seconds_since(since.wall_start);
  const double cpu = cpu_seconds() - since.cpu_start;
  std::cout << std::left << std::setw(34) << name << std::right << std::fixed << std::setprecision(3) << std::setw(8)
            << wall << " s wall " << std::setw(8) << cpu << " s cpu   peak RSS " << std::setprecision(0) << std::setw(5)
            << peak_rss_mb() << " MB" << std::endl;  // flushed: a large run takes minutes
}

// "ALTER TABLE ADD COLUMN", "CREATE INDEX", "INSERT INTO": the statement's
// first words without the names in them.
std::string statement_kind(const std::string& sql) {
  std::istringstream words(sql);
  std::vector<std::string> first;
  for (std::string word; first.size() < 5 && words >> word;) first.push_back(word);
  if (first.size() >= 5 && first[0] == "ALTER") return "ALTER TABLE " + first[3] + " " + first[4];
  if (first.size() >= 3 && first[1] == "UNIQUE") return first[0] + " " + first[1] + " " + first[2];
  if (first.size() >= 2) return first[0] + " " + first[1];
  return sql;
}

// The plan replayed on the previous schema statement by statement, with the
// CPU time summed per kind of statement.
void print_time_by_kind(const std::string& previous_script, const strata::planner::Plan& plan) {
  std::vector<strata::parser::Warning> warnings;
  const auto replay = strata::parser::sqlite_replay(warnings);
  replay->run({"previous schema", previous_script});
  std::map<std::string, std::pair<int, double>> by_kind;  // kind -> statements, CPU seconds
  for (const auto& statement : plan.statements) {
    const double start = cpu_seconds();
    replay->run({"plan.sql", statement.sql});
    auto& [count, seconds] = by_kind[statement_kind(statement.sql)];
    ++count;
    seconds += cpu_seconds() - start;
  }
  std::cout << "the plan's replay by kind of statement:\n";
  for (const auto& [kind, totals] : by_kind)
    std::cout << "  " << std::left << std::setw(32) << kind << std::right << std::setw(6) << totals.first
              << " statements " << std::fixed << std::setprecision(3) << std::setw(8) << totals.second << " s cpu, "
              << std::setprecision(2) << 1000.0 * totals.second / totals.first << " ms each\n";
}

// Only the tables that differ between the two catalogs, with their indexes:
// a sketch of a cheaper verification, which replays the plan on this part
// of the previous schema alone (SQLite's ALTER TABLE re-reads the whole
// schema, so its cost follows the schema's size). Views and triggers are
// kept whole.
strata::schema::Catalog changed_part(const strata::schema::Catalog& catalog, const strata::schema::Catalog& previous,
                                     const strata::schema::Catalog& desired) {
  std::set<strata::schema::QualifiedName> changed;
  for (const auto& [one, other] : {std::pair{&previous, &desired}, std::pair{&desired, &previous}}) {
    for (const auto& [name, table] : one->tables)
      if (const auto match = other->tables.find(name); match == other->tables.end() || !(match->second == table))
        changed.insert(name);
    for (const auto& [name, index] : one->indexes)
      if (const auto match = other->indexes.find(name); match == other->indexes.end() || !(match->second == index))
        changed.insert(index.table);
  }
  strata::schema::Catalog part = catalog;
  std::erase_if(part.tables, [&](const auto& entry) { return !changed.contains(entry.first); });
  std::erase_if(part.indexes, [&](const auto& entry) { return !changed.contains(entry.second.table); });
  return part;
}

void print_subset_verification(const strata::schema::Catalog& previous, const strata::schema::Catalog& desired,
                               const strata::planner::Plan& plan) {
  std::cout << "sketch: the verification on the changed tables only:\n";
  Stopwatch phase;
  const auto previous_part = changed_part(previous, previous, desired);
  const auto desired_part = changed_part(desired, previous, desired);
  std::vector<strata::parser::Warning> warnings;
  const auto replay = strata::parser::sqlite_replay(warnings);
  replay->run({"previous schema", strata::schema::sqlite_catalog_sql(previous_part)});
  print_phase("  replay previous (" + std::to_string(previous_part.tables.size()) + " tables)", phase);
  phase = Stopwatch{};
  replay->run({"plan.sql", plan.sql()});
  print_phase("  replay plan", phase);
  phase = Stopwatch{};
  const auto differences = strata::schema::differences(replay->catalog(), desired_part);
  print_phase("  read back and compare", phase);
  std::cout << "  " << (differences.empty() ? "reaches" : "does NOT reach") << " the desired tables\n";
}

int run(const std::string& previous_path, const std::string& desired_path, bool by_kind, bool subset) {
  const std::string previous_text = read_file(previous_path);
  const std::string desired_text = read_file(desired_path);
  std::vector<strata::parser::Warning> warnings;

  Stopwatch phase;
  const auto previous = strata::parser::load_sqlite_schema({{previous_path, previous_text}}, warnings);
  print_phase("load previous", phase);

  phase = Stopwatch{};
  const auto desired = strata::parser::load_sqlite_schema({{desired_path, desired_text}}, warnings);
  print_phase("load desired", phase);

  strata::planner::PlanOptions options;
  options.allow_destructive = true;  // the generated change drops tables and columns
  phase = Stopwatch{};
  const auto plan = strata::planner::plan_sqlite(previous, desired, options);
  print_phase("plan (incl. self-verification)", phase);

  std::size_t rebuilds = 0;
  for (const auto& statement : plan.statements)
    if (statement.sql.starts_with("INSERT INTO \"_strata_new_") ||
        statement.sql.starts_with("INSERT INTO _strata_new_"))
      ++rebuilds;
  const std::string plan_sql = plan.sql();
  std::cout << "previous " << previous_text.size() << " bytes, " << previous.tables.size() << " tables; desired "
            << desired_text.size() << " bytes, " << desired.tables.size() << " tables\n"
            << "plan " << plan.statements.size() << " statements (" << rebuilds << " table rebuilds), "
            << plan_sql.size() << " bytes\n";

  // plan_sqlite's verification, step by step: the previous catalog printed
  // and replayed in an in-memory database, the plan run there, the catalog
  // read back and compared with the desired one.
  std::cout << "the verification's steps, timed again one by one:\n";
  phase = Stopwatch{};
  const std::string previous_script = strata::schema::sqlite_catalog_sql(previous);
  print_phase("  print previous catalog", phase);
  std::vector<strata::parser::Warning> replay_warnings;
  const auto replay = strata::parser::sqlite_replay(replay_warnings);
  phase = Stopwatch{};
  replay->run({"previous schema", previous_script});
  print_phase("  replay previous", phase);
  phase = Stopwatch{};
  replay->run({"plan.sql", plan_sql});
  print_phase("  replay plan", phase);
  phase = Stopwatch{};
  const auto reached = replay->catalog();
  print_phase("  read catalog back", phase);
  phase = Stopwatch{};
  const auto differences = strata::schema::differences(reached, desired);
  print_phase("  compare with desired", phase);
  if (!differences.empty()) throw strata::Error("the replayed plan differs from the desired schema");
  if (by_kind) print_time_by_kind(previous_script, plan);
  if (subset) print_subset_verification(previous, desired, plan);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool by_kind = false;
  bool subset = false;
  for (int i = 3; i < argc; ++i) {
    const std::string option = argv[i];
    by_kind = by_kind || option == "--by-kind";
    subset = subset || option == "--subset";
    if (option != "--by-kind" && option != "--subset") argc = 0;
  }
  if (argc < 3) {
    std::cerr << "usage: strata_sqlite_plan_benchmark PREVIOUS.sql DESIRED.sql [--by-kind] [--subset]\n";
    return 2;
  }
  try {
    return run(argv[1], argv[2], by_kind, subset);
  } catch (const strata::Error& error) {
    std::cerr << error.render() << "\n";
    return 2;
  }
}
