#include "strata/compiler/sql_command.h"

#include <sqlite3.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "strata/compiler/commands.h"
#include "strata/compiler/pipeline.h"
#include "strata/compiler/runtime_commands.h"
#include "strata/migrations/directory.h"
#include "strata/migrations/file_set.h"
#include "strata/migrations/sum_file.h"
#include "strata/runtime/history_sql.h"
#include "strata/schema/error.h"
#include "strata/schema/printer.h"

namespace strata::compiler {
namespace {

using runtime::Engine;
using runtime::HistoryRow;
using runtime::HistoryState;

// A script run with `psql -1` is one transaction, so a transaction is what
// the --single-transaction script checks for first: a savepoint needs one.
constexpr const char* kRequireTransaction =
    "-- This script has no BEGIN/COMMIT of its own: run it with psql -1 (--single-transaction).\n"
    "-- Outside a transaction the savepoint below fails and the script stops before any change.\n"
    "SAVEPOINT strata_single_transaction;\n"
    "RELEASE SAVEPOINT strata_single_transaction;\n";

Engine engine_of(Dialect dialect) { return dialect == Dialect::Postgres ? Engine::Postgres : Engine::Sqlite; }

// A migration file's text ending in a newline, with a semicolon after a last
// statement the file leaves unterminated: the applier runs such a file as it
// is, but in a script the next statement would run on into it. SQLite's own
// scanner judges it (the leading ";" makes a file of comments alone count as
// complete). On PostgreSQL text it errs only towards an extra empty
// statement, which both shells pass over (short of a file that ends inside
// a dollar quote, which would not run anyway).
std::string terminated(std::string text) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  if (sqlite3_complete((";" + text).c_str()) == 0) text += ";\n";
  return text;
}

// The versions a script goes from and to, and the migrations it runs, in order.
struct ScriptRange {
  int from = 0;
  int to = 0;
  std::vector<const migrations::Migration*> migrations;
};

ScriptRange script_range(const migrations::Directory& directory, const SqlScriptOptions& options) {
  const std::string from_text = options.from.value_or(options.down ? "head" : "0");
  const std::string to_text = options.to.value_or(options.down ? "0" : "head");
  ScriptRange range{target_version(directory, from_text), target_version(directory, to_text), {}};
  if (!options.down && range.from > range.to) {
    throw Error("--from " + from_text + " is after --to " + to_text +
                ": an up script goes from an older version to a newer one (add --down for the way back)");
  }
  if (options.down && range.to > range.from) {
    throw Error("--to " + to_text + " is after --from " + from_text +
                ": a --down script goes from --from (default head) back to --to (default 0)");
  }
  const int oldest = std::min(range.from, range.to);
  const int newest = std::max(range.from, range.to);
  for (const auto& migration : directory.migrations()) {
    if (migration.version > oldest && migration.version <= newest) range.migrations.push_back(&migration);
  }
  if (options.down) std::reverse(range.migrations.begin(), range.migrations.end());
  return range;
}

// What the script says about itself, and how to run it.
std::string script_header(const Config& config, const SqlScriptOptions& options, const ScriptRange& range) {
  const std::size_t count = range.migrations.size();
  const Engine engine = engine_of(config.dialect);
  const std::string engine_name = engine == Engine::Postgres ? "PostgreSQL" : "SQLite";
  std::string header = "-- strata sql: " + engine_name + ", " + migrations_path(config).string() + " " +
                       (options.down ? "down" : "up") + " from version " + migrations::version_text(range.from) +
                       " to " + migrations::version_text(range.to) + " (" + std::to_string(count) + " migration" +
                       (count == 1 ? "" : "s") + ")\n";
  header += std::string("-- Each migration runs as `strata ") + (options.down ? "down" : "apply") + "` runs it, " +
            (options.single_transaction ? "all of them in one transaction"
                                        : "each in its own transaction (unless marked no-transaction)") +
            ",\n-- and its row in the history table " + runtime::kHistoryTable + " is " +
            (options.down ? "removed" : "written") + " with it.\n";
  if (engine == Engine::Sqlite) {
    header += runtime::sqlite_shell_script_header();
  } else if (options.single_transaction) {
    header += "-- Run it with: psql -1 -f FILE (it stops at the first error: ON_ERROR_STOP)\n\\set ON_ERROR_STOP on\n";
    header += kRequireTransaction;
  } else {
    header +=
        "-- Run it with: psql -f FILE, without -1: the script has its own BEGIN/COMMIT per migration\n"
        "-- (strata sql --single-transaction writes one for psql -1). It stops at the first error.\n"
        "\\set ON_ERROR_STOP on\n";
  }
  if (engine == Engine::Postgres) {
    // apply sets these for its session: they hold for every migration it runs.
    for (const auto& [setting, value] :
         {std::pair{"lock_timeout", config.lock_timeout}, std::pair{"statement_timeout", config.statement_timeout}}) {
      if (value) header += "SET " + std::string(setting) + " = " + schema::string_literal(*value) + ";\n";
    }
  }
  return header;
}

// One migration, wrapped as the runtime's run_step() wraps it.
std::string script_step(Engine engine, const migrations::Migration& migration, const SqlScriptOptions& options) {
  const std::string table = runtime::kHistoryTable;
  const auto& file = options.down ? migration.down : migration.up;
  const std::string text = read_file(file);
  const auto directives = migrations::parse_header(text).directives;
  const bool foreign_keys_off = engine == Engine::Sqlite && directives.sqlite_foreign_keys_off;
  if (options.single_transaction && directives.no_transaction) {
    throw Error(file.string() + " is marked \"-- strata:no-transaction\": it cannot run inside the one transaction of "
                "a --single-transaction script; leave the option out, or end the range before it");
  }
  const auto history = [&](HistoryState state) {
    const HistoryRow row{.version = migration.version_text,
                         .name = migration.slug,
                         .checksum = migrations::sha256(options.down ? read_file(migration.up) : text),
                         .execution_ms = 0,
                         .state = state};
    return runtime::write_history_sql(engine, table, runtime::history_literals(row)) + ";\n";
  };
  const std::string record =
      options.down ? runtime::delete_history_sql(table, schema::string_literal(migration.version_text)) + ";\n"
                   : history(HistoryState::Applied);
  const auto with_foreign_keys_off = [&](const std::string& sql) {
    return foreign_keys_off ? runtime::foreign_keys_sql(false) + ";\n" + sql + runtime::foreign_keys_sql(true) + ";\n"
                            : sql;
  };
  const std::string body = terminated(text) + (foreign_keys_off ? runtime::sqlite_failing_foreign_key_check_sql() : "");

  std::string step = "\n-- " + migration.stem() + ": " + file.filename().string();
  if (directives.no_transaction) {
    step += " (no-transaction: statement by statement, recorded dirty until it finishes)\n";
    step += history(HistoryState::Dirty) + with_foreign_keys_off(body) + record;
  } else if (options.single_transaction) {
    step += "\n" + body + record;
  } else {
    step += "\n" + with_foreign_keys_off(runtime::begin_sql(engine) + ";\n" + body + record + "COMMIT;\n");
  }
  return step;
}

}  // namespace

std::string migration_script(const Config& config, const SqlScriptOptions& options) {
  const Engine engine = engine_of(config.dialect);
  if (options.single_transaction && engine == Engine::Sqlite) {
    throw Error("--single-transaction writes a script for psql -1 (PostgreSQL); the sqlite3 shell has no such mode");
  }
  const auto directory = migrations::Directory::read(migrations_path(config));
  const ScriptRange range = script_range(directory, options);
  std::string script = script_header(config, options, range);
  script += runtime::create_history_sql(engine, runtime::kHistoryTable) + ";\n";
  for (const auto* migration : range.migrations) script += script_step(engine, *migration, options);
  return script;
}

int print_migration_script(const Config& config, const SqlScriptOptions& options,
                           const std::optional<std::filesystem::path>& output, std::ostream& out) {
  const std::string script = migration_script(config, options);
  if (output) {
    migrations::write_file_atomically(*output, script);
    out << "wrote " << output->string() << "\n";
  } else {
    out << script;
  }
  return kSuccess;
}

}  // namespace strata::compiler
