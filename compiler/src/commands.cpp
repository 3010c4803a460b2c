#include "strata/compiler/commands.h"

#include <algorithm>
#include <ctime>

#include <nlohmann/json.hpp>

#include "plan_output.h"
#include "strata/compiler/pipeline.h"
#include "strata/migrations/file_set.h"
#include "strata/migrations/sum_file.h"
#include "strata/planner/plan.h"
#include "strata/parser/rename_hints.h"
#include "strata/planner/rename_hints.h"
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

// An up/down pair to write, by its file stem ("0004_add_email").
struct MigrationPair {
  std::string stem;
  std::string up;
  std::string down;
};

// The recorded strata.sum, once it matches the files: a new migration
// extends the sum that was reviewed, never one recomputed over an edit that
// `strata hash` has not accepted yet.
migrations::SumFile reviewed_sum(const migrations::Directory& directory) {
  auto recorded = migrations::recorded_sum(directory);
  if (!recorded) {
    if (!directory.migrations().empty())
      throw Error((directory.path() / migrations::kSumFileName).string() + ": missing; run strata hash");
    return migrations::compute_sum(directory);
  }
  const auto problems = migrations::verify_sum(directory, *recorded);
  if (!problems.empty()) throw Error(problems.front());
  return *recorded;
}

// Writes the next up/down pairs and the sum extended by them, as one file set.
void write_migration_pairs(const migrations::Directory& directory, const std::vector<MigrationPair>& pairs) {
  migrations::SumFile sum = reviewed_sum(directory);
  fs::create_directories(directory.path());
  migrations::FileSet files;
  for (const auto& pair : pairs) {
    sum.append(pair.stem + ".up.sql", pair.up);
    sum.append(pair.stem + ".down.sql", pair.down);
    files.stage(directory.path() / (pair.stem + ".up.sql"), pair.up);
    files.stage(directory.path() / (pair.stem + ".down.sql"), pair.down);
  }
  files.stage(directory.path() / migrations::kSumFileName, sum.text());
  files.commit();
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

  write_migration_pairs(directory, {{stem, up, down}});
  out << "created " << (directory_path / (stem + ".up.sql")).string() << " and " << stem << ".down.sql\n";
  return kSuccess;
}

namespace {

planner::PlanOptions plan_options(Dialect dialect, const PlanRequest& request) {
  planner::PlanOptions options =
      planner_options(dialect, request.allow_destructive, request.renames, request.backfills);
  options.foreign_keys_not_valid = request.foreign_keys_not_valid;
  options.concurrent_indexes = request.concurrent_indexes;
  return options;
}

// "SCHEMA.TABLE.COLUMN" of a --backfill target given as TABLE.COLUMN or
// SCHEMA.TABLE.COLUMN, as rename paths are written (a name holding a '.'
// double-quoted); empty for anything else.
std::string backfill_column(Dialect dialect, std::string_view target) {
  std::vector<std::string> parts = parser::split_rename_path(target);
  const bool well_formed = (parts.size() == 2 || parts.size() == 3) &&
                           std::none_of(parts.begin(), parts.end(), [](const auto& part) { return part.empty(); });
  if (!well_formed) return {};
  if (parts.size() == 2) parts.insert(parts.begin(), dialect == Dialect::Postgres ? "public" : "main");
  return parser::join_rename_path(parts);
}

}  // namespace

planner::PlanOptions planner_options(Dialect dialect, bool allow_destructive, const std::vector<std::string>& renames,
                                     const std::vector<std::string>& backfills) {
  planner::PlanOptions options;
  options.allow_destructive = allow_destructive;
  for (const auto& rename : renames) {
    const auto equals = rename.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == rename.size())
      throw Error("--rename takes OLD=NEW (for example public.users.name=full_name), not \"" + rename + "\"");
    // NEW is one name, written as in a path: a name holding a '.' is quoted.
    const std::vector<std::string> new_name = parser::split_rename_path(rename.substr(equals + 1));
    if (new_name.size() != 1 || new_name.front().empty())
      throw Error("--rename " + rename + ": NEW is the new name alone, in the object's own schema (moving an object "
                  "to another schema is not supported; double-quote a name that holds a '.')");
    options.renames.emplace_back(rename.substr(0, equals), new_name.front());
  }
  for (const auto& backfill : backfills) {
    // The expression may hold '=' itself; the column never does.
    const auto equals = backfill.find('=');
    const std::string column =
        equals == std::string::npos ? "" : backfill_column(dialect, std::string_view(backfill).substr(0, equals));
    if (column.empty() || equals + 1 == backfill.size())
      throw Error("--backfill takes TABLE.COLUMN=EXPR (for example users.email=lower(name) or "
                  "public.users.age=0), not \"" + backfill + "\"");
    if (!options.backfills.emplace(column, backfill.substr(equals + 1)).second)
      throw Error("--backfill names " + column + " twice");
  }
  return options;
}

