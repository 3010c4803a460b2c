// Times planning a change to a generated PostgreSQL schema against
// libpg_query's own protobuf parse of the two texts, the floor DESIGN.md's
// performance targets are stated against. Not a test: it prints figures.
//
//   strata_plan_benchmark [--runs R] [N ...]     (default: 1000 5000 10000)
//
// For each N, generate_postgres_schema.py writes the previous schema (N) and
// the desired one (N --mutate). Each measurement runs in a child process of
// its own, so that its peak RSS is its own: the baseline parses both texts
// one after the other; strata loads them on two threads, then plans with
// plan_postgres, whose diff, order and render are also timed on their own
// (what remains of plan_postgres is the verification replay).
#include <pg_query.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <exception>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cpu_clock.h"
#include "strata/parser/interpreter.h"
#include "strata/planner/diff.h"
#include "strata/planner/order.h"
#include "strata/planner/plan.h"
#include "strata/planner/render_postgres.h"

namespace {

using strata::bench::Clock;
using strata::bench::cpu_seconds;
using strata::bench::seconds_since;

std::string generated_schema(int tables, bool mutated) {
  const std::string command = std::string("python3 ") + STRATA_BENCH_GENERATOR + " " + std::to_string(tables) +
                              (mutated ? " --mutate" : "");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string text;
  std::array<char, 1 << 16> chunk{};
  for (std::size_t read; (read = fread(chunk.data(), 1, chunk.size(), pipe)) > 0;) text.append(chunk.data(), read);
  if (pclose(pipe) != 0) throw std::runtime_error(command + " failed");
  return text;
}

// What one child process measured: its figures (seconds per phase, and the
// plan's statement count) and its peak RSS.
struct Measurement {
  std::vector<double> figures;
  long peak_rss_kb = 0;
};

// Runs `measure` in a child process, which hands its figures back through a
// pipe; wait4 gives the child's own peak RSS.
template <typename Measure>
Measurement in_child(std::size_t figure_count, Measure measure) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    close(fds[0]);
    int status = 0;
    try {
      const std::vector<double> figures = measure();
      const auto bytes = static_cast<ssize_t>(figures.size() * sizeof(double));
      if (write(fds[1], figures.data(), figures.size() * sizeof(double)) != bytes) status = 1;
    } catch (const std::exception& error) {
      std::cerr << "benchmark child failed: " << error.what() << "\n";
      status = 1;
    }
    // Skips freeing the catalogs, which nothing measures.
    _exit(status);
  }
  close(fds[1]);
  Measurement result;
  result.figures.resize(figure_count);
  const auto bytes = static_cast<ssize_t>(figure_count * sizeof(double));
  const bool complete = read(fds[0], result.figures.data(), figure_count * sizeof(double)) == bytes;
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a measurement failed");
  result.peak_rss_kb = usage.ru_maxrss;
  return result;
}

std::vector<double> parse_both(const std::string& previous, const std::string& desired) {
  std::vector<double> seconds;
  for (const std::string* text : {&previous, &desired}) {
    const auto start = Clock::now();
    PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text->c_str());
    seconds.push_back(seconds_since(start));
    const bool failed = parsed.error != nullptr;
    pg_query_free_protobuf_parse_result(parsed);
    if (failed) throw std::runtime_error("libpg_query cannot parse a generated schema");
  }
  return {seconds[0] + seconds[1]};
}

// Seconds per phase (wall), the plan's statement count, and the CPU time of
// load + plan_postgres (both threads).
enum StrataPhase : std::size_t { Load, Diff, Order, Render, PlanPostgres, Statements, StrataCpu, StrataPhases };

