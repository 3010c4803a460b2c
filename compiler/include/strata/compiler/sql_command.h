// strata sql: a range of migrations compiled offline into one script for a
// DBA, each migration wrapped as `strata apply` / `strata down` runs it and
// recorded in the history table by the same statements, so that running the
// script by hand leaves the database and its history as the applier would.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "strata/compiler/config.h"

namespace strata::compiler {

struct SqlScriptOptions {
  // Versions ("0003" or "3", "0" for none, "head"). Up: the migrations after
  // `from` (default 0) through `to` (default head). Down: the down files of
  // the migrations after `to` (default 0) through `from` (default head).
  std::optional<std::string> from;
  std::optional<std::string> to;
  bool down = false;
  // PostgreSQL: no BEGIN/COMMIT in the script, for `psql -1 -f` (psql
  // --single-transaction), which runs the whole file as one transaction.
  bool single_transaction = false;
};

// The script. An unknown version, an inverted range, --single-transaction
// for SQLite or over a "-- strata:no-transaction" migration throw
// strata::Error.
std::string migration_script(const Config& config, const SqlScriptOptions& options);

// strata sql: the script on `out`, or written atomically to `output`.
int print_migration_script(const Config& config, const SqlScriptOptions& options,
                           const std::optional<std::filesystem::path>& output, std::ostream& out);

}  // namespace strata::compiler
