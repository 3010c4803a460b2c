#include "strata/compiler/commands.h"

#include <algorithm>
#include <ctime>

#include <nlohmann/json.hpp>

#include "strata/compiler/pipeline.h"
#include "strata/migrations/file_set.h"
#include "strata/migrations/sum_file.h"
#include "strata/planner/plan.h"
#include "strata/runtime/driver.h"
#include "strata/schema/compare.h"
#include "strata/schema/error.h"

namespace strata::compiler {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSqliteExample = R"(-- The schema this project wants, in SQLite's own DDL. strata plans the
-- migrations that bring the database here.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
)";

constexpr std::string_view kPostgresExample = R"(-- The schema this project wants, in PostgreSQL's own DDL. strata plans the
-- migrations that bring the database here.
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
)";

std::string config_text(Dialect dialect) {
  const std::string url = dialect == Dialect::Sqlite ? "sqlite:app.db" : "postgres://localhost/app";
  return "# strata configuration. STRATA_DATABASE_URL / DATABASE_URL and --url override database_url.\n"
         "dialect = \"" + std::string(dialect_name(dialect)) + "\"\n"
         "schema = [\"schema\"]          # files, directories (their *.sql) or globs\n"
         "migrations = \"migrations\"\n"
         "database_url = \"" + url + "\"\n" +
         (dialect == Dialect::Postgres ? "# lock_timeout = \"5s\"         # limits for each migration's statements\n"
                                         "# statement_timeout = \"5min\"\n"
                                       : "");
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[sizeof "2026-01-01T00:00:00Z"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Writes the next up/down pair and the sum extended by it, as one file set.
void write_migration_pair(const migrations::Directory& directory, const std::string& stem, const std::string& up,
                          const std::string& down) {
  migrations::SumFile sum = migrations::compute_sum(directory);
  sum.append(stem + ".up.sql", up);
  sum.append(stem + ".down.sql", down);
  fs::create_directories(directory.path());
  migrations::FileSet files;
  files.stage(directory.path() / (stem + ".up.sql"), up);
  files.stage(directory.path() / (stem + ".down.sql"), down);
  files.stage(directory.path() / migrations::kSumFileName, sum.text());
  files.commit();
}

migrations::SumFile recorded_sum(const fs::path& directory) {
  const fs::path path = directory / migrations::kSumFileName;
  return migrations::parse_sum(path, read_file(path));
}

}  // namespace

int init_project(const fs::path& directory, Dialect dialect, std::ostream& out) {
  const fs::path config = (directory / "strata.toml").lexically_normal();
  const fs::path schema = (directory / "schema" / "schema.sql").lexically_normal();
  const fs::path migrations_directory = (directory / "migrations").lexically_normal();
  const fs::path sum = migrations_directory / migrations::kSumFileName;
  for (const auto& path : {config, schema, sum})
    if (fs::exists(path)) throw Error(path.string() + " already exists; strata init does not overwrite");

  fs::create_directories(schema.parent_path());
  fs::create_directories(migrations_directory);
  migrations::FileSet files;
  files.stage(config, config_text(dialect));
  files.stage(schema, dialect == Dialect::Sqlite ? kSqliteExample : kPostgresExample);
  files.stage(sum, migrations::compute_sum(migrations::Directory::read(migrations_directory)).text());
  files.commit();
  out << "created " << config.string() << ", " << schema.string() << " and " << migrations_directory.string()
      << "/ (" << dialect_name(dialect) << ")\n";
  return kSuccess;
}

int new_migration(const Config& config, const std::string& message, std::ostream& out,
                  std::vector<parser::Warning>& warnings) {
  const fs::path directory_path = migrations_path(config);
  const auto directory = migrations::Directory::read(directory_path);
  const std::string head = schema_hash(config.dialect, replay_chain(config, directory, warnings));

  migrations::Header header;
  header.version = migrations::version_text(directory.next_version());
  header.message = message;
  header.created = utc_now();
  header.from_schema = head;
  header.to_schema = head;  // a hand-written step: the schema is the same unless its author changes it
  const std::string stem = header.version + "_" + migrations::slug_of(message);
  const std::string up = migrations::render_header(header) + "-- Write the data change here.\n";
  const std::string down = migrations::render_header(header) + "-- Write how to undo it here.\n";

  write_migration_pair(directory, stem, up, down);
  out << "created " << (directory_path / (stem + ".up.sql")).string() << " and " << stem << ".down.sql\n";
  return kSuccess;
}

namespace {

planner::PlanOptions plan_options(const PlanRequest& request) {
  planner::PlanOptions options;
  options.allow_destructive = request.allow_destructive;
  options.foreign_keys_not_valid = request.foreign_keys_not_valid;
  options.concurrent_indexes = request.concurrent_indexes;
  for (const auto& rename : request.renames) {
    const auto equals = rename.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == rename.size())
      throw Error("--rename takes OLD=NEW (for example public.users.name=full_name), not \"" + rename + "\"");
    options.renames.emplace_back(rename.substr(0, equals), rename.substr(equals + 1));
  }
  return options;
}

// The body of a migration file: the statements, with the destructive ones
// marked for the reviewer.
std::string migration_body(const planner::Plan& plan) {
  std::string body;
  for (const auto& statement : plan.statements) {
    if (statement.destructive) body += "-- destructive: " + statement.change + "\n";
    body += statement.sql + ";\n";
  }
  return body;
}

bool runs_outside_a_transaction(const planner::Plan& plan) {
  return std::any_of(plan.statements.begin(), plan.statements.end(),
                     [](const planner::PlannedStatement& statement) { return !statement.transactional; });
}

}  // namespace

