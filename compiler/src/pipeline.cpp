#include "strata/compiler/pipeline.h"

#include <algorithm>
#include <future>
#include <optional>


#include "strata/migrations/sum_file.h"
#include "strata/parser/interpreter.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/runtime/driver.h"
#include "strata/schema/compare.h"
#include "strata/schema/error.h"
#include "strata/schema/names.h"
#include "strata/schema/printer.h"
#include "strata/schema/sqlite_printer.h"

namespace strata::compiler {

namespace {

std::vector<parser::SourceFile> read_schema_files(const Config& config) {
  std::vector<parser::SourceFile> files;
  for (const auto& path : schema_files(config)) files.push_back({path.string(), read_file(path)});
  return files;
}

schema::Catalog load_schema(Dialect dialect, const std::vector<parser::SourceFile>& files,
                            std::vector<parser::Warning>& warnings) {
  switch (dialect) {
    case Dialect::Postgres: return parser::load_postgres_schema(files, warnings);
    case Dialect::Sqlite: return parser::load_sqlite_schema(files, warnings);
  }
  throw Error("unknown dialect");
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Where `name` first appears in the files (ASCII case folded), to point at
// the statement that defines it.
std::optional<SourceLocation> first_mention(const std::vector<parser::SourceFile>& files, std::string_view name) {
  for (const auto& file : files) {
    const auto found = std::search(file.text.begin(), file.text.end(), name.begin(), name.end(),
                                   [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
    if (found == file.text.end()) continue;
    SourceLocation location{file.path, 1, 1};
    for (auto at = file.text.begin(); at != found; ++at) {
      if (*at == '\n') {
        ++location.line;
        location.column = 1;
      } else if ((static_cast<unsigned char>(*at) & 0xC0) != 0x80) {
        ++location.column;  // characters, not UTF-8 continuation bytes
      }
    }
    return location;
  }
  return std::nullopt;
}

// The desired schema, which may not hold a table of the history's name: the
// applier keeps the applied migrations there (in any schema it is left out
// of drift detection).
schema::Catalog load_desired(Dialect dialect, const std::vector<parser::SourceFile>& files,
                             std::vector<parser::Warning>& warnings) {
  schema::Catalog catalog = load_schema(dialect, files, warnings);
  const auto folded = [&](std::string name) {  // SQLite compares names without case
    if (dialect == Dialect::Sqlite) std::transform(name.begin(), name.end(), name.begin(), ascii_lower);
    return name;
  };
  for (const auto& [name, table] : catalog.tables)
    if (folded(name.name) == runtime::kHistoryTable)
      throw Error("table " + schema::qualified_sql(name) + " has the name of strata's history table, where strata "
                  "apply records the applied migrations: choose another name",
                  first_mention(files, runtime::kHistoryTable));
  return catalog;
}

}  // namespace

schema::Catalog load_desired_schema(const Config& config, std::vector<parser::Warning>& warnings) {
  return load_desired(config.dialect, read_schema_files(config), warnings);
}

DesiredSchema load_desired_schema_with_hints(const Config& config, std::vector<parser::Warning>& warnings) {
  const std::vector<parser::SourceFile> files = read_schema_files(config);
  return {load_desired(config.dialect, files, warnings), parser::read_rename_hints(config.dialect, files)};
}

std::unique_ptr<parser::Replay> make_replay(Dialect dialect, std::vector<parser::Warning>& warnings) {
  return dialect == Dialect::Postgres ? parser::postgres_replay(warnings) : parser::sqlite_replay(warnings);
}

std::filesystem::path migrations_path(const Config& config) {
  return (config.root / config.migrations).lexically_normal();
}

schema::Catalog replay_chain(const Config& config, const migrations::Directory& directory,
                             std::vector<parser::Warning>& warnings) {
  if (config.dialect == Dialect::Sqlite) {
    // The SQLite loader runs the files in order as the replay would, and
    // splits a chain of only CREATE statements into parts (load_sqlite_schema).
    std::vector<parser::SourceFile> files;
    for (const auto& migration : directory.migrations())
      files.push_back({migration.up.string(), read_file(migration.up)});
    return parser::load_sqlite_schema(files, warnings);
  }
  auto replay = make_replay(config.dialect, warnings);
  for (const auto& migration : directory.migrations())
    replay->run({migration.up.string(), read_file(migration.up)});
  return replay->catalog();
}

HeadAndDesired load_head_and_desired(const Config& config, const migrations::Directory& directory,
                                     std::vector<parser::Warning>& warnings) {
  std::vector<parser::Warning> desired_warnings;
  auto desired = std::async(std::launch::async,
                            [&] { return load_desired_schema_with_hints(config, desired_warnings); });
  std::optional<schema::Catalog> head;
  try {
    head = replay_chain(config, directory, warnings);
  } catch (...) {
    desired.wait();  // it uses `config` and `desired_warnings`
    throw;
  }
  HeadAndDesired loaded{std::move(*head), desired.get()};
  warnings.insert(warnings.end(), desired_warnings.begin(), desired_warnings.end());
  return loaded;
}

std::vector<std::string> schema_differences(Dialect dialect, const schema::Catalog& first,
                                            const schema::Catalog& second, const std::string& first_label,
                                            const std::string& second_label) {
  if (dialect == Dialect::Postgres)
    return schema::differences(schema::with_column_order_of(first, second), second, first_label, second_label);
  return schema::differences(first, second, first_label, second_label);
}

std::string schema_hash(Dialect dialect, const schema::Catalog& catalog) {
  return migrations::sha256(canonical_sql(dialect, catalog));
}

std::string canonical_sql(Dialect dialect, const schema::Catalog& catalog) {
  return dialect == Dialect::Postgres ? schema::catalog_sql(catalog) : schema::sqlite_catalog_sql(catalog);
}

}  // namespace strata::compiler
