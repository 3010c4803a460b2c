// The strata command line: options in, a pipeline call, one clear error line out.
#include <boost/program_options.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>

#include "strata/compiler/config.h"
#include "strata/compiler/pipeline.h"
#include "strata/schema/error.h"

namespace po = boost::program_options;

namespace {

enum ExitCode : int { kSuccess = 0, kDifference = 1, kBadInput = 2, kDatabaseError = 3 };

constexpr const char* kUsage = R"(usage: strata [global options] COMMAND [options]

Commands:
  inspect    print the canonical DDL of the schema files (the desired schema)

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
      ("migrations", po::value<std::string>(), "migrations directory (overrides strata.toml)");
  return options;
}

// Options that take a value: their value is not the command word.
bool takes_value(const std::string& argument) {
  return argument == "-c" || argument == "--config" || argument == "--dialect" || argument == "--schema" ||
         argument == "--migrations";
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

int inspect(const std::vector<std::string>& arguments) {
  po::options_description options = global_options();
  po::variables_map values;
  po::store(po::command_line_parser(arguments).options(options).run(), values);
  if (values.count("help")) {
    std::cout << "usage: strata inspect [global options]\n\n"
                 "Prints the canonical DDL of the desired schema: the schema files of strata.toml\n"
                 "(or --schema), parsed and recreated in dependency order.\n\n"
                 "Example:\n  strata --dialect postgres --schema schema/ inspect\n\n"
              << options;
    return kSuccess;
  }
  po::notify(values);
  const auto config = effective_config(values);
  std::vector<strata::parser::Warning> warnings;
  const auto catalog = strata::compiler::load_desired_schema(config, warnings);
  print_warnings(warnings);
  std::cout << strata::compiler::canonical_sql(config.dialect, catalog);
  return kSuccess;
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
    if (line.command == "inspect") return inspect(line.arguments);
    std::cerr << "strata: unknown command \"" << line.command << "\"\n\n" << kUsage;
    return kBadInput;
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
