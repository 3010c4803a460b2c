// Measures the SQLite planner's 12-step table rebuild on a large table
// against the bare copy it is built around (DESIGN.md's performance target:
// within 1.2x of `INSERT INTO new SELECT ... FROM old` on the same file).
// Not a test: it prints figures.
//
// A database file gets a table of --rows rows (mixed column types), an index
// on a column whose order differs from the rowid's, and a trigger. The change
// adds a CHECK constraint, which SQLite's ALTER TABLE cannot do, so
// planner::plan_sqlite rebuilds the table. Each run starts from a fresh copy
// of that file and times:
// - rebuild: the plan applied as the runtime applies it (foreign keys off,
//   one transaction, PRAGMA foreign_key_check, commit);
// - baseline: CREATE TABLE with the desired definition and INSERT INTO it
//   SELECT ... FROM the old table, in one transaction: the copy alone;
// - copy + index: the baseline followed by the same CREATE INDEX on the new
//   table, the least work any rebuild of an indexed table does.
//
//   strata_sqlite_rebuild_benchmark [--rows N] [--runs K] [--dir DIR]
//       [--pragma 'cache_size = -65536'] [--breakdown] [--keep]
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cpu_clock.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/planner/plan.h"
#include "strata/runtime/driver.h"
#include "strata/schema/error.h"

namespace {

namespace fs = std::filesystem;
using strata::bench::Clock;
using strata::bench::cpu_seconds;
using strata::bench::seconds_since;
using strata::bench::Stopwatch;
using strata::runtime::Driver;

// The runs of one operation.
struct Timings {
  std::vector<double> wall;
  std::vector<double> cpu;

