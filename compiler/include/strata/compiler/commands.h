// The commands behind the strata verbs that work on the project directory.
// Each returns the process exit code; bad input throws strata::Error (exit 2).
// Warnings from reading SQL are added to `warnings` for the caller to print.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "strata/compiler/config.h"
#include "strata/parser/statements.h"
#include "strata/planner/plan_options.h"

namespace strata::compiler {

enum ExitCode : int { kSuccess = 0, kProblemsFound = 1, kBadInput = 2, kDatabaseError = 3 };

// --format: text for people, json for tools.
enum class OutputFormat : std::uint8_t { Text, Json };
OutputFormat parse_output_format(std::string_view text);  // "text" | "json"; throws strata::Error

// strata init: strata.toml, schema/schema.sql with an example, migrations/
// with an empty strata.sum. Refuses to overwrite any of them.
int init_project(const std::filesystem::path& directory, Dialect dialect, std::ostream& out);

// strata new -m NAME: the next empty up/down pair for a hand-written step,
// with the usual header, and strata.sum updated.
int new_migration(const Config& config, const std::string& message, std::ostream& out,
                  std::vector<parser::Warning>& warnings);

struct PlanRequest {
  std::string message = "migration";
  bool allow_destructive = false;
  std::vector<std::string> renames;  // "OLD=NEW"
  std::vector<std::string> backfills;  // "TABLE.COLUMN=EXPR"
  bool dry_run = false;              // print the migration, write nothing
  bool check = false;                // exit kProblemsFound when there is something to plan
  bool foreign_keys_not_valid = false;
  bool concurrent_indexes = false;
  OutputFormat format = OutputFormat::Text;  // json: one document, the warnings in it
};

// The planner's options for the hints plan and diff take: renames "OLD=NEW"
// and backfills "TABLE.COLUMN=EXPR" (TABLE may name its schema; without one
// it is in the dialect's default schema, public or main). A malformed hint
// throws strata::Error.
planner::PlanOptions planner_options(Dialect dialect, bool allow_destructive, const std::vector<std::string>& renames,
                                     const std::vector<std::string>& backfills);

// strata plan: replays the chain, reads the schema files, plans the change
// between them, verifies it, and writes the next up/down pair and strata.sum.
// Refused changes (destructive ones not allowed) throw strata::Error.
int plan_migration(const Config& config, const PlanRequest& request, std::ostream& out,
                   std::vector<parser::Warning>& warnings);

// strata hash: rewrites strata.sum from the files after checking that the
// whole chain replays (every up file, and every down file after its up file).
int hash_migrations(const Config& config, std::ostream& out, std::vector<parser::Warning>& warnings);

// strata rebase STEM...: after a merge brought other migrations with the same
// versions, renumbers the named ones (file stems such as 0004_age) after the
// last other one, rewrites their headers and strata.sum (whatever the
// conflicted sum holds), then replays the chain and reports where the schema
// files differ from the new head. With a database URL (--url), a migration
// that database records as applied is refused: it cannot be renumbered.
int rebase_migrations(const Config& config, const std::vector<std::string>& stems,
                      const std::optional<std::string>& url, std::ostream& out, std::vector<parser::Warning>& warnings);

// strata check: the sum file matches, the chain replays, every down file
// takes the schema back, and the schema files equal the chain's head.
struct CheckReport {
  std::size_t migrations = 0;
  std::vector<std::string> problems;  // one line each

  int exit_code() const { return problems.empty() ? kSuccess : kProblemsFound; }
};
CheckReport check_project(const Config& config, std::vector<parser::Warning>& warnings);

// The report as text (one line per problem, or an "ok" line) or as one JSON
// object: {"ok", "migrations", "problems": [...], "warnings": [{file, line, column, message}]}.
void print_check_report(const CheckReport& report, const std::vector<parser::Warning>& warnings,
                        OutputFormat format, std::ostream& out);

}  // namespace strata::compiler
