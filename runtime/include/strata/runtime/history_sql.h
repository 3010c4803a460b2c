// The SQL text of the statements the runtime runs around migration files:
// transactions, SQLite's foreign-key switch and the history table. One place
// for both users: the drivers run it with bound parameters, `strata sql`
// writes it into a script with literal values, so a script run by hand leaves
// the record `strata apply` would.
#pragma once

#include <string>
#include <string_view>

#include "strata/runtime/driver.h"

namespace strata::runtime {

// "BEGIN IMMEDIATE" (SQLite: takes the write lock at once) / "BEGIN".
std::string begin_sql(Engine engine);
// For a script run by the sqlite3 shell: how to run it, and `.bail on`, so
// that it stops at its first error instead of committing what came before.
std::string sqlite_shell_script_header();

// SQLite: "PRAGMA foreign_keys = ON" / "= OFF".
std::string foreign_keys_sql(bool on);

// SQLite has no statement that raises an error, so a script (`strata sql`,
// `strata diff`) that runs a migration with foreign keys off checks them by
// counting the violations into a column that must hold 0: a violation fails
// the script with the constraint's name, before its COMMIT. Ends with ";\n".
std::string sqlite_failing_foreign_key_check_sql();

// The values of a history row as SQL expressions: parameter placeholders
// ("?1", "$1") or literals (history_literals()).
struct HistoryValues {
  std::string version;
  std::string name;
  std::string checksum;
  std::string execution_ms;
  std::string state;
};

// The row as SQL literals ('0002', 'add_email', ..., 0, 'applied').
HistoryValues history_literals(const HistoryRow& row);

// Creates the history table `table` ("strata_migrations", or schema-qualified)
// when it does not exist.
std::string create_history_sql(Engine engine, std::string_view table);
// Inserts the row of values.version, or replaces the one there; applied_at
// is the database's current time.
std::string write_history_sql(Engine engine, std::string_view table, const HistoryValues& values);
// Removes the row of `version` (an SQL expression).
std::string delete_history_sql(std::string_view table, std::string_view version);

}  // namespace strata::runtime