  void add(const Stopwatch& since) {
    wall.push_back(seconds_since(since.wall_start));
    cpu.push_back(cpu_seconds() - since.cpu_start);
  }
  // "2.31 / 1.90", the latest run.
  std::string last() const {
    std::ostringstream text;
    text << std::fixed << std::setprecision(2) << wall.back() << " / " << cpu.back();
    return text.str();
  }
};

struct Options {
  long rows = 1'000'000;
  int runs = 5;
  fs::path directory;                // empty: a fresh one under the system's temp dir
  std::vector<std::string> pragmas;  // run on every connection before anything is timed
  bool breakdown = false;            // also time the plan statement by statement
  bool keep = false;                 // leave the files behind
};

// The table being rebuilt; `with_check` is the desired version.
std::string accounts_table_sql(const std::string& name, bool with_check) {
  return "CREATE TABLE " + name +
         " (\n"
         "  id INTEGER PRIMARY KEY,\n"
         "  name TEXT NOT NULL,\n"
         "  email TEXT NOT NULL,\n"
         "  amount REAL NOT NULL DEFAULT 0,\n"
         "  balance_cents INTEGER NOT NULL DEFAULT 0,\n"
         "  created_at TEXT NOT NULL,\n"
         "  active INTEGER NOT NULL DEFAULT 1,\n"
         "  avatar BLOB" +
         std::string(with_check ? ",\n  CHECK (amount >= 0)" : "") + "\n)";
}

constexpr const char* kAccountColumns = "id, name, email, amount, balance_cents, created_at, active, avatar";

std::string schema_sql(bool with_check) {
  return accounts_table_sql("accounts", with_check) +
         ";\n"
         "CREATE INDEX accounts_email_idx ON accounts (email);\n"
         "CREATE TABLE account_audit (\n"
         "  account_id INTEGER NOT NULL,\n"
         "  old_amount REAL,\n"
         "  new_amount REAL,\n"
         "  changed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP\n"
         ");\n"
         "CREATE TRIGGER accounts_amount_audit AFTER UPDATE OF amount ON accounts BEGIN\n"
         "  INSERT INTO account_audit (account_id, old_amount, new_amount) VALUES (old.id, old.amount, new.amount);\n"
         "END;\n";
}

// Deterministic rows; the e-mail order is a permutation of the rowid order
// (7919 is prime to 1000003), so the index build really sorts.
std::string fill_sql(long rows) {
  return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(rows) +
         ")\n"
         "INSERT INTO accounts (" +
         kAccountColumns +
         ")\n"
         "SELECT i, 'customer ' || i, printf('user%07d@example.com', (i * 7919) % 1000003),\n"
         "  (i % 100000) / 100.0, (i * 37) % 1000000, datetime(1700000000 + i, 'unixepoch'), i % 2,\n"
         "  CASE WHEN i % 4 = 0 THEN NULL ELSE zeroblob(24) END\n"
         "FROM n";
}

std::unique_ptr<Driver> open_database(const fs::path& path, const Options& options) {
  auto driver = strata::runtime::open_driver("sqlite:" + path.string());
  for (const auto& pragma : options.pragmas) driver->execute("--pragma", "PRAGMA " + pragma);
  return driver;
}

std::string single_value(Driver& driver, const std::string& sql) {
  const auto rows = driver.query(sql);
  if (rows.empty() || rows.front().empty() || !rows.front().front()) return "NULL";
  return *rows.front().front();
}

// Closes a file descriptor at the end of a scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A fresh copy of the prepared file, on disk before the clock starts: the
// commit's fsync would otherwise also write back the copy.
void fresh_copy(const fs::path& from, const fs::path& to) {
  fs::remove(fs::path(to.string() + "-journal"));
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  const FileDescriptor file(::open(to.c_str(), O_RDONLY));
  if (file.get() < 0 || ::fsync(file.get()) != 0) throw strata::Error("cannot fsync " + to.string());
}

void apply_like_the_runtime(Driver& driver, const strata::planner::Plan& plan) {
  if (plan.sqlite_foreign_keys_off) driver.set_foreign_keys(false);
  driver.begin();
  try {
    driver.execute("plan", plan.sql());
    if (plan.sqlite_foreign_keys_off) driver.check_foreign_keys();
    driver.commit();
  } catch (...) {
    driver.rollback();
    if (plan.sqlite_foreign_keys_off) driver.set_foreign_keys(true);
    throw;
  }
  if (plan.sqlite_foreign_keys_off) driver.set_foreign_keys(true);
}

std::string bare_copy_sql() {
  return accounts_table_sql("accounts_copy", true) + ";\nINSERT INTO accounts_copy (" + kAccountColumns + ") SELECT " +
         kAccountColumns + " FROM accounts";
}

std::string copy_and_index_sql() {
  return bare_copy_sql() + ";\nCREATE INDEX accounts_copy_email_idx ON accounts_copy (email)";
}

void run_in_transaction(Driver& driver, const std::string& sql) {
  driver.begin();
  try {
    driver.execute("baseline", sql);
    driver.commit();
  } catch (...) {
    driver.rollback();
    throw;
  }
}

// The first line of a statement, shortened, to label a timing.
std::string label(const std::string& sql) {
  std::string line = sql.substr(0, sql.find('\n'));
  if (line.size() > 72) line = line.substr(0, 69) + "...";
  return line;
}

// One transaction like the runtime's, with the time of every statement.
void print_breakdown(Driver& driver, const strata::planner::Plan& plan) {
  std::cout << "rebuild, statement by statement:\n";
  driver.set_foreign_keys(false);
  driver.begin();
  std::vector<std::pair<std::string, double>> steps;
  for (const auto& statement : plan.statements) {
    const auto start = Clock::now();
    driver.execute("plan", statement.sql);
    steps.emplace_back(label(statement.sql), seconds_since(start));
  }
  auto start = Clock::now();
  driver.check_foreign_keys();
  steps.emplace_back("PRAGMA foreign_key_check", seconds_since(start));
  start = Clock::now();
  driver.commit();
  steps.emplace_back("COMMIT", seconds_since(start));
  driver.set_foreign_keys(true);
  for (const auto& [what, seconds] : steps)
    std::cout << "  " << std::fixed << std::setprecision(3) << std::setw(7) << seconds << " s  " << what << "\n";
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

Options parse_options(int argc, char** argv) {
  Options options;
  const std::string usage =
      "usage: strata_sqlite_rebuild_benchmark [--rows N] [--runs K] [--dir DIR] [--pragma 'NAME = VALUE']... "
      "[--breakdown] [--keep]";
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const bool has_value = i + 1 < argc;
    if (argument == "--rows" && has_value) {
      options.rows = std::atol(argv[++i]);
    } else if (argument == "--runs" && has_value) {
      options.runs = std::atoi(argv[++i]);
    } else if (argument == "--dir" && has_value) {
      options.directory = argv[++i];
    } else if (argument == "--pragma" && has_value) {
      options.pragmas.emplace_back(argv[++i]);
    } else if (argument == "--breakdown") {
      options.breakdown = true;
    } else if (argument == "--keep") {
      options.keep = true;
    } else {
      throw strata::Error(usage);
    }
  }
  if (options.rows < 1 || options.runs < 1) throw strata::Error(usage);
  return options;
}

// Removes the benchmark's directory at the end unless asked to keep it.
class WorkDirectory {
 public:
  WorkDirectory(fs::path path, bool keep) : path_(std::move(path)), keep_(keep) { fs::create_directories(path_); }
  ~WorkDirectory() {
    std::error_code ignored;
    if (!keep_) fs::remove_all(path_, ignored);
  }
  WorkDirectory(const WorkDirectory&) = delete;
  WorkDirectory& operator=(const WorkDirectory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  bool keep_;
};

int run(const Options& options) {
  const WorkDirectory directory(
      options.directory.empty() ? fs::temp_directory_path() / ("strata-sqlite-rebuild-" + std::to_string(::getpid()))
                                : options.directory,
      options.keep);
  const fs::path prepared = directory.path() / "prepared.db";
  const fs::path work = directory.path() / "work.db";
  fs::remove(prepared);

  auto start = Clock::now();
  {
    const auto driver = open_database(prepared, options);
    driver->execute("schema", schema_sql(false));
    driver->begin();
    driver->execute("rows", fill_sql(options.rows));
    driver->commit();
    std::cout << "sqlite " << single_value(*driver, "SELECT sqlite_version()") << ", page_size "
              << single_value(*driver, "PRAGMA page_size") << ", cache_size "
              << single_value(*driver, "PRAGMA cache_size") << ", journal_mode "
              << single_value(*driver, "PRAGMA journal_mode") << ", synchronous "
              << single_value(*driver, "PRAGMA synchronous") << "\n";
  }
  std::cout << "rows " << options.rows << ", file " << fs::file_size(prepared) / 1'000'000 << " MB, prepared in "
            << std::fixed << std::setprecision(2) << seconds_since(start) << " s\n";

  std::vector<strata::parser::Warning> warnings;
  const auto previous = strata::parser::load_sqlite_schema({{"previous.sql", schema_sql(false)}}, warnings);
  const auto desired = strata::parser::load_sqlite_schema({{"desired.sql", schema_sql(true)}}, warnings);
  start = Clock::now();
  const auto plan = strata::planner::plan_sqlite(previous, desired, {});
  std::cout << "plan_sqlite " << std::setprecision(4) << seconds_since(start) << " s, " << plan.statements.size()
            << " statements, foreign keys off: " << std::boolalpha << plan.sqlite_foreign_keys_off << "\n"
            << plan.sql();

  // Wall-clock time is the figure; this process's CPU time beside it shows
  // how much of a slow run was other processes' load.
  Timings rebuild;
  Timings baseline;
  Timings indexed;
  for (int run_number = 1; run_number <= options.runs; ++run_number) {
    // Interleaving the three spreads any load from other processes over all.
    fresh_copy(prepared, work);
    {
      const auto driver = open_database(work, options);
      const Stopwatch stopwatch;
      apply_like_the_runtime(*driver, plan);
      rebuild.add(stopwatch);
      const auto rows = single_value(*driver, "SELECT count(*) FROM accounts");
      if (rows != std::to_string(options.rows)) throw strata::Error("the rebuilt table has " + rows + " rows");
    }
    for (const auto& [sql, timings] :
         {std::pair{bare_copy_sql(), &baseline}, std::pair{copy_and_index_sql(), &indexed}}) {
      fresh_copy(prepared, work);
      const auto driver = open_database(work, options);
      const Stopwatch stopwatch;
      run_in_transaction(*driver, sql);
      timings->add(stopwatch);
    }
    std::cout << "run " << run_number << " (wall / cpu s): rebuild " << rebuild.last() << ", baseline "
              << baseline.last() << ", copy + index " << indexed.last() << "\n";
  }

  for (const bool best : {true, false}) {
    const auto figure = [best](const std::vector<double>& seconds) {
      return best ? *std::min_element(seconds.begin(), seconds.end()) : median(seconds);
    };
    const double rebuild_wall = figure(rebuild.wall);
    const double baseline_wall = figure(baseline.wall);
    const double indexed_wall = figure(indexed.wall);
    std::cout << (best ? "best   wall: " : "median wall: ") << std::setprecision(3) << "rebuild " << rebuild_wall
              << " s, baseline " << baseline_wall << " s, copy + index " << indexed_wall << " s; rebuild / baseline "
              << std::setprecision(2) << rebuild_wall / baseline_wall << ", rebuild / (copy + index) "
              << rebuild_wall / indexed_wall << "\n";
  }
  const double rebuild_cpu = median(rebuild.cpu);
  std::cout << "median cpu:  rebuild " << std::setprecision(3) << rebuild_cpu << " s, baseline " << median(baseline.cpu)
            << " s, copy + index " << median(indexed.cpu) << " s; rebuild / baseline " << std::setprecision(2)
            << rebuild_cpu / median(baseline.cpu) << ", rebuild / (copy + index) " << rebuild_cpu / median(indexed.cpu)
            << "\n";

  if (options.breakdown) {
    fresh_copy(prepared, work);
    const auto driver = open_database(work, options);
    print_breakdown(*driver, plan);
  }
  fs::remove(work);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const strata::Error& error) {
    std::cerr << error.render() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 3;
  }
}