int plan_migration(const Config& config, const PlanRequest& request, std::ostream& out,
                   std::vector<parser::Warning>& warnings) {
  if (config.dialect != Dialect::Postgres)
    throw Error("strata plan supports PostgreSQL schemas so far; SQLite planning (native ALTER TABLE or the "
                "12-step rebuild) is being built: write this SQLite migration with strata new for now");
  const fs::path directory_path = migrations_path(config);
  const auto directory = migrations::Directory::read(directory_path);
  const schema::Catalog previous = replay_chain(config, directory, warnings);
  const schema::Catalog desired = load_desired_schema(config, warnings);
  const planner::PlanOptions options = plan_options(request);
  const planner::Plan up = planner::plan_postgres(previous, desired, options);
  if (up.empty()) {
    out << "nothing to plan: the schema files match the migrations' head\n";
    return kSuccess;
  }
  planner::PlanOptions reverse_options = options;
  reverse_options.allow_destructive = true;  // undoing an addition drops it
  const planner::Plan down = planner::reverse_plan(previous, desired, reverse_options);

  migrations::Header header;
  header.version = migrations::version_text(directory.next_version());
  header.message = request.message;
  header.created = utc_now();
  header.from_schema = schema_hash(config.dialect, previous);
  header.to_schema = schema_hash(config.dialect, desired);
  migrations::Header down_header = header;
  std::swap(down_header.from_schema, down_header.to_schema);
  header.directives.no_transaction = runs_outside_a_transaction(up);
  down_header.directives.no_transaction = runs_outside_a_transaction(down);
  const std::string stem = header.version + "_" + migrations::slug_of(request.message);
  const std::string up_text = migrations::render_header(header) + migration_body(up);
  const std::string down_text = migrations::render_header(down_header) + migration_body(down);

  std::size_t destructive = 0;
  for (const auto& statement : up.statements) destructive += statement.destructive ? 1 : 0;
  const auto summary = [&](std::ostream& stream) {
    stream << stem << ": " << up.statements.size() << " statement" << (up.statements.size() == 1 ? "" : "s");
    if (destructive > 0) stream << ", " << destructive << " destructive";
    if (header.directives.no_transaction) stream << ", runs outside a transaction";
    stream << "\n";
    for (const auto& statement : up.statements)
      stream << "  " << (statement.destructive ? "! " : "  ") << statement.change << "\n";
  };
  if (request.check) {
    out << "the schema files have changes not yet planned:\n";
    summary(out);
    return kProblemsFound;
  }
  if (request.dry_run) {
    out << "-- " << stem << ".up.sql (dry run: nothing written)\n" << up_text << "\n-- " << stem << ".down.sql\n"
        << down_text;
    return kSuccess;
  }

  write_migration_pair(directory, stem, up_text, down_text);
  out << "wrote " << (directory_path / (stem + ".up.sql")).string() << " and " << stem << ".down.sql\n";
  summary(out);
  return kSuccess;
}

int hash_migrations(const Config& config, std::ostream& out, std::vector<parser::Warning>& warnings) {
  const fs::path directory_path = migrations_path(config);
  const auto directory = migrations::Directory::read(directory_path);
  auto replay = make_replay(config.dialect, warnings);
  for (const auto& migration : directory.migrations()) {
    replay->run({migration.up.string(), read_file(migration.up)});
    replay->try_run({migration.down.string(), read_file(migration.down)});
  }
  const auto sum = migrations::compute_sum(directory);
  fs::create_directories(directory_path);
  migrations::write_file_atomically(directory_path / migrations::kSumFileName, sum.text());
  out << (directory_path / migrations::kSumFileName).string() << ": " << sum.lines.size() << " files\n";
  return kSuccess;
}

