// The strata command line: options in, a pipeline call, one clear error line out.
#include <boost/program_options.hpp>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>

#include "strata/compiler/commands.h"
#include "strata/compiler/config.h"
#include "strata/compiler/diff_command.h"
#include "strata/compiler/pipeline.h"
#include "strata/compiler/runtime_commands.h"
#include "strata/compiler/sql_command.h"
#include "strata/runtime/driver.h"
#include "strata/schema/error.h"

namespace po = boost::program_options;

namespace {

using strata::compiler::kBadInput;
using strata::compiler::kSuccess;

constexpr const char* kUsage = R"(usage: strata [global options] COMMAND [options]

Commands:
  init       scaffold strata.toml, schema/schema.sql and migrations/
  inspect    print the canonical DDL of the schema files, or of a database (--url)
  plan       write the next migration from the schema files
  diff       print the SQL that turns one schema (files, migrations, database) into another
  new        write the next empty up/down pair for a hand-written step
  apply      bring the database to a version (default: the newest)
  down       run down files to go back to a version, or N steps
  sql        print a range of migrations as one script for a DBA (offline)
  status     applied / pending / modified / dirty, per migration
  history    what the database's history table records
  stamp      record versions as applied without running them
  resolve    settle a failed migration that ran outside a transaction
  hash       rewrite migrations/strata.sum after reviewing hand edits
  check      verify strata.sum, the chain, every down file, and schema == head
  rebase     renumber local migrations after a merge brought others

Global options may stand before or after the command.
Run 'strata COMMAND --help' for a command's options and an example.
)";

po::options_description global_options() {
  po::options_description options("Global options");
  options.add_options()
      ("help,h", "show help")
      ("config,c", po::value<std::string>()->default_value("strata.toml"), "configuration file")
      ("dialect", po::value<std::string>(), "postgres or sqlite (overrides strata.toml)")
      ("schema", po::value<std::vector<std::string>>(), "schema file, directory or glob (repeatable; overrides strata.toml)")
      ("migrations", po::value<std::string>(), "migrations directory (overrides strata.toml)")
      ("url", po::value<std::string>(),
       "database URL: sqlite:PATH, postgres://..., or libpq key=value (overrides STRATA_DATABASE_URL, "
       "DATABASE_URL and strata.toml)")
      ("format", po::value<std::string>()->default_value("text"), "text or json (plan, diff, status, check)");
  return options;
}

// Options that take a value: their value is not the command word.
bool takes_value(const std::string& argument) {
  return argument == "-c" || argument == "--config" || argument == "--dialect" || argument == "--schema" ||
         argument == "--migrations" || argument == "--url" || argument == "--format";
}

struct CommandLine {
  std::string command;
  std::vector<std::string> arguments;  // everything but the command word
};

CommandLine split_command(int argc, char** argv) {
  CommandLine line;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (line.command.empty() && !argument.starts_with("-")) {
      line.command = argument;
      continue;
    }
    line.arguments.push_back(argument);
    if (takes_value(argument) && i + 1 < argc) line.arguments.emplace_back(argv[++i]);
  }
  return line;
}

strata::compiler::Config effective_config(const po::variables_map& options) {
  const std::filesystem::path config_path = options["config"].as<std::string>();
  strata::compiler::Config config;
  if (std::filesystem::exists(config_path)) {
    config = strata::compiler::load_config(config_path);
  } else if (!options["config"].defaulted()) {
    throw strata::Error("configuration file " + config_path.string() + " does not exist");
  } else {
    config.root = ".";
    config.schema = {"schema"};
  }
  if (options.count("dialect")) config.dialect = strata::compiler::parse_dialect(options["dialect"].as<std::string>());
  if (options.count("schema")) {
    config.root = ".";
    config.schema = options["schema"].as<std::vector<std::string>>();
  }
  if (options.count("migrations")) config.migrations = options["migrations"].as<std::string>();
  return config;
}

