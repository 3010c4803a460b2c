#include "strata/parser/sqlite_schema.h"

#include <string_view>

#include "source_text.h"
#include "sqlite_run.h"
#include "sqlite_tokenizer.h"
#include "strata/parser/sqlite_catalog.h"

namespace strata::parser {
namespace {

enum class Disposition : unsigned char { Run, PassOver, PassOverWithWarning };

struct Classified {
  Disposition disposition = Disposition::Run;
  std::string warning;
};

// What to do with one statement, judged by its first tokens.
Classified classify(std::string_view statement) {
  const std::vector<sqlite::Token> tokens = sqlite::tokenize(statement.substr(0, 256));
  if (tokens.empty()) return {};
  const sqlite::Token& first = tokens.front();
  for (const std::string_view word : {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})
    if (sqlite::is_word(first, word)) return {Disposition::PassOver, {}};
  if (sqlite::is_word(first, "ATTACH") || sqlite::is_word(first, "DETACH"))
    return {Disposition::PassOverWithWarning,
            sqlite::to_upper(first.text) + " passed over: only the main database's schema is loaded"};
  if (sqlite::is_word(first, "CREATE") && sqlite::is_word_at(tokens, 1, "VIRTUAL"))
    return {Disposition::Run, "virtual tables are not part of the schema strata manages; this one is left out"};
  if (sqlite::is_word(first, "PRAGMA")) {
    // PRAGMA [schema .] name ...
    std::size_t name = 1;
    if (tokens.size() > 3 && tokens[2].kind == sqlite::TokenKind::Operator && tokens[2].text == ".") name = 3;
    if (name >= tokens.size()) return {};
    if (sqlite::is_word(tokens[name], "foreign_keys")) return {Disposition::PassOver, {}};
    for (const std::string_view pragma : {"writable_schema", "schema_version", "query_only"})
      if (sqlite::is_word(tokens[name], pragma))
        return {Disposition::PassOverWithWarning,
                "PRAGMA " + std::string(pragma) + " passed over: it would change how the schema is read"};
  }
  return {};
}

}  // namespace

namespace {

// Whether every statement runs, or only the DDL that later statements need
// (the rest is prepared, to check it parses).
enum class Mode : unsigned char { Run, CheckSyntax };

bool is_ddl(std::string_view statement) {
  const std::vector<sqlite::Token> tokens = sqlite::tokenize(statement.substr(0, 16));
  return !tokens.empty() && (sqlite::is_word(tokens.front(), "CREATE") || sqlite::is_word(tokens.front(), "ALTER") ||
                             sqlite::is_word(tokens.front(), "DROP"));
}

// SQLite's messages for text its grammar rejects, as opposed to what it can
// only tell with the schema at hand ("no such table").
bool is_syntax_error(std::string_view message) {
  return message.find("syntax error") != std::string_view::npos || message.starts_with("incomplete input") ||
         message.starts_with("unrecognized token");
}

void walk_sqlite_file(sqlite3* db, const SourceFile& file, std::vector<Warning>& warnings, Mode mode) {
  const SourceText source(file.path, file.text);
  const char* const base = file.text.data();
  const char* const end = base + file.text.size();
  const char* cursor = base;
  if (file.text.starts_with("\xEF\xBB\xBF")) cursor += 3;  // a UTF-8 byte order mark
  while (cursor < end) {
    const auto offset = static_cast<std::size_t>(cursor - base);
    const std::size_t start = sqlite::first_token_offset(file.text, offset);
    if (start >= file.text.size()) break;
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(db, base + start, static_cast<int>(file.text.size() - start), &raw, &tail);
    sqlite::Statement statement(raw);
    if (rc != SQLITE_OK && !(mode == Mode::CheckSyntax && !is_syntax_error(sqlite3_errmsg(db)))) {
      const int inside = sqlite3_error_offset(db);
      const std::size_t at = inside >= 0 ? start + static_cast<std::size_t>(inside) : start;
      throw source.error(at, sqlite3_errmsg(db));
    }
    cursor = tail != nullptr && tail > base + start ? tail : end;
    if (!statement) continue;  // only a comment or a stray ';'
    const std::string_view text(base + start, static_cast<std::size_t>(cursor - (base + start)));
    if (mode == Mode::CheckSyntax) {
      // What the database alone can tell (a table that exists already) is its to report.
      if (is_ddl(text)) sqlite3_step(statement.get());
      continue;
    }
    const Classified what = classify(text);
    if (!what.warning.empty()) warnings.push_back(Warning{source.location(start), what.warning});
    if (what.disposition != Disposition::Run) continue;
    int step = SQLITE_ROW;
    while (step == SQLITE_ROW) step = sqlite3_step(statement.get());
    if (step != SQLITE_DONE) throw source.error(start, sqlite3_errmsg(db));
  }
}

}  // namespace

void run_sqlite_file(sqlite3* db, const SourceFile& file, std::vector<Warning>& warnings) {
  walk_sqlite_file(db, file, warnings, Mode::Run);
}

void check_sqlite_syntax(const std::vector<SourceFile>& files) {
  const sqlite::Database db = open_sqlite_memory_database();
  std::vector<Warning> ignored;
  for (const SourceFile& file : files) walk_sqlite_file(db.get(), file, ignored, Mode::CheckSyntax);
}

sqlite::Database open_sqlite_memory_database() {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  sqlite::Database db(raw);
  if (rc != SQLITE_OK)
    throw Error(std::string("cannot open an in-memory SQLite database: ") +
                (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  return db;
}

schema::Catalog load_sqlite_schema(const std::vector<SourceFile>& files, std::vector<Warning>& warnings) {
  const sqlite::Database db = open_sqlite_memory_database();
  for (const SourceFile& file : files) run_sqlite_file(db.get(), file, warnings);
  return read_sqlite_catalog(db.get());
}

}  // namespace strata::parser