std::vector<double> plan_with_strata(const std::string& previous_text, const std::string& desired_text) {
  std::vector<double> figures(StrataPhases);
  double cpu_start = cpu_seconds();
  auto start = Clock::now();
  strata::schema::Catalog previous;
  std::vector<strata::parser::Warning> previous_warnings;
  // The two sides are independent until the diff.
  std::exception_ptr previous_failure;
  std::thread previous_loader([&] {
    try {
      previous = strata::parser::load_postgres_schema({{"previous.sql", previous_text}}, previous_warnings);
    } catch (...) {
      previous_failure = std::current_exception();
    }
  });
  std::vector<strata::parser::Warning> desired_warnings;
  const strata::schema::Catalog desired =
      strata::parser::load_postgres_schema({{"desired.sql", desired_text}}, desired_warnings);
  previous_loader.join();
  if (previous_failure) std::rethrow_exception(previous_failure);
  figures[Load] = seconds_since(start);
  figures[StrataCpu] = cpu_seconds() - cpu_start;

  strata::planner::PlanOptions options;
  options.allow_destructive = true;
  start = Clock::now();
  std::vector<strata::planner::Change> changes = strata::planner::diff(previous, desired, options);
  figures[Diff] = seconds_since(start);
  start = Clock::now();
  changes = strata::planner::order(std::move(changes), desired);
  figures[Order] = seconds_since(start);
  start = Clock::now();
  std::size_t rendered = 0;
  for (const auto& change : changes) rendered += strata::planner::render_postgres(change, options).size();
  figures[Render] = seconds_since(start);
  changes.clear();

  cpu_start = cpu_seconds();
  start = Clock::now();
  const strata::planner::Plan plan = strata::planner::plan_postgres(previous, desired, options);
  figures[PlanPostgres] = seconds_since(start);
  figures[StrataCpu] += cpu_seconds() - cpu_start;
  if (plan.statements.size() != rendered) throw std::runtime_error("plan_postgres rendered other statements");
  figures[Statements] = static_cast<double>(plan.statements.size());
  return figures;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

struct Row {
  int tables = 0;
  double megabytes = 0;
  std::size_t statements = 0;
  std::vector<Measurement> parses;
  std::vector<Measurement> plans;
};

// One table of figures, each the median (or the minimum) over the runs.
void print_table(const std::vector<Row>& rows, const char* statistic, double (*pick)(std::vector<double>)) {
  std::cout << "\n" << statistic << " over the runs, seconds:\n"
            << "| tables | SQL (both) | statements | libpg_query parse | strata load (2 threads) | diff | order | "
               "render | verify | strata total | ratio | strata CPU | CPU ratio | parse peak RSS | strata peak RSS |\n"
            << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const Row& row : rows) {
    auto phase = [&](std::size_t index) {
      std::vector<double> values;
      for (const auto& plan : row.plans) values.push_back(plan.figures[index]);
      return pick(values);
    };
    auto peak_mb = [&](const std::vector<Measurement>& runs) {
      long peak = 0;
      for (const auto& run : runs) peak = std::max(peak, run.peak_rss_kb);
      return static_cast<double>(peak) / 1024;
    };
    std::vector<double> parse_seconds;
    std::vector<double> totals;
    std::vector<double> verifies;
    for (const auto& parse : row.parses) parse_seconds.push_back(parse.figures[0]);
    for (const auto& plan : row.plans) {
      totals.push_back(plan.figures[Load] + plan.figures[PlanPostgres]);
      verifies.push_back(plan.figures[PlanPostgres] - plan.figures[Diff] - plan.figures[Order] - plan.figures[Render]);
    }
    const double parse = pick(parse_seconds);
    const double total = pick(totals);
    std::cout << std::fixed << std::setprecision(3) << "| " << row.tables << " | " << std::setprecision(1)
              << row.megabytes << " MB | " << row.statements << " | " << std::setprecision(3) << parse << " | "
              << phase(Load) << " | " << phase(Diff) << " | " << phase(Order) << " | " << phase(Render) << " | "
              << pick(verifies) << " | " << total << " | " << std::setprecision(2) << total / parse << " | "
              << std::setprecision(3) << phase(StrataCpu) << " | " << std::setprecision(2)
              << phase(StrataCpu) / parse << " | " << std::setprecision(0) << peak_mb(row.parses) << " MB | " << peak_mb(row.plans) << " MB |\n";
  }
}

double minimum(std::vector<double> values) { return *std::min_element(values.begin(), values.end()); }

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::stoi(argv[++i]));
    } else if (!argument.empty() && std::isdigit(static_cast<unsigned char>(argument[0]))) {
      sizes.push_back(std::stoi(argument));
    } else {
      std::cerr << "usage: strata_plan_benchmark [--runs R] [N ...]\n";
      return 2;
    }
  }
  if (sizes.empty()) sizes = {1000, 5000, 10000};

  try {
    std::vector<Row> rows;
    for (const int tables : sizes) {
      const std::string previous = generated_schema(tables, false);
      const std::string desired = generated_schema(tables, true);
      Row row{tables, static_cast<double>(previous.size() + desired.size()) / 1e6};
      for (int run = 0; run < runs; ++run) {
        row.parses.push_back(in_child(1, [&] { return parse_both(previous, desired); }));
        row.plans.push_back(in_child(StrataPhases, [&] { return plan_with_strata(previous, desired); }));
        std::cerr << "N=" << tables << " run " << run + 1 << ": parse " << row.parses.back().figures[0]
                  << " s, strata " << row.plans.back().figures[Load] + row.plans.back().figures[PlanPostgres]
                  << " s\n";
      }
      row.statements = static_cast<std::size_t>(row.plans.front().figures[Statements]);
      rows.push_back(std::move(row));
    }
    print_table(rows, "Median", median);
    print_table(rows, "Minimum", minimum);
    std::cout << "\nstrata total = load + plan_postgres; verify = plan_postgres - diff - order - render; ratio = "
                 "strata total / libpg_query parse of both texts (one after the other); strata CPU = user + system time of "
                 "load and plan_postgres on both threads, CPU ratio = strata CPU / that parse (which uses one core). "
                 "Peak RSS: the largest "
                 "over the runs, each run in a process of its own.\n";
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  return 0;
}