void print_warnings(const std::vector<strata::parser::Warning>& warnings) {
  for (const auto& warning : warnings) std::cerr << warning.location.str() << ": warning: " << warning.message << "\n";
}

// One verb: its own options (added to the global ones, so that those may
// follow the verb), its help text, and what it runs.
struct Verb {
  const char* name;
  const char* usage;
  const char* description;
  const char* example;
  std::function<void(po::options_description&, po::positional_options_description&)> options;
  std::function<int(const po::variables_map&)> run;
};

int run_verb(const Verb& verb, const std::vector<std::string>& arguments) {
  po::options_description options = global_options();
  po::options_description own(std::string(verb.name) + " options");
  po::positional_options_description positional;
  if (verb.options) verb.options(own, positional);
  options.add(own);
  po::variables_map values;
  po::store(po::command_line_parser(arguments).options(options).positional(positional).run(), values);
  if (values.count("help")) {
    std::cout << "usage: strata " << verb.usage << "\n\n" << verb.description << "\n\nExample:\n  " << verb.example
              << "\n\n" << options;
    return kSuccess;
  }
  po::notify(values);
  return verb.run(values);
}

// The URL a database verb connects to, after --url, the environment and strata.toml.
std::string url_of(const po::variables_map& values, const strata::compiler::Config& config) {
  std::optional<std::string> option;
  if (values.count("url")) option = values["url"].as<std::string>();
  return strata::compiler::require_database_url(config, option);
}

strata::compiler::OutputFormat format_of(const po::variables_map& values) {
  return strata::compiler::parse_output_format(values["format"].as<std::string>());
}

// In JSON the warnings are part of the document; in text they go to stderr.
int with_warnings(const std::function<int(std::vector<strata::parser::Warning>&)>& command,
                  strata::compiler::OutputFormat format = strata::compiler::OutputFormat::Text) {
  std::vector<strata::parser::Warning> warnings;
  const int code = command(warnings);
  if (format == strata::compiler::OutputFormat::Text) print_warnings(warnings);
  return code;
}

