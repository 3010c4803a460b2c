// The steps behind the commands: read the schema files a config names and
// turn them into a catalog in the configured dialect.
#pragma once

#include <filesystem>
#include <vector>

#include "strata/compiler/config.h"
#include "strata/parser/statements.h"
#include "strata/schema/catalog.h"

namespace strata::compiler {

// Reads every schema file into one catalog (the desired schema).
schema::Catalog load_desired_schema(const Config& config, std::vector<parser::Warning>& warnings);

// The canonical DDL of a catalog in the dialect's own syntax.
std::string canonical_sql(Dialect dialect, const schema::Catalog& catalog);

// Reads a whole file; a missing or unreadable file throws strata::Error.
std::string read_file(const std::filesystem::path& path);

}  // namespace strata::compiler
