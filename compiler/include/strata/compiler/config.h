// strata.toml: where the schema files and migrations are, which dialect, and
// which database. Command-line options override it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "strata/schema/dialect.h"

namespace strata::compiler {

using schema::Dialect;

std::string_view dialect_name(Dialect dialect);
// Throws strata::Error for anything but "postgres"/"postgresql"/"sqlite".
Dialect parse_dialect(std::string_view text);

struct Config {
  std::filesystem::path root;  // the directory holding strata.toml; relative paths start here
  Dialect dialect = Dialect::Sqlite;
  std::vector<std::string> schema;  // files, directories or globs ("schema/*.sql")
  std::string migrations = "migrations";
  std::optional<std::string> database_url;
  // PostgreSQL: limits for each migration's statements, in the server's
  // duration syntax ("5s", "2min"); unset means the server's own setting.
  std::optional<std::string> lock_timeout;
  std::optional<std::string> statement_timeout;
};

// Reads `path`; a syntax or type error throws strata::Error at file:line:col.
Config load_config(const std::filesystem::path& path);

// The schema files a config names, in a stable order: each entry is a file, a
// directory (its *.sql files, sorted) or a glob over file names.
std::vector<std::filesystem::path> schema_files(const Config& config);

}  // namespace strata::compiler