// --backfill TABLE.COLUMN=EXPR, repeatable: plan's and diff's.
constexpr const char* kBackfillHelp =
    "TABLE.COLUMN=EXPR: the value existing rows get in a new NOT NULL column (repeatable; TABLE may be "
    "schema-qualified)";

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> all = {
      {"init", "init [--dialect postgres|sqlite] [DIR]",
       "Scaffolds a project in DIR (default: the current directory): strata.toml, schema/schema.sql\n"
       "with an example table, and migrations/ with an empty strata.sum. Refuses to overwrite.",
       "strata init --dialect sqlite myapp",
       [](po::options_description& own, po::positional_options_description& positional) {
         own.add_options()("directory", po::value<std::string>()->default_value("."), "project directory");
         positional.add("directory", 1);
       },
       [](const po::variables_map& values) {
         const auto dialect = values.count("dialect")
                                  ? strata::compiler::parse_dialect(values["dialect"].as<std::string>())
                                  : strata::compiler::Dialect::Sqlite;
         return strata::compiler::init_project(values["directory"].as<std::string>(), dialect, std::cout);
       }},
      {"inspect", "inspect [--url URL]",
       "Prints the canonical DDL of the desired schema: the schema files of strata.toml\n"
       "(or --schema), parsed and recreated in dependency order. With --url, prints the schema\n"
       "of that live database instead (strata's history table left out).",
       "strata --dialect postgres --schema schema/ inspect", nullptr,
       [](const po::variables_map& values) {
         if (values.count("url")) {
           const std::string url = values["url"].as<std::string>();
           const auto engine = strata::runtime::engine_of_url(url);
           const auto dialect = engine == strata::runtime::Engine::Postgres ? strata::compiler::Dialect::Postgres
                                                                              : strata::compiler::Dialect::Sqlite;
           std::cout << strata::compiler::canonical_sql(dialect, strata::runtime::inspect_database(url));
           return static_cast<int>(kSuccess);
         }
         return with_warnings([&](std::vector<strata::parser::Warning>& warnings) {
           const auto config = effective_config(values);
           const auto catalog = strata::compiler::load_desired_schema(config, warnings);
           std::cout << strata::compiler::canonical_sql(config.dialect, catalog);
           return kSuccess;
         });
       }},
      {"plan", "plan [-m NAME] [--allow-destructive] [--rename OLD=NEW]... [--backfill T.C=EXPR]... [--dry-run] [--check]",
       "Replays the migrations, reads the schema files, and writes the next migration that turns the\n"
       "one into the other (up and down files, strata.sum), after verifying offline that it does.\n"
       "Destructive changes are refused with a list of what would be lost unless allowed. Renames\n"
       "are never guessed: name them with --rename (schema.table, schema.table.column,\n"
       "schema.index, schema.table.constraint or schema.enum.value = the new name) or with a\n"
       "`-- @renamed from=OLD` comment next to the object in the schema file. A new NOT NULL\n"
       "column without a default needs a value for the rows already there: --backfill.\n"
       "SQLite: ALTER TABLE where SQLite allows it, otherwise one rebuild per table (new table,\n"
       "rows copied, old one dropped, new one renamed) run with foreign keys off.\n"
       "PostgreSQL: a new enum value used in the same plan puts the rest in a second migration.\n"
       "Prints what changed: objects created, altered and dropped.",
       "strata plan -m \"add users\" --rename public.users.name=full_name",
       [](po::options_description& own, po::positional_options_description&) {
         own.add_options()("message,m", po::value<std::string>()->default_value("migration"), "what changed (names the files)")
             ("allow-destructive", "allow changes that lose data")
             ("rename", po::value<std::vector<std::string>>(), "OLD=NEW rename hint (repeatable)")
             ("backfill", po::value<std::vector<std::string>>(), kBackfillHelp)
             ("dry-run", "print the migration; write nothing")
             ("check", "exit 1 if the schema files have changes not yet planned (for CI)")
             ("foreign-keys-not-valid", "add foreign keys NOT VALID, then VALIDATE them")
             ("concurrent-indexes", "build indexes CONCURRENTLY (outside a transaction)");
       },
       [](const po::variables_map& values) {
         const auto format = format_of(values);
         return with_warnings([&](std::vector<strata::parser::Warning>& warnings) {
           strata::compiler::PlanRequest request;
           request.message = values["message"].as<std::string>();
           request.allow_destructive = values.count("allow-destructive") > 0;
           if (values.count("rename")) request.renames = values["rename"].as<std::vector<std::string>>();
           if (values.count("backfill")) request.backfills = values["backfill"].as<std::vector<std::string>>();
           request.dry_run = values.count("dry-run") > 0;
           request.check = values.count("check") > 0;
           request.foreign_keys_not_valid = values.count("foreign-keys-not-valid") > 0;
           request.concurrent_indexes = values.count("concurrent-indexes") > 0;
           request.format = format;
           return strata::compiler::plan_migration(effective_config(values), request, std::cout, warnings);
         }, format);
       }},
      {"diff", "diff --from SRC --to SRC [--allow-destructive] [--rename OLD=NEW]... [--backfill T.C=EXPR]...",
       "Prints the SQL that turns the schema FROM into the schema TO. Each SRC is a .sql file, a\n"
       "directory of .sql files, a migrations directory (the schema its up files replay to; it holds\n"
       "NNNN_*.up.sql files or strata.sum) or a database URL (its live schema, without strata's\n"
       "history table). Against a database this finds drift: what was changed by hand. The dialect\n"
       "is the database's, else strata.toml's or --dialect. Offline unless a side is a database.\n"
       "Destructive changes are refused unless allowed; renames are never guessed (see plan).",
       "strata diff --from postgres://localhost/app --to schema/ --allow-destructive",
       [](po::options_description& own, po::positional_options_description&) {
         own.add_options()("from", po::value<std::string>()->required(), "the schema to start from")
             ("to", po::value<std::string>()->required(), "the schema to reach")
             ("allow-destructive", "allow changes that lose data")
             ("rename", po::value<std::vector<std::string>>(), "OLD=NEW rename hint (repeatable)")
             ("backfill", po::value<std::vector<std::string>>(), kBackfillHelp);
       },
       [](const po::variables_map& values) {
         const auto format = format_of(values);
         return with_warnings([&](std::vector<strata::parser::Warning>& warnings) {
           strata::compiler::DiffRequest request;
           request.from = values["from"].as<std::string>();
           request.to = values["to"].as<std::string>();
           request.allow_destructive = values.count("allow-destructive") > 0;
           if (values.count("rename")) request.renames = values["rename"].as<std::vector<std::string>>();
           if (values.count("backfill")) request.backfills = values["backfill"].as<std::vector<std::string>>();
           request.format = format;
           return strata::compiler::diff_schemas(effective_config(values), request, std::cout, warnings);
         }, format);
       }},
      {"new", "new -m NAME",
       "Writes the next empty up/down pair, with the usual header, for a hand-written step such\n"
       "as a data change, and adds it to strata.sum. The header lists the directives a file may\n"
       "carry (run outside a transaction; SQLite foreign keys off).",
       "strata new -m \"backfill emails\"",
       [](po::options_description& own, po::positional_options_description&) {
         own.add_options()("message,m", po::value<std::string>()->required(), "what the step does (names the files)");
       },
       [](const po::variables_map& values) {
         return with_warnings([&](std::vector<strata::parser::Warning>& warnings) {
           return strata::compiler::new_migration(effective_config(values), values["message"].as<std::string>(),
                                                  std::cout, warnings);
         });
       }},
      {"hash", "hash",
       "Rewrites migrations/strata.sum from the files, after reviewing hand edits. Every up file and\n"
       "every down file must replay first; a malformed file is an error at file:line:col and the sum\n"
       "is left as it was. Migration files are never changed.",
       "strata hash", nullptr,
       [](const po::variables_map& values) {
         return with_warnings([&](std::vector<strata::parser::Warning>& warnings) {
           return strata::compiler::hash_migrations(effective_config(values), std::cout, warnings);
         });
       }},
      {"apply", "apply [--to VERSION] [--dry-run] [--allow-modified]",
       "Brings the database to VERSION (default: the newest migration), each migration in its own\n"
       "transaction together with its history row. Refuses when an applied migration's file has\n"
       "changed (unless --allow-modified) or a migration is dirty.",
       "strata apply --url sqlite:app.db --to 0003",
       [](po::options_description& own, po::positional_options_description&) {
         own.add_options()("to", po::value<std::string>()->default_value("head"), "version to stop at")
             ("dry-run", "list what would run; change nothing")
             ("allow-modified", "accept applied migrations whose up file changed");
       },
       [](const po::variables_map& values) {
         const auto config = effective_config(values);
         strata::compiler::ApplyOptions options;
         options.to = values["to"].as<std::string>();
         options.dry_run = values.count("dry-run") > 0;
         options.allow_modified = values.count("allow-modified") > 0;
         return strata::compiler::apply_migrations(config, url_of(values, config), options, std::cout);
       }},
      {"down", "down [--to VERSION | --steps N]",
       "Runs the down files of applied migrations, newest first, each in a transaction together\n"
       "with the removal of its history row: back to VERSION (0000: all), or N steps (default 1).",
       "strata down --to 0001",
       [](po::options_description& own, po::positional_options_description&) {
         own.add_options()("to", po::value<std::string>(), "version to go back to")
             ("steps", po::value<int>(), "how many migrations to undo");
       },
       [](const po::variables_map& values) {
         const auto config = effective_config(values);
         strata::compiler::DownOptions options;
         if (values.count("to")) options.to = values["to"].as<std::string>();
         if (values.count("steps")) options.steps = values["steps"].as<int>();
         if (options.to && options.steps) throw strata::Error("give --to or --steps, not both");
         return strata::compiler::down_migrations(config, url_of(values, config), options, std::cout);
       }},
      {"sql", "sql [--from VERSION] [--to VERSION] [--down] [--single-transaction] [-o FILE]",
       "Prints the migrations after --from (default 0) through --to (default the newest) as one\n"
       "script, oldest first, each wrapped as `strata apply` runs it: in its own transaction with\n"
       "its history row (no-transaction files statement by statement, recorded dirty until they\n"
       "finish; SQLite foreign-keys-off files with the PRAGMAs and a foreign-key check that fails\n"
       "the script). Running it leaves the database and its history as `strata apply` would.\n"
       "With --down: the down files of the migrations after --to (default 0) through --from\n"
       "(default the newest), newest first, each removing its history row. Works offline.\n"
       "The script stops at its first error (psql ON_ERROR_STOP, sqlite3 .bail). Run it with\n"
       "`psql -f FILE` or `sqlite3 DB < FILE`; psql -1 would defeat its per-migration transactions:\n"
       "for psql -1, pass --single-transaction (PostgreSQL), which leaves out BEGIN/COMMIT so\n"
       "the whole range is one transaction (refused when a migration is marked no-transaction).",
       "strata sql --from 0003 --to head -o release.sql && psql -f release.sql \"$DATABASE_URL\"",
       [](po::options_description& own, po::positional_options_description&) {
         own.add_options()("from", po::value<std::string>(),
                           "version the database is at (up default 0, down default head)")
             ("to", po::value<std::string>(), "version to bring it to (up default head, down default 0)")
             ("down", "roll back: the down files, newest first")
             ("single-transaction", "PostgreSQL: no BEGIN/COMMIT, for psql -1 -f")
             ("output,o", po::value<std::string>(), "write the script to FILE (atomically) instead of stdout");
       },
       [](const po::variables_map& values) {
         strata::compiler::SqlScriptOptions options;
         if (values.count("from")) options.from = values["from"].as<std::string>();
         if (values.count("to")) options.to = values["to"].as<std::string>();
         options.down = values.count("down") > 0;
         options.single_transaction = values.count("single-transaction") > 0;
         std::optional<std::filesystem::path> output;
         if (values.count("output")) output = values["output"].as<std::string>();
         return strata::compiler::print_migration_script(effective_config(values), options, output, std::cout);
       }},
      {"status", "status", "Shows each migration as applied, pending, modified (its file changed after it was\n"
                           "applied) or dirty (it failed outside a transaction).",
       "strata status --url postgres://localhost/app --format json", nullptr,
       [](const po::variables_map& values) {
         const auto config = effective_config(values);
         return strata::compiler::migration_status(config, url_of(values, config), std::cout, format_of(values));
       }},
      {"history", "history", "Prints the database's history table: version, name, checksum, when and how long.",
       "strata history", nullptr,
       [](const po::variables_map& values) {
         const auto config = effective_config(values);
         return strata::compiler::migration_history(config, url_of(values, config), std::cout);
       }},
      {"stamp", "stamp VERSION",
       "Records every migration up to VERSION as applied without running it: adopting a database\n"
       "that already has that schema.",
       "strata stamp 0007",
       [](po::options_description& own, po::positional_options_description& positional) {
         own.add_options()("version", po::value<std::string>()->required(), "version to record");
         positional.add("version", 1);
       },
       [](const po::variables_map& values) {
         const auto config = effective_config(values);
         return strata::compiler::stamp_version(config, url_of(values, config), values["version"].as<std::string>(),
                                                std::cout);
       }},
      {"resolve", "resolve VERSION --applied|--rolled-back",
       "Settles a dirty migration (one that ran outside a transaction and failed) after you have\n"
       "repaired the database by hand: records it as applied, or removes its history row.",
       "strata resolve 0005 --rolled-back",
       [](po::options_description& own, po::positional_options_description& positional) {
         own.add_options()("version", po::value<std::string>()->required(), "the dirty version")
             ("applied", "the migration's changes are in place")
             ("rolled-back", "the migration's changes are gone");
         positional.add("version", 1);
       },
       [](const po::variables_map& values) {
         const bool applied = values.count("applied") > 0;
         if (applied == (values.count("rolled-back") > 0)) throw strata::Error("give exactly one of --applied and --rolled-back");
         const auto config = effective_config(values);
         return strata::compiler::resolve_migration(config, url_of(values, config),
                                                    values["version"].as<std::string>(), applied, std::cout);
       }},
      {"rebase", "rebase NAME...",
       "After a merge brought other migrations with the same versions: renumbers the named\n"
       "migrations (file stems) after the last other one, rewrites their headers and strata.sum\n"
       "(whatever the conflicted file holds), replays the chain and says where the schema files\n"
       "differ from the new head. With --url, a migration recorded as applied in that database is\n"
       "refused. Rebase works offline otherwise.",
       "strata rebase 0004_add_age --url sqlite:app.db",
       [](po::options_description& own, po::positional_options_description& positional) {
         own.add_options()("names", po::value<std::vector<std::string>>()->required(), "migrations to renumber");
         positional.add("names", -1);
       },
       [](const po::variables_map& values) {
         return with_warnings([&](std::vector<strata::parser::Warning>& warnings) {
           const auto config = effective_config(values);
           std::optional<std::string> url_option;
           if (values.count("url")) url_option = values["url"].as<std::string>();
           return strata::compiler::rebase_migrations(config, values["names"].as<std::vector<std::string>>(),
                                                      url_option, std::cout, warnings);
         });
       }},
      {"check", "check",
       "For CI: strata.sum matches the files, the chain replays, every down file takes the schema\n"
       "back to where its up file started, and the schema files equal the chain's head. Prints one\n"
       "line per problem and exits 1 when there is any.",
       "strata check --format json", nullptr,
       [](const po::variables_map& values) {
         const auto format = format_of(values);
         return with_warnings([&](std::vector<strata::parser::Warning>& warnings) {
           const auto report = strata::compiler::check_project(effective_config(values), warnings);
           strata::compiler::print_check_report(report, warnings, format, std::cout);
           return report.exit_code();
         }, format);
       }},
  };
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  const CommandLine line = split_command(argc, argv);
  try {
    if (line.command.empty()) {
      const bool asked = std::find(line.arguments.begin(), line.arguments.end(), "--help") != line.arguments.end() ||
                         std::find(line.arguments.begin(), line.arguments.end(), "-h") != line.arguments.end();
      (asked ? std::cout : std::cerr) << kUsage << "\n" << global_options();
      return asked ? kSuccess : kBadInput;
    }
    for (const auto& verb : verbs())
      if (line.command == verb.name) return run_verb(verb, line.arguments);
    std::cerr << "strata: unknown command \"" << line.command << "\"\n\n" << kUsage;
    return kBadInput;
  } catch (const strata::runtime::DatabaseError& error) {
    std::cerr << error.render() << "\n";
    return strata::compiler::kDatabaseError;
  } catch (const strata::Error& error) {
    std::cerr << error.render() << "\n";
    return kBadInput;
  } catch (const po::error& error) {
    std::cerr << "strata: " << error.what() << "\n";
    return kBadInput;
  } catch (const std::exception& error) {
    std::cerr << "strata: " << error.what() << "\n";
    return kBadInput;
  }
}
