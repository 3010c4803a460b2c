#include "strata/runtime/history_sql.h"

#include "strata/schema/printer.h"

namespace strata::runtime {

std::string begin_sql(Engine engine) { return engine == Engine::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN"; }

std::string sqlite_failing_foreign_key_check_sql() {
  return "CREATE TEMP TABLE strata_foreign_key_check (\n"
         "  violations integer NOT NULL\n"
         "    CONSTRAINT \"PRAGMA foreign_key_check found foreign key violations\" CHECK (violations = 0)\n"
         ");\n"
         "INSERT INTO temp.strata_foreign_key_check SELECT count(*) FROM pragma_foreign_key_check;\n"
         "DROP TABLE temp.strata_foreign_key_check;\n";
}

std::string sqlite_shell_script_header() {
  return "-- Run it with: sqlite3 DATABASE < FILE (it stops at the first error: .bail on)\n.bail on\n";
}

std::string foreign_keys_sql(bool on) { return on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF"; }

HistoryValues history_literals(const HistoryRow& row) {
  return HistoryValues{.version = schema::string_literal(row.version),
                       .name = schema::string_literal(row.name),
                       .checksum = schema::string_literal(row.checksum),
                       .execution_ms = std::to_string(row.execution_ms),
                       .state = schema::string_literal(history_state_name(row.state))};
}

std::string create_history_sql(Engine engine, std::string_view table) {
  const bool sqlite = engine == Engine::Sqlite;
  return "CREATE TABLE IF NOT EXISTS " + std::string(table) + " (\n" +
         (sqlite ? "  version TEXT PRIMARY KEY,\n"
                   "  name TEXT NOT NULL,\n"
                   "  checksum TEXT NOT NULL,\n"
                   "  applied_at TEXT NOT NULL,\n"
                   "  execution_ms INTEGER NOT NULL,\n"
                   "  state TEXT NOT NULL CHECK (state IN ('applied', 'dirty'))\n"
                 : "  version text PRIMARY KEY,\n"
                   "  name text NOT NULL,\n"
                   "  checksum text NOT NULL,\n"
                   "  applied_at timestamptz NOT NULL DEFAULT now(),\n"
                   "  execution_ms bigint NOT NULL,\n"
                   "  state text NOT NULL CHECK (state IN ('applied', 'dirty'))\n") +
         ")";
}

std::string write_history_sql(Engine engine, std::string_view table, const HistoryValues& values) {
  const bool sqlite = engine == Engine::Sqlite;
  const std::string now = sqlite ? "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')" : "now()";
  return std::string(sqlite ? "INSERT OR REPLACE INTO " : "INSERT INTO ") + std::string(table) +
         " (version, name, checksum, applied_at, execution_ms, state)\n  VALUES (" + values.version + ", " +
         values.name + ", " + values.checksum + ", " + now + ", " + values.execution_ms + ", " + values.state + ")" +
         (sqlite ? ""
                 : "\n  ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum,\n"
                   "    applied_at = excluded.applied_at, execution_ms = excluded.execution_ms,\n"
                   "    state = excluded.state");
}

std::string delete_history_sql(std::string_view table, std::string_view version) {
  return "DELETE FROM " + std::string(table) + " WHERE version = " + std::string(version);
}

}  // namespace strata::runtime
