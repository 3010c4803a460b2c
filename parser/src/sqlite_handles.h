// RAII owners for the sqlite3 C handles used by the SQLite front end.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

namespace strata::parser::sqlite {

struct DatabaseCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, DatabaseCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Column `index` of the current row as text; "" for NULL.
inline std::string column_text(sqlite3_stmt* statement, int index) {
  const unsigned char* text = sqlite3_column_text(statement, index);
  if (text == nullptr) return {};
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, index));
  return std::string(reinterpret_cast<const char*>(text), size);
}

inline bool column_is_null(sqlite3_stmt* statement, int index) {
  return sqlite3_column_type(statement, index) == SQLITE_NULL;
}

}  // namespace strata::parser::sqlite
