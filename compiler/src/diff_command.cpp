#include "strata/compiler/diff_command.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include "plan_output.h"
#include "strata/compiler/pipeline.h"
#include "strata/migrations/directory.h"
#include "strata/migrations/sum_file.h"
#include "strata/parser/live_alignment.h"
#include "strata/planner/plan.h"
#include "strata/planner/rename_hints.h"
#include "strata/runtime/driver.h"
#include "strata/runtime/history_sql.h"
#include "strata/runtime/server_form.h"
#include "strata/schema/error.h"

namespace strata::compiler {
namespace {

namespace fs = std::filesystem;

enum class SourceKind : std::uint8_t { SchemaFiles, Migrations, Database };

// One side of a diff, recognised before anything is read.
struct Source {
  std::string text;  // as given: a path or a URL
  SourceKind kind = SourceKind::SchemaFiles;
  std::optional<Dialect> engine;  // a database's own dialect
};

bool is_migrations_directory(const fs::path& directory) {
  if (fs::exists(directory / migrations::kSumFileName)) return true;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const auto name = migrations::parse_file_name(entry.path().filename().string());
    if (name && name->direction == "up") return true;
  }
  return false;
}

Source recognise(const std::string& text, std::string_view option) {
  std::error_code ignored;
  const fs::path path = text;
  if (fs::is_directory(path, ignored))
    return {text, is_migrations_directory(path) ? SourceKind::Migrations : SourceKind::SchemaFiles, std::nullopt};
  if (fs::is_regular_file(path, ignored) && path.extension() == ".sql")
    return {text, SourceKind::SchemaFiles, std::nullopt};
  if (const auto engine = runtime::engine_of_url(text))
    return {text, SourceKind::Database, *engine == runtime::Engine::Postgres ? Dialect::Postgres : Dialect::Sqlite};
  throw Error(std::string(option) + " " + text + ": " +
              (fs::exists(path, ignored) ? "not a .sql file, a directory or a database URL"
                                         : "no such file or directory, and not a database URL") +
              " (give a .sql file, a directory of .sql files, a migrations directory, sqlite:PATH or "
              "postgres://...)");
}

// Both sides in one dialect: a database's engine, else the configured one.
Dialect dialect_of(const Config& config, const Source& from, const Source& to) {
  if (from.engine && to.engine && *from.engine != *to.engine)
    throw Error("--from is a " + std::string(dialect_name(*from.engine)) + " database and --to a " +
                std::string(dialect_name(*to.engine)) + " one; diff compares two schemas of one dialect");
  if (from.engine) return *from.engine;
  return to.engine.value_or(config.dialect);
}

// A side's catalog, and the `-- @renamed from=` hints of schema files.
DesiredSchema load(const Source& source, Dialect dialect, std::vector<parser::Warning>& warnings) {
  if (source.kind == SourceKind::Database) return {runtime::inspect_database(source.text), {}};
  // The pipeline reads what a config names: one naming this side alone.
  Config side;
  side.root = ".";
  side.dialect = dialect;
  side.schema = {source.text};
  side.migrations = source.text;
  if (source.kind == SourceKind::Migrations)
    return {replay_chain(side, migrations::Directory::read(migrations_path(side)), warnings), {}};
  return load_desired_schema_with_hints(side, warnings);
}

}  // namespace

int diff_schemas(const Config& config, const DiffRequest& request, std::ostream& out,
                 std::vector<parser::Warning>& warnings) {
  const Source from = recognise(request.from, "--from");
  const Source to = recognise(request.to, "--to");
  const Dialect dialect = dialect_of(config, from, to);
  // Hints are checked before any file or database is read.
  planner::PlanOptions options =
      planner_options(dialect, request.allow_destructive, request.renames, request.backfills);
  schema::Catalog previous = load(from, dialect, warnings).catalog;
  DesiredSchema target = load(to, dialect, warnings);
  // Drift: a live PostgreSQL database holds what the files say as the server
  // rewrote it (casts it infers, IN as = ANY, qualified names, * expanded);
  // those rewrites are not changes.
  const bool from_live = from.kind == SourceKind::Database && to.kind != SourceKind::Database;
  const bool to_live = to.kind == SourceKind::Database && from.kind != SourceKind::Database;
  if (dialect == Dialect::Postgres && from_live) {
    target.catalog = runtime::in_server_form(from.text, std::move(target.catalog));
    previous = parser::align_live_catalog(std::move(previous), target.catalog);
  }
  if (dialect == Dialect::Postgres && to_live) {
    previous = runtime::in_server_form(to.text, std::move(previous));
    target.catalog = parser::align_live_catalog(std::move(target.catalog), previous);
  }
  const schema::Catalog& desired = target.catalog;
  // As in plan: the target files' hints that still apply, then --rename's.
  options.renames = planner::applicable_renames(previous, target.rename_hints, options.renames);
  const planner::Plan plan = planner::plan_schema_change(dialect, previous, desired, options);

  if (request.format == OutputFormat::Json) {
    nlohmann::json document = plan_json(plan);
    document["dialect"] = dialect_name(dialect);
    document["same"] = plan.empty();
    document["warnings"] = warnings_json(warnings);
    out << document.dump(2) << "\n";
    return kSuccess;
  }
  if (plan.empty()) {
    out << "-- the two schemas are the same: nothing to do\n";
    return kSuccess;
  }
  // A SQLite table rebuild or drop would otherwise cascade into the rows of
  // the tables that reference it: as the applier runs such a migration, with
  // foreign keys off around one transaction that a violation fails.
  if (dialect == Dialect::Postgres) {
    // Run with psql -1 (or in steps: plan writes these as migrations of their own).
    planner::Plan printed = plan;
    for (const std::size_t start : planner::new_enum_value_steps(printed))
      prepend_note(printed.statements[start],
                   "commit the statements above before these: PostgreSQL cannot use an enum value in the "
                   "transaction that adds it");
    out << plan_body(printed);
    return kSuccess;
  }
  // For the sqlite3 shell: one transaction, and the shell stops at an error
  // before its COMMIT, so a failure leaves nothing half done.
  out << runtime::sqlite_shell_script_header();
  const std::string begin = runtime::begin_sql(runtime::Engine::Sqlite) + ";\n";
  if (!plan.sqlite_foreign_keys_off) {
    out << begin << plan_body(plan) << "COMMIT;\n";
    return kSuccess;
  }
  out << runtime::foreign_keys_sql(false) << ";\n" << begin << plan_body(plan)
      << runtime::sqlite_failing_foreign_key_check_sql() << "COMMIT;\n" << runtime::foreign_keys_sql(true) << ";\n";
  return kSuccess;
}

}  // namespace strata::compiler
