// Running SQLite files into a database, shared by the schema loader and the
// chain replay.
#pragma once

#include <vector>

#include "sqlite_handles.h"
#include "strata/parser/interpreter.h"
#include "strata/parser/statements.h"

namespace strata::parser {

// Runs `file` statement by statement; throws strata::Error at file:line:col.
void run_sqlite_file(sqlite3* db, const SourceFile& file, std::vector<Warning>& warnings);
sqlite::Database open_sqlite_memory_database();

}  // namespace strata::parser
