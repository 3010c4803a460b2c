#include "strata/compiler/runtime_commands.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "strata/compiler/commands.h"
#include "strata/compiler/pipeline.h"
#include "strata/migrations/directory.h"
#include "strata/migrations/sum_file.h"
#include "strata/parser/postgres_parser.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/runtime/driver.h"
#include "strata/schema/error.h"
#include "strata/schema/printer.h"

namespace strata::compiler {
namespace {

using runtime::DatabaseError;
using runtime::Driver;
using runtime::HistoryRow;
using runtime::HistoryState;
using Clock = std::chrono::steady_clock;

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once, before any thread
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// A relative SQLite path in strata.toml starts at the directory of strata.toml.
std::string relative_to_root(const Config& config, const std::string& url) {
  if (runtime::engine_of_url(url) != runtime::Engine::Sqlite || config.root.empty()) return url;
  std::string prefix;
  std::string path = url;
  for (const char* scheme : {"sqlite://", "sqlite:"}) {
    if (url.starts_with(scheme)) {
      prefix = scheme;
      path = url.substr(prefix.size());
      break;
    }
  }
  if (path.empty() || path == ":memory:" || std::filesystem::path(path).is_absolute()) return url;
  return prefix + (config.root / path).lexically_normal().string();
}

int version_number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return -1;
  return value;
}

// 1-based line and column (characters) of a 1-based character position.
std::pair<int, int> line_column(std::string_view text, int position) {
  int line = 1;
  int column = 1;
  int characters = 1;
  for (std::size_t i = 0; i < text.size() && characters < position; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0U) == 0x80U) continue;
    ++characters;
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// A database error raised by a migration file, with the file and the line of
// the failing statement in front, and what became of the migration after.
DatabaseError located(const DatabaseError& error, const std::filesystem::path& file, const std::string& text,
                      const std::string& outcome) {
  std::string where = file.string();
  if (const auto position = error.statement_position()) {
    const auto [line, column] = line_column(text, *position);
    where += ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  return DatabaseError(where + ": " + error.message() + "\n" + outcome, error.sqlstate(), error.statement_position());
}

// One migration file, read.
struct Step {
  const migrations::Migration* migration = nullptr;
  std::filesystem::path file;
  std::string text;
  migrations::Directives directives;
  std::string checksum;  // of the up file: what the history records
};

Step read_step(const migrations::Migration& migration, bool up) {
  Step step;
  step.migration = &migration;
  step.file = up ? migration.up : migration.down;
  step.text = read_file(step.file);
  step.directives = migrations::parse_header(step.text).directives;
  step.checksum = migrations::sha256(up ? step.text : read_file(migration.up));
  return step;
}

HistoryRow history_row(const Step& step, HistoryState state, std::int64_t execution_ms) {
  return HistoryRow{.version = step.migration->version_text,
                    .name = step.migration->slug,
                    .checksum = step.checksum,
                    .execution_ms = execution_ms,
                    .state = state};
}

std::int64_t milliseconds_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::string dirty_message(const HistoryRow& row) {
  return "migration " + row.version + "_" + row.name +
         " is dirty: it ran outside a transaction and did not finish. Repair the database by hand, then run "
         "`strata resolve " + row.version + " --applied` (its changes are in place) or `strata resolve " +
         row.version + " --rolled-back` (they are not)";
}

// PRAGMA foreign_keys back on when a step that turned them off is done.
class ForeignKeysOff {
 public:
  ForeignKeysOff(Driver& driver, bool off) : driver_(driver), off_(off) {
    if (off_) driver_.set_foreign_keys(false);
  }
  ~ForeignKeysOff() {
    if (!off_) return;
    try {
      driver_.set_foreign_keys(true);
    } catch (...) {  // NOLINT(bugprone-empty-catch): the connection closes with the command
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  Driver& driver_;
  bool off_;
};

// While a migration runs longer than a second, prints a dot per second after
// its "applying ... " line, so a long step shows it is alive (in a terminal
// and in a CI log alike). Nothing else writes to `out` meanwhile.
class ProgressDots {
 public:
  explicit ProgressDots(std::ostream& out)
      : out_(out), thread_([this] {
          std::unique_lock lock(mutex_);
          while (!finished_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) {
            out_ << "." << std::flush;
            dotted_ = true;
          }
        }) {}
  ~ProgressDots() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    finished_.notify_one();
    thread_.join();
    if (dotted_) out_ << " ";
  }
  ProgressDots(const ProgressDots&) = delete;
  ProgressDots& operator=(const ProgressDots&) = delete;

 private:
  std::ostream& out_;
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
  bool dotted_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

enum class Outcome : std::uint8_t { Done, Skipped };

// Runs one step and records it: up writes the history row, down removes it,
// in the same transaction as the script; a no-transaction step is recorded
// dirty first and settled after. Skipped when another run got there first.
Outcome run_step(Driver& driver, const Step& step, bool up, std::int64_t& execution_ms) {
  const std::string& version = step.migration->version_text;
  const auto already_done = [&](const std::optional<HistoryRow>& row) {
    if (row && row->state == HistoryState::Dirty) throw Error(dirty_message(*row));
    return up ? row.has_value() : !row.has_value();
  };
  if (step.directives.no_transaction) {
    std::optional<HistoryRow> row;
    driver.begin();
    try {
      row = driver.find_history(version);
      if (already_done(row)) {
        driver.rollback();
        return Outcome::Skipped;
      }
      driver.write_history(up ? history_row(step, HistoryState::Dirty, 0)
                              : HistoryRow{row->version, row->name, row->checksum, {}, row->execution_ms,
                                           HistoryState::Dirty});
      driver.commit();
    } catch (...) {
      driver.rollback();
      throw;
    }
    const auto start = Clock::now();
    try {
      const ForeignKeysOff foreign_keys(driver, step.directives.sqlite_foreign_keys_off);
      driver.execute_each(step.file.string(), step.text);
      if (step.directives.sqlite_foreign_keys_off) driver.check_foreign_keys();
    } catch (const DatabaseError& error) {
      throw located(error, step.file, step.text,
                    "it ran outside a transaction, so statements before this one stay applied; the history records " +
                        version + " as dirty: repair the database, then run `strata resolve " + version +
                        " --applied` or `--rolled-back`");
    } catch (const Error&) {
      // The script could not be split: nothing of it ran.
      if (up) {
        driver.delete_history(version);
      } else {
        driver.write_history(*row);
      }
      throw;
    }
    execution_ms = milliseconds_since(start);
    if (up) {
      driver.write_history(history_row(step, HistoryState::Applied, execution_ms));
    } else {
      driver.delete_history(version);
    }
    return Outcome::Done;
  }

  const ForeignKeysOff foreign_keys(driver, step.directives.sqlite_foreign_keys_off);
  driver.begin();
  try {
    if (already_done(driver.find_history(version))) {
      driver.rollback();
      return Outcome::Skipped;
    }
    const auto start = Clock::now();
    try {
      driver.execute(step.file.string(), step.text);
      if (step.directives.sqlite_foreign_keys_off) driver.check_foreign_keys();
    } catch (const DatabaseError& error) {
      driver.rollback();
      throw located(error, step.file, step.text,
                    version + " was rolled back: nothing of it was " + (up ? "applied" : "undone"));
    }
    execution_ms = milliseconds_since(start);
    if (up) {
      driver.write_history(history_row(step, HistoryState::Applied, execution_ms));
    } else {
      driver.delete_history(version);
    }
    driver.commit();
  } catch (...) {
    driver.rollback();
    throw;
  }
  return Outcome::Done;
}

// The directory, the database, and what the database has recorded.
struct Session {
  migrations::Directory directory;
  std::unique_ptr<Driver> driver;
};

// The directory, and the database unless `create` is false and the URL names
// a SQLite file that does not exist (read-only commands do not create it).
Session open_session(const Config& config, const std::string& url, bool create = true) {
  Session session{migrations::Directory::read(migrations_path(config)), nullptr};
  const auto engine = runtime::engine_of_url(url);
  const runtime::Engine expected =
      config.dialect == Dialect::Postgres ? runtime::Engine::Postgres : runtime::Engine::Sqlite;
  if (engine && *engine != expected) {
    throw Error("the migrations are written for " + std::string(dialect_name(config.dialect)) +
                " but the database URL names a " + (*engine == runtime::Engine::Postgres ? "PostgreSQL" : "SQLite") +
                " database (set --dialect or strata.toml's dialect)");
  }
  if (create || runtime::database_exists(url)) session.driver = runtime::open_driver(url);
  if (session.driver && session.driver->engine() == runtime::Engine::Postgres) {
    // Session settings: they hold for every migration this run applies.
    for (const auto& [setting, value] : {std::pair{"lock_timeout", config.lock_timeout},
                                         std::pair{"statement_timeout", config.statement_timeout}})
      if (value)
        session.driver->execute("strata.toml", "SET " + std::string(setting) + " = " + schema::string_literal(*value));
  }
  return session;
}

void refuse_dirty(const std::vector<HistoryRow>& history) {
  for (const auto& row : history) {
    if (row.state == HistoryState::Dirty) throw Error(dirty_message(row));
  }
}

// Every applied migration is in the directory, and (unless allowed) its up
// file is the one that was applied.
void verify_applied(const migrations::Directory& directory, const std::vector<HistoryRow>& history,
                    bool allow_modified, std::ostream& out) {
  std::vector<std::string> modified;
  for (const auto& row : history) {
    const auto* migration = directory.find(row.version);
    if (migration == nullptr) {
      throw Error("the database records migration " + row.version + "_" + row.name + " as applied, but " +
                  directory.path().string() + " has no migration " + row.version +
                  " (is this checkout behind the database?)");
    }
    if (migrations::sha256(read_file(migration->up)) != row.checksum) modified.push_back(migration->up.string());
  }
  if (modified.empty()) return;
  std::string list;
  for (const auto& file : modified) list += (list.empty() ? "" : ", ") + file;
  if (!allow_modified) {
    throw Error("applied migration" + std::string(modified.size() == 1 ? " " : "s ") + list +
                (modified.size() == 1 ? " has" : " have") +
                " changed since it was applied (the database did not run the file as it is now); restore it, or "
                "pass --allow-modified to accept it");
  }
  out << "warning: applied migration" << (modified.size() == 1 ? " " : "s ") << list
      << " changed since applied (accepted with --allow-modified)\n";
}

std::string stem_of(const HistoryRow& row) { return row.version + "_" + row.name; }

// Collects the database's notices during a step, printed after its line.
class Notices {
 public:
  explicit Notices(Driver& driver) : driver_(driver) {
    driver_.set_notice_sink([this](const std::string& notice) { notices_.push_back(notice); });
  }
  ~Notices() { driver_.set_notice_sink({}); }
  Notices(const Notices&) = delete;
  Notices& operator=(const Notices&) = delete;

  void print(std::ostream& out) {
    for (const auto& notice : notices_) out << "  " << notice << "\n";
    notices_.clear();
  }

 private:
  Driver& driver_;
  std::vector<std::string> notices_;
};

// Runs one step after its "applying ... " / "rolling back ... " line has been
// written, and finishes the line: done with the time, or why it was skipped
// or failed, followed by the database's notices.
Outcome run_and_report(Driver& driver, const Step& step, bool up, Notices& notices, std::ostream& out) {
  std::int64_t ms = 0;
  Outcome outcome = Outcome::Done;
  try {
    const ProgressDots progress(out);
    outcome = run_step(driver, step, up, ms);
  } catch (...) {
    out << "failed\n";
    notices.print(out);
    throw;
  }
  if (outcome == Outcome::Skipped)
    out << (up ? "already applied by another run\n" : "already rolled back by another run\n");
  else
    out << "done (" << ms << " ms)\n";
  notices.print(out);
  return outcome;
}

}  // namespace

int target_version(const migrations::Directory& directory, const std::string& text) {
  if (text == "head") return directory.migrations().empty() ? 0 : directory.migrations().back().version;
  if (version_number(text) == 0) return 0;
  const auto* migration = directory.find(text);
  if (migration == nullptr) {
    throw Error("no migration " + text + " in " + directory.path().string() +
                (directory.migrations().empty()
                     ? std::string(" (it has none)")
                     : " (versions " + directory.migrations().front().version_text + " to " +
                           directory.migrations().back().version_text + ")"));
  }
  return migration->version;
}

std::optional<std::string> database_url(const Config& config, const std::optional<std::string>& url_option) {
  if (url_option && !url_option->empty()) return url_option;
  if (auto url = environment("STRATA_DATABASE_URL")) return url;
  if (auto url = environment("DATABASE_URL")) return url;
  if (config.database_url && !config.database_url->empty()) return relative_to_root(config, *config.database_url);
  return std::nullopt;
}

std::string require_database_url(const Config& config, const std::optional<std::string>& url_option) {
  if (auto url = database_url(config, url_option)) return *url;
  throw Error(
      "no database URL: pass --url, set STRATA_DATABASE_URL or DATABASE_URL, or set database_url in strata.toml");
}

namespace {

// A malformed migration is bad input, found before any database is touched.
// Files that match strata.sum were replayed when they were summed (plan, new,
// hash), so the check costs nothing in the usual case; after a hand edit not
// yet reviewed with `strata hash`, the files up to `target` are checked
// against the dialect's grammar (their data changes not run; what only the
// database can tell is left to it).
void refuse_malformed_migrations(Dialect dialect, const migrations::Directory& directory, int target) {
  if (const auto recorded = migrations::recorded_sum(directory);
      recorded && migrations::verify_sum(directory, *recorded).empty())
    return;
  std::vector<parser::SourceFile> files;
  for (const auto& migration : directory.migrations())
    if (migration.version <= target) files.push_back({migration.up.string(), read_file(migration.up)});
  if (dialect == Dialect::Sqlite) return parser::check_sqlite_syntax(files);
  for (const auto& file : files) parser::check_postgres_syntax(file.path, file.text);
}

}  // namespace

int apply_migrations(const Config& config, const std::string& url, const ApplyOptions& options, std::ostream& out) {
  const auto directory = migrations::Directory::read(migrations_path(config));
  refuse_malformed_migrations(config.dialect, directory, target_version(directory, options.to));
  Session session = open_session(config, url, !options.dry_run);
  const int target = target_version(session.directory, options.to);
  if (!session.driver) {  // a dry run against a SQLite file not created yet
    int count = 0;
    for (const auto& migration : session.directory.migrations()) {
      if (migration.version > target) break;
      out << "would apply " << migration.stem() << "\n";
      ++count;
    }
    out << count << " migration" << (count == 1 ? "" : "s") << " would be applied (dry run: " << url
        << " does not exist yet and was not created)\n";
    return kSuccess;
  }
  Driver& driver = *session.driver;
  std::optional<runtime::LockGuard> lock;
  if (!options.dry_run) {
    lock.emplace(driver, options.lock_timeout, out);
    driver.ensure_history();
  }
  const auto history = driver.read_history();
  refuse_dirty(history);
  verify_applied(session.directory, history, options.allow_modified, out);

  std::map<std::string, bool> applied;
  for (const auto& row : history) applied[row.version] = true;
  Notices notices(driver);
  int count = 0;
  for (const auto& migration : session.directory.migrations()) {
    if (migration.version > target || applied.contains(migration.version_text)) continue;
    const Step step = read_step(migration, true);
    if (options.dry_run) {
      out << "would apply " << migration.stem()
          << (step.directives.no_transaction ? " (outside a transaction)" : "") << "\n";
      ++count;
      continue;
    }
    out << "applying " << migration.stem() << " ... " << std::flush;
    if (run_and_report(driver, step, true, notices, out) == Outcome::Done) ++count;
  }
  const int highest = history.empty() ? 0 : version_number(history.back().version);
  if (count == 0 && highest > target) {
    out << "nothing to apply: the database is already at " << history.back().version << ", past " << options.to
        << " (strata down --to " << options.to << " rolls it back)\n";
  } else if (count == 0) {
    out << "nothing to apply: the database is up to date"
        << (options.to == "head" ? "" : " at " + options.to) << "\n";
  } else if (options.dry_run) {
    out << count << " migration" << (count == 1 ? "" : "s") << " would be applied (dry run: nothing was changed)\n";
  } else {
    out << count << " migration" << (count == 1 ? "" : "s") << " applied\n";
  }
  return kSuccess;
}

int down_migrations(const Config& config, const std::string& url, const DownOptions& options, std::ostream& out) {
  if (options.to && options.steps) throw Error("down takes --to VERSION or --steps N, not both");
  if (options.steps && *options.steps < 0) throw Error("--steps must not be negative");
  Session session = open_session(config, url);
  Driver& driver = *session.driver;
  const bool to_version = options.to.has_value();
  const int target = to_version ? target_version(session.directory, *options.to) : 0;
  const runtime::LockGuard lock(driver, options.lock_timeout, out);
  auto history = driver.read_history();
  refuse_dirty(history);

  std::reverse(history.begin(), history.end());  // newest first
  std::vector<const migrations::Migration*> to_undo;
  const int steps = options.steps.value_or(1);
  for (const auto& row : history) {
    if (to_version ? version_number(row.version) <= target : static_cast<int>(to_undo.size()) >= steps) continue;
    const auto* migration = session.directory.find(row.version);
    if (migration == nullptr) {
      throw Error("cannot roll back " + stem_of(row) + ": " + session.directory.path().string() +
                  " has no migration " + row.version);
    }
    to_undo.push_back(migration);
  }
  Notices notices(driver);
  for (const auto* migration : to_undo) {
    const Step step = read_step(*migration, false);
    out << "rolling back " << migration->stem() << " ... " << std::flush;
    run_and_report(driver, step, false, notices, out);
  }
  if (to_undo.empty()) {
    out << "nothing to roll back\n";
  } else {
    out << to_undo.size() << " migration" << (to_undo.size() == 1 ? "" : "s") << " rolled back\n";
  }
  return kSuccess;
}

int migration_status(const Config& config, const std::string& url, std::ostream& out, OutputFormat format) {
  Session session = open_session(config, url, false);
  const auto history = session.driver ? session.driver->read_history() : std::vector<HistoryRow>{};
  std::map<std::string, const HistoryRow*> by_version;
  for (const auto& row : history) by_version[row.version] = &row;

  enum class State : std::uint8_t { Pending, Applied, Modified, Dirty };
  struct MigrationStatus {
    const migrations::Migration* migration;
    const HistoryRow* row;  // nothing while pending
    State state;
  };
  std::vector<MigrationStatus> statuses;
  for (const auto& migration : session.directory.migrations()) {
    const auto found = by_version.find(migration.version_text);
    if (found == by_version.end()) {
      statuses.push_back({&migration, nullptr, State::Pending});
      continue;
    }
    const HistoryRow& row = *found->second;
    by_version.erase(found);
    const State state = row.state == HistoryState::Dirty                            ? State::Dirty
                        : migrations::sha256(read_file(migration.up)) != row.checksum ? State::Modified
                                                                                      : State::Applied;
    statuses.push_back({&migration, &row, state});
  }
  // by_version now holds the rows no migration file matches.

  if (format == OutputFormat::Json) {
    constexpr std::array<const char*, 4> kStateNames{"pending", "applied", "modified", "dirty"};
    nlohmann::json migration_list = nlohmann::json::array();
    for (const auto& status : statuses)
      migration_list.push_back({{"version", status.migration->version_text},
                                {"name", status.migration->slug},
                                {"state", kStateNames.at(static_cast<std::size_t>(status.state))},
                                {"applied_at", status.row ? nlohmann::json(status.row->applied_at)
                                                          : nlohmann::json(nullptr)}});
    nlohmann::json unknown = nlohmann::json::array();
    for (const auto& [version, row] : by_version)
      unknown.push_back({{"version", row->version},
                         {"name", row->name},
                         {"state", history_state_name(row->state)},
                         {"applied_at", row->applied_at}});
    const nlohmann::json document = {
        {"database_exists", session.driver != nullptr}, {"migrations", migration_list}, {"unknown", unknown}};
    out << document.dump(2) << "\n";
    return kSuccess;
  }

  if (!session.driver) out << "(the database " << url << " does not exist yet: nothing is applied)\n";
  std::size_t width = 0;
  for (const auto& migration : session.directory.migrations()) width = std::max(width, migration.stem().size());
  for (const auto& row : history) width = std::max(width, stem_of(row).size());

  int applied = 0;
  int pending = 0;
  int problems = 0;
  for (const auto& [migration, row, state] : statuses) {
    out << std::left << std::setw(static_cast<int>(width)) << migration->stem() << "  ";
    switch (state) {
      case State::Pending:
        out << "pending\n";
        ++pending;
        break;
      case State::Dirty:
        out << "dirty     (ran outside a transaction and did not finish: strata resolve " << row->version
            << " --applied|--rolled-back)\n";
        ++problems;
        break;
      case State::Modified:
        out << "modified  (applied " << row->applied_at << "; " << migration->up.string() << " changed since)\n";
        ++problems;
        break;
      case State::Applied:
        out << "applied   " << row->applied_at << "\n";
        ++applied;
        break;
    }
  }
  for (const auto& [version, row] : by_version) {
    out << std::left << std::setw(static_cast<int>(width)) << stem_of(*row) << "  "
        << "unknown   (recorded " << history_state_name(row->state) << " by the database; not in "
        << session.directory.path().string() << ")\n";
    ++problems;
  }
  out << applied << " applied, " << pending << " pending";
  if (problems > 0) out << ", " << problems << " need attention";
  out << "\n";
  return kSuccess;
}

int migration_history(const Config& config, const std::string& url, std::ostream& out) {
  Session session = open_session(config, url, false);
  const auto history = session.driver ? session.driver->read_history() : std::vector<HistoryRow>{};
  if (history.empty()) {
    out << "no migrations recorded in " << runtime::kHistoryTable << "\n";
    return kSuccess;
  }
  std::size_t width = 0;
  for (const auto& row : history) width = std::max(width, stem_of(row).size());
  for (const auto& row : history) {
    out << std::left << std::setw(static_cast<int>(width)) << stem_of(row) << "  " << std::setw(7)
        << history_state_name(row.state) << "  " << row.applied_at << "  " << std::right << std::setw(6)
        << row.execution_ms << " ms  " << row.checksum << "\n";
  }
  return kSuccess;
}

int stamp_version(const Config& config, const std::string& url, const std::string& version, std::ostream& out,
                  std::chrono::milliseconds lock_timeout) {
  Session session = open_session(config, url);
  const int target = target_version(session.directory, version);
  Driver& driver = *session.driver;
  const runtime::LockGuard lock(driver, lock_timeout, out);
  driver.ensure_history();
  refuse_dirty(driver.read_history());
  int count = 0;
  driver.begin();
  try {
    for (const auto& migration : session.directory.migrations()) {
      if (migration.version > target || driver.find_history(migration.version_text)) continue;
      driver.write_history(history_row(read_step(migration, true), HistoryState::Applied, 0));
      out << "stamped " << migration.stem() << " as applied (not run)\n";
      ++count;
    }
    driver.commit();
  } catch (...) {
    driver.rollback();
    throw;
  }
  if (count == 0) out << "nothing to stamp: every migration up to " << version << " is recorded\n";
  return kSuccess;
}

int resolve_migration(const Config& config, const std::string& url, const std::string& version, bool applied,
                      std::ostream& out, std::chrono::milliseconds lock_timeout) {
  Session session = open_session(config, url);
  const auto* migration = session.directory.find(version);
  const std::string version_text = migration != nullptr ? migration->version_text : version;
  Driver& driver = *session.driver;
  const runtime::LockGuard lock(driver, lock_timeout, out);
  const auto row = driver.find_history(version_text);
  if (!row) throw Error("migration " + version + " is not recorded in " + runtime::kHistoryTable + ": nothing to resolve");
  if (row->state != HistoryState::Dirty) {
    throw Error("migration " + stem_of(*row) + " is recorded as applied, not dirty: nothing to resolve");
  }
  if (applied) {
    HistoryRow settled = *row;
    settled.state = HistoryState::Applied;
    driver.write_history(settled);
    out << "resolved " << stem_of(*row) << ": recorded as applied\n";
  } else {
    driver.delete_history(row->version);
    out << "resolved " << stem_of(*row) << ": recorded as not applied (its history row is removed)\n";
  }
  return kSuccess;
}

}  // namespace strata::compiler
