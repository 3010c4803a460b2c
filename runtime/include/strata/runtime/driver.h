// The database side of `strata apply`: one interface over SQLite (sqlite3 C
// API) and PostgreSQL (libpq) for running migration scripts, transactions,
// the history table and the lock that keeps two appliers apart.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "strata/runtime/postgres_connection.h"  // DatabaseError
#include "strata/schema/catalog.h"

namespace strata::runtime {

enum class Engine : std::uint8_t { Sqlite, Postgres };

// The history table every database strata migrates carries.
inline constexpr const char* kHistoryTable = "strata_migrations";

enum class HistoryState : std::uint8_t { Applied, Dirty };

// "applied" / "dirty".
const char* history_state_name(HistoryState state);

// One row of strata_migrations.
struct HistoryRow {
  std::string version;     // "0002"
  std::string name;        // "add_email"
  std::string checksum;    // "sha256:<hex>" of the up file as it was applied
  std::string applied_at;  // ISO 8601 UTC, "2026-11-24T05:09:14Z" (set by the database when written)
  std::int64_t execution_ms = 0;
  HistoryState state = HistoryState::Applied;
};

class Driver {
 public:
  Driver() = default;
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;
  virtual ~Driver() = default;

  virtual Engine engine() const = 0;
  // The URL with any password masked, for messages.
  virtual const std::string& description() const = 0;

  // Runs a script of one or more statements in the current transaction (or
  // in autocommit when none is open). `file` names it in error messages.
  // Throws DatabaseError; its statement_position() is the 1-based character
  // offset in `script` where the failing statement (or its error) starts.
  virtual void execute(const std::string& file, const std::string& script) = 0;
  // Runs a script statement by statement outside any transaction, each
  // statement committed on its own (for "-- strata:no-transaction" files).
  // A script that cannot be split into statements (an unterminated string)
  // throws strata::Error at file:line:col before anything runs.
  virtual void execute_each(const std::string& file, const std::string& script) = 0;

  // The rows of one query, each value as text (nothing for NULL).
  using Rows = std::vector<std::vector<std::optional<std::string>>>;
  virtual Rows query(const std::string& sql) = 0;

  // PostgreSQL: the server's notices ("NOTICE: ...", from RAISE NOTICE or
  // DROP ... IF EXISTS) go to `sink` instead of stderr; an empty sink
  // restores stderr. SQLite has none.
  virtual void set_notice_sink(std::function<void(const std::string&)> sink) = 0;

  // SQLite: BEGIN IMMEDIATE (waits up to the lock timeout for other writers).
  virtual void begin() = 0;
  virtual void commit() = 0;
  // Never throws: used on the way out of a failure.
  virtual void rollback() noexcept = 0;

  // SQLite: PRAGMA foreign_keys (outside a transaction only). PostgreSQL: nothing.
  virtual void set_foreign_keys(bool on) = 0;
  // SQLite: PRAGMA foreign_key_check; throws DatabaseError listing the first
  // violations. PostgreSQL: nothing.
  virtual void check_foreign_keys() = 0;

  // How long lock() and (SQLite) begin() wait for another applier.
  virtual void set_lock_timeout(std::chrono::milliseconds timeout) = 0;
  // PostgreSQL: a session advisory lock keyed by the history table's name;
  // false when another session holds it. SQLite: always true (its writers are
  // kept apart by BEGIN IMMEDIATE and the busy timeout).
  virtual bool try_lock() = 0;
  virtual void unlock() noexcept = 0;

  // Creates the history table when it does not exist.
  virtual void ensure_history() = 0;
  // Every row, by version; empty when the table does not exist.
  virtual std::vector<HistoryRow> read_history() = 0;
  // The row of one version (read in the current transaction, if any).
  virtual std::optional<HistoryRow> find_history(const std::string& version) = 0;
  // Inserts or replaces the row of row.version; applied_at is set to now.
  virtual void write_history(const HistoryRow& row) = 0;
  virtual void delete_history(const std::string& version) = 0;

  // The database's schema read into the catalog model (history table included).
  virtual schema::Catalog inspect() = 0;
};

// The schema of the database at `url`, without strata's own history table:
// what drift detection compares with the migrations' head.
schema::Catalog inspect_database(const std::string& url);

// The driver for a database URL: `sqlite:PATH`, `sqlite://PATH`, a plain path
// ending in .db / .sqlite / .sqlite3 (`sqlite::memory:` for an in-memory
// database), `postgres://...`, `postgresql://...` or a libpq key=value
// string. Throws strata::Error for a URL it does not recognise and
// DatabaseError when the database cannot be opened.
std::unique_ptr<Driver> open_driver(const std::string& url);

// False for a SQLite URL whose file does not exist (opening it would create
// it); true otherwise.
bool database_exists(const std::string& url);

// The engine a URL names, without opening it; nothing when unrecognised.
std::optional<Engine> engine_of_url(const std::string& url);

// Takes the driver's lock, polling until `timeout`; says once on `out` that
// it is waiting. Throws DatabaseError when the time runs out.
void acquire_lock(Driver& driver, std::chrono::milliseconds timeout, std::ostream& out);

// Holds the driver's lock for a scope.
class LockGuard {
 public:
  LockGuard(Driver& driver, std::chrono::milliseconds timeout, std::ostream& out);
  ~LockGuard() { driver_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Driver& driver_;
};

}  // namespace strata::runtime
