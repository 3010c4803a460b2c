// The steps behind the commands: read the schema files a config names and
// turn them into a catalog in the configured dialect.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "strata/compiler/config.h"
#include "strata/migrations/directory.h"
#include "strata/migrations/file_set.h"
#include "strata/parser/rename_hints.h"
#include "strata/parser/replay.h"
#include "strata/parser/statements.h"
#include "strata/schema/catalog.h"

namespace strata::compiler {

// Reads every schema file into one catalog (the desired schema).
schema::Catalog load_desired_schema(const Config& config, std::vector<parser::Warning>& warnings);

// The desired schema with the rename hints written in its files.
struct DesiredSchema {
  schema::Catalog catalog;
  std::vector<parser::RenameHint> rename_hints;
};
DesiredSchema load_desired_schema_with_hints(const Config& config, std::vector<parser::Warning>& warnings);

// The canonical DDL of a catalog in the dialect's own syntax.
std::string canonical_sql(Dialect dialect, const schema::Catalog& catalog);

// Reads a whole file; a missing or unreadable file throws strata::Error.
using migrations::read_file;

// An empty replay in the config's dialect.
std::unique_ptr<parser::Replay> make_replay(Dialect dialect, std::vector<parser::Warning>& warnings);

// The migrations directory a config names.
std::filesystem::path migrations_path(const Config& config);

// The schema the chain's up files produce (the previous schema of plan).
schema::Catalog replay_chain(const Config& config, const migrations::Directory& directory,
                             std::vector<parser::Warning>& warnings);

// The chain's head (replay_chain) and the desired schema with its hints,
// loaded on two threads: they are independent, and each is mostly parsing.
// Warnings come in that order; a failure of either is thrown, the chain's
// first.
struct HeadAndDesired {
  schema::Catalog head;
  DesiredSchema desired;
};
HeadAndDesired load_head_and_desired(const Config& config, const migrations::Directory& directory,
                                     std::vector<parser::Warning>& warnings);

// How two states of a schema differ (schema::differences), as far as the
// dialect can tell them apart: PostgreSQL's column order is what ADD COLUMN
// leaves (schema::with_column_order_of), so it is not compared there.
std::vector<std::string> schema_differences(Dialect dialect, const schema::Catalog& first,
                                            const schema::Catalog& second, const std::string& first_label,
                                            const std::string& second_label);

// "sha256:<hex>" of a catalog's canonical DDL: names a schema state in headers.
std::string schema_hash(Dialect dialect, const schema::Catalog& catalog);

}  // namespace strata::compiler
