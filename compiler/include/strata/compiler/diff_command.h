// strata diff: the SQL that turns one schema into another, whichever form
// each comes in. Offline unless a side is a database.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "strata/compiler/commands.h"
#include "strata/compiler/config.h"
#include "strata/parser/statements.h"

namespace strata::compiler {

struct DiffRequest {
  // Each side: a .sql file, a directory of .sql files, a migrations directory
  // (NNNN_*.up.sql files or strata.sum: the head its up files replay to), or
  // a database URL (sqlite:PATH, a .db path, postgres://, postgresql://,
  // libpq key=value: its live schema, without strata's history table).
  std::string from;
  std::string to;
  bool allow_destructive = false;
  std::vector<std::string> renames;    // "OLD=NEW"
  std::vector<std::string> backfills;  // "TABLE.COLUMN=EXPR"
  OutputFormat format = OutputFormat::Text;
};

// Prints the statements that turn `from` into `to` (a comment saying the two
// are the same when there are none) and returns kSuccess. The dialect is the
// engine of a database side, else the config's. A side that is none of the
// above, a refused change or a malformed hint throws strata::Error.
int diff_schemas(const Config& config, const DiffRequest& request, std::ostream& out,
                 std::vector<parser::Warning>& warnings);

}  // namespace strata::compiler