int rebase_migrations(const Config& config, const std::vector<std::string>& stems,
                      const std::optional<std::string>& url, std::ostream& out, std::vector<parser::Warning>& warnings) {
  const fs::path directory_path = migrations_path(config);
  std::vector<migrations::Migration> others = migrations::list_migrations(directory_path);
  std::vector<migrations::Migration> moved;
  for (const auto& stem : stems) {
    const auto found = std::find_if(others.begin(), others.end(), [&](const auto& m) { return m.stem() == stem; });
    if (found == others.end()) throw Error((directory_path / stem).string() + ": no such migration (give a file stem such as 0004_name)");
    moved.push_back(*found);
    others.erase(found);
  }
  if (url && runtime::database_exists(*url)) {
    const auto driver = runtime::open_driver(*url);
    for (const auto& row : driver->read_history())
      for (const auto& migration : moved)
        if (row.version == migration.version_text && row.name == migration.slug)
          throw Error(migration.up.string() + ": recorded as applied in " + driver->description() +
                      "; an applied migration cannot be renumbered (rebase the other branch's instead)");
  }
  for (std::size_t i = 0; i < others.size(); ++i)
    if (others[i].version != static_cast<int>(i) + 1)
      throw Error(others[i].up.string() + ": the migrations not named do not form a chain (version " +
                  others[i].version_text + " where " + migrations::version_text(static_cast<int>(i) + 1) +
                  " belongs); name every migration to renumber");

  migrations::SumFile sum;
  sum.total = migrations::sha256("");
  for (const auto& migration : others) {
    sum.append(migration.up.filename().string(), read_file(migration.up));
    sum.append(migration.down.filename().string(), read_file(migration.down));
  }
  migrations::FileSet files;
  std::vector<fs::path> replaced;
  int version = static_cast<int>(others.size());
  for (const auto& migration : moved) {
    const std::string version_text = migrations::version_text(++version);
    const std::string stem = version_text + "_" + migration.slug;
    for (const auto& [old_path, suffix] : {std::pair{migration.up, ".up.sql"}, std::pair{migration.down, ".down.sql"}}) {
      const std::string text = migrations::with_header_version(read_file(old_path), version_text);
      const fs::path new_path = directory_path / (stem + suffix);
      files.stage(new_path, text);
      sum.append(new_path.filename().string(), text);
      if (new_path != old_path) replaced.push_back(old_path);
    }
    out << migration.stem() << " -> " << stem << "\n";
  }
  files.stage(directory_path / migrations::kSumFileName, sum.text());
  files.commit();
  for (const auto& path : replaced) fs::remove(path);

  const auto directory = migrations::Directory::read(directory_path);
  const auto head = replay_chain(config, directory, warnings);
  const auto desired = load_desired_schema(config, warnings);
  const auto differences = schema::differences(head, desired, "the migrations' head", "the schema files");
  for (const auto& difference : differences)
    out << "the schema files differ from the new head (strata plan adds this): " << difference << "\n";
  if (differences.empty()) out << "ok: the schema files match the new head\n";
  return kSuccess;
}

CheckReport check_project(const Config& config, std::vector<parser::Warning>& warnings) {
  CheckReport report;
  auto& problems = report.problems;
  const fs::path directory_path = migrations_path(config);
  const auto directory = migrations::Directory::read(directory_path);
  report.migrations = directory.migrations().size();

  if (!fs::exists(directory_path / migrations::kSumFileName)) {
    if (!directory.migrations().empty())
      problems.push_back((directory_path / migrations::kSumFileName).string() + ": missing; run strata hash");
  } else {
    auto sum_problems = migrations::verify_sum(directory, recorded_sum(directory_path));
    problems.insert(problems.end(), sum_problems.begin(), sum_problems.end());
  }

  auto replay = make_replay(config.dialect, warnings);
  for (const auto& migration : directory.migrations()) {
    const schema::Catalog before = replay->catalog();
    replay->run({migration.up.string(), read_file(migration.up)});
    const auto undone = replay->try_run({migration.down.string(), read_file(migration.down)});
    for (const auto& difference : schema::differences(undone, before, "after the down file", "before the up file"))
      problems.push_back(migration.down.string() + ": does not undo " + migration.up.filename().string() + ": " +
                         difference);
  }

  const auto desired = load_desired_schema(config, warnings);
  for (const auto& difference : schema::differences(replay->catalog(), desired, "the migrations' head", "the schema files"))
    problems.push_back("schema files differ from the migrations' head (run strata plan): " + difference);
  return report;
}

OutputFormat parse_output_format(std::string_view text) {
  if (text == "text") return OutputFormat::Text;
  if (text == "json") return OutputFormat::Json;
  throw Error("unknown format \"" + std::string(text) + "\": expected text or json");
}

void print_check_report(const CheckReport& report, const std::vector<parser::Warning>& warnings,
                        OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::Text) {
    for (const auto& problem : report.problems) out << problem << "\n";
    if (report.problems.empty())
      out << "ok: " << report.migrations << " migrations, schema files match the head\n";
    return;
  }
  nlohmann::json warning_list = nlohmann::json::array();
  for (const auto& warning : warnings)
    warning_list.push_back({{"file", warning.location.file},
                            {"line", warning.location.line},
                            {"column", warning.location.column},
                            {"message", warning.message}});
  const nlohmann::json document = {{"ok", report.problems.empty()},
                                   {"migrations", report.migrations},
                                   {"problems", report.problems},
                                   {"warnings", warning_list}};
  out << document.dump(2) << "\n";
}

}  // namespace strata::compiler
