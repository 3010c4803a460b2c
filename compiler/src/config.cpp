#include "strata/compiler/config.h"

#include <fnmatch.h>

#include <algorithm>
#include <toml++/toml.h>

#include "strata/schema/error.h"

namespace strata::compiler {
namespace {

SourceLocation location_of(const std::filesystem::path& file, const toml::source_region& region) {
  return SourceLocation{file.string(), static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::vector<std::filesystem::path> sql_files_in(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.is_regular_file() && entry.path().extension() == ".sql") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string_view dialect_name(Dialect dialect) { return dialect == Dialect::Postgres ? "postgres" : "sqlite"; }

Dialect parse_dialect(std::string_view text) {
  if (text == "postgres" || text == "postgresql") return Dialect::Postgres;
  if (text == "sqlite" || text == "sqlite3") return Dialect::Sqlite;
  throw Error("unknown dialect \"" + std::string(text) + "\": expected postgres or sqlite");
}

Config load_config(const std::filesystem::path& path) {
  toml::table document;
  try {
    document = toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    throw Error(std::string(error.description()), location_of(path, error.source()));
  }
  Config config;
  config.root = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();

  auto require_string = [&](const toml::node& node, std::string_view key) {
    const auto* value = node.as_string();
    if (value == nullptr) throw Error(std::string(key) + " must be a string", location_of(path, node.source()));
    return value->get();
  };
  for (const auto& [key, node] : document) {
    const std::string_view name = key.str();
    if (name == "dialect") {
      try {
        config.dialect = parse_dialect(require_string(node, name));
      } catch (const Error& error) {
        throw Error(error.message(), location_of(path, node.source()));
      }
    } else if (name == "schema") {
      if (const auto* list = node.as_array()) {
        for (const auto& item : *list) config.schema.push_back(require_string(item, "schema entries"));
      } else {
        config.schema.push_back(require_string(node, name));
      }
    } else if (name == "migrations") {
      config.migrations = require_string(node, name);
    } else if (name == "database_url") {
      config.database_url = require_string(node, name);
    } else if (name == "lock_timeout") {
      config.lock_timeout = require_string(node, name);
    } else if (name == "statement_timeout") {
      config.statement_timeout = require_string(node, name);
    } else {
      throw Error("unknown setting \"" + std::string(name) + "\"", location_of(path, key.source()));
    }
  }
  if (config.schema.empty()) config.schema.push_back("schema");
  return config;
}

std::vector<std::filesystem::path> schema_files(const Config& config) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : config.schema) {
    const std::filesystem::path path = (config.root / entry).lexically_normal();
    if (std::filesystem::is_directory(path)) {
      auto found = sql_files_in(path);
      files.insert(files.end(), found.begin(), found.end());
    } else if (entry.find_first_of("*?[") != std::string::npos) {
      const std::filesystem::path directory = path.parent_path();
      std::vector<std::filesystem::path> matched;
      if (std::filesystem::is_directory(directory))
        for (const auto& candidate : std::filesystem::directory_iterator(directory))
          if (candidate.is_regular_file() &&
              fnmatch(path.filename().c_str(), candidate.path().filename().c_str(), 0) == 0)
            matched.push_back(candidate.path());
      if (matched.empty()) throw Error("schema pattern " + entry + " matches no file");
      std::sort(matched.begin(), matched.end());
      files.insert(files.end(), matched.begin(), matched.end());
    } else if (std::filesystem::is_regular_file(path)) {
      files.push_back(path);
    } else {
      throw Error("schema path " + path.string() + " does not exist");
    }
  }
  return files;
}

}  // namespace strata::compiler