int plan_migration(const Config& config, const PlanRequest& request, std::ostream& out,
                   std::vector<parser::Warning>& warnings) {
  const fs::path directory_path = migrations_path(config);
  const auto directory = migrations::Directory::read(directory_path);
  const HeadAndDesired loaded = load_head_and_desired(config, directory, warnings);
  const schema::Catalog& previous = loaded.head;
  const DesiredSchema& desired_schema = loaded.desired;
  const schema::Catalog& desired = desired_schema.catalog;
  // The schema files' hints that still apply (planned ones name what is gone), then --rename's.
  planner::PlanOptions options = plan_options(config.dialect, request);
  options.renames = planner::applicable_renames(previous, desired_schema.rename_hints, options.renames);
  const planner::Plan up = planner::plan_schema_change(config.dialect, previous, desired, options);
  // --format json: one document whatever the outcome, the warnings in it.
  const auto print_json = [&](const std::vector<std::string>& stems, const std::vector<fs::path>& written) {
    nlohmann::json document = plan_json(up);
    document["migration"] = stems.empty() ? nlohmann::json(nullptr) : nlohmann::json(stems.front());
    document["migrations"] = stems;
    document["written"] = nlohmann::json::array();
    for (const auto& path : written) document["written"].push_back(path.string());
    document["warnings"] = warnings_json(warnings);
    out << document.dump(2) << "\n";
  };
  if (up.empty()) {
    if (request.format == OutputFormat::Json) {
      print_json({}, {});
    } else {
      out << "nothing to plan: the schema files match the migrations' head\n";
    }
    return kSuccess;
  }

  // One migration per step (more than one when a new enum value is used in
  // the same plan); each down file undoes its own step.
  const std::vector<planner::PlanStep> steps = planner::split_at_new_enum_value_uses(previous, desired, up);
  planner::PlanOptions reverse_options = options;
  reverse_options.allow_destructive = true;  // undoing an addition drops it
  std::vector<MigrationPair> pairs;
  std::vector<planner::Plan> step_plans;
  const schema::Catalog* before = &previous;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const planner::PlanStep& step = steps[i];
    planner::Plan down = planner::reverse_plan(config.dialect, *before, step.after, reverse_options);
    // A down file is one migration however it would split: when it uses a
    // value it adds back, it runs statement by statement instead.
    const bool down_uses_added_value = !planner::new_enum_value_steps(down).empty();
    if (down_uses_added_value)
      prepend_note(down.statements.front(),
                   "runs outside a transaction: PostgreSQL cannot use an enum value in the transaction that adds it");
    reverse_options.renames.clear();  // the first step has done them

    migrations::Header header;
    header.version = migrations::version_text(directory.next_version() + static_cast<int>(i));
    header.message = request.message + (i == 0 ? "" : " (step " + std::to_string(i + 1) + ")");
    header.created = utc_now();
    header.from_schema = schema_hash(config.dialect, *before);
    header.to_schema = schema_hash(config.dialect, step.after);
    migrations::Header down_header = header;
    std::swap(down_header.from_schema, down_header.to_schema);
    header.directives.no_transaction = runs_outside_a_transaction(step.plan);
    down_header.directives.no_transaction = runs_outside_a_transaction(down) || down_uses_added_value;
    header.directives.sqlite_foreign_keys_off = step.plan.sqlite_foreign_keys_off;
    down_header.directives.sqlite_foreign_keys_off = down.sqlite_foreign_keys_off;
    pairs.push_back({header.version + "_" + migrations::slug_of(header.message),
                     migrations::render_header(header) + plan_body(step.plan),
                     migrations::render_header(down_header) + plan_body(down)});
    step_plans.push_back(step.plan);
    before = &step.after;
  }
  std::vector<std::string> stems;
  for (const auto& pair : pairs) stems.push_back(pair.stem);
  const auto print_summaries = [&] {
    for (std::size_t i = 0; i < pairs.size(); ++i) print_plan_summary(pairs[i].stem, step_plans[i], out);
    if (pairs.size() > 1)
      out << "split in " << pairs.size() << " migrations: PostgreSQL cannot use an enum value added in the same "
          << "transaction\n";
  };

  if (request.check || request.dry_run) {
    if (request.format == OutputFormat::Json) {
      print_json(stems, {});
    } else if (request.check) {
      out << "the schema files have changes not yet planned:\n";
      print_summaries();
    } else {
      for (const auto& pair : pairs)
        out << "-- " << pair.stem << ".up.sql (dry run: nothing written)\n" << pair.up << "\n-- " << pair.stem
            << ".down.sql\n" << pair.down << "\n";
    }
    return request.check ? kProblemsFound : kSuccess;
  }

  write_migration_pairs(directory, pairs);
  std::vector<fs::path> written;
  for (const auto& pair : pairs) {
    written.push_back(directory_path / (pair.stem + ".up.sql"));
    written.push_back(directory_path / (pair.stem + ".down.sql"));
  }
  if (request.format == OutputFormat::Json) {
    print_json(stems, written);
  } else {
    for (const auto& pair : pairs)
      out << "wrote " << (directory_path / (pair.stem + ".up.sql")).string() << " and " << pair.stem
          << ".down.sql\n";
    print_summaries();
  }
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
  const auto differences = schema_differences(config.dialect, head, desired, "the migrations' head", "the schema files");
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
    auto sum_problems = migrations::verify_sum(directory, *migrations::recorded_sum(directory));
    problems.insert(problems.end(), sum_problems.begin(), sum_problems.end());
  }

  auto replay = make_replay(config.dialect, warnings);
  for (const auto& migration : directory.migrations()) {
    const schema::Catalog before = replay->catalog();
    replay->run({migration.up.string(), read_file(migration.up)});
    const auto undone = replay->try_run({migration.down.string(), read_file(migration.down)});
    for (const auto& difference : schema_differences(config.dialect, undone, before, "after the down file", "before the up file"))
      problems.push_back(migration.down.string() + ": does not undo " + migration.up.filename().string() + ": " +
                         difference);
  }

  const auto desired = load_desired_schema(config, warnings);
  for (const auto& difference : schema_differences(config.dialect, replay->catalog(), desired, "the migrations' head", "the schema files"))
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
  const nlohmann::json document = {{"ok", report.problems.empty()},
                                   {"migrations", report.migrations},
                                   {"problems", report.problems},
                                   {"warnings", warnings_json(warnings)}};
  out << document.dump(2) << "\n";
}

}  // namespace strata::compiler
