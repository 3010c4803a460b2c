#include "strata/parser/sqlite_schema.h"

#include <algorithm>
#include <map>
#include <optional>
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

// A clause of CREATE that the model does not keep, so that a plan would
// lose it, with its offset in `statement`: TEMP, ON CONFLICT (the table's
// behaviour on a violation) and a column's PRIMARY KEY DESC (which, unlike
// the table constraint PRIMARY KEY (x DESC), keeps an INTEGER column from
// being the rowid).
std::optional<std::pair<std::size_t, std::string>> unsupported_clause(std::string_view statement) {
  const std::vector<sqlite::Token> tokens = sqlite::tokenize(statement);
  const auto word = [&](std::size_t i, std::string_view text) { return sqlite::is_word_at(tokens, i, text); };
  if (word(0, "CREATE") && (word(1, "TEMP") || word(1, "TEMPORARY")))
    return std::pair{tokens[1].offset, std::string("temporary tables, views and triggers are not part of a schema: "
                                                   "strata reads the main schema only")};
  if (!word(0, "CREATE") || !(word(1, "TABLE") || word(2, "TABLE") || word(3, "TABLE"))) return std::nullopt;
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (word(i, "ON") && word(i + 1, "CONFLICT"))
      return std::pair{tokens[i].offset, std::string("ON CONFLICT clauses in CREATE TABLE are not supported: "
                                                     "strata's model does not keep them, so a plan would drop them")};
    if (word(i, "PRIMARY") && word(i + 1, "KEY") && word(i + 2, "DESC"))
      return std::pair{tokens[i].offset, std::string("a column's PRIMARY KEY DESC is not supported: strata's model "
                                                     "does not keep it, and without it an INTEGER column would "
                                                     "become the table's rowid")};
  }
  return std::nullopt;
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
    // With the NUL terminator counted, SQLite parses in place instead of
    // copying the rest of the file for every statement (quadratic).
    const int rc = sqlite3_prepare_v2(db, base + start, static_cast<int>(file.text.size() - start) + 1, &raw, &tail);
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
    if (const auto clause = unsupported_clause(text)) throw source.error(start + clause->first, clause->second);
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

namespace {

// A statement of a schema file: its text and its tokens.
struct FileStatement {
  std::string_view text;
  sqlite::Tokens tokens;
};

// A file's tokens and its statements, cut where SQLite ends a statement (a
// ';' inside a trigger's body does not: sqlite3_complete says).
struct SplitFile {
  std::vector<sqlite::Token> tokens;
  std::vector<FileStatement> statements;
};

SplitFile split_statements(const SourceFile& file) {
  SplitFile split;
  const std::string_view text = file.text;
  const std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte order mark
  split.tokens = sqlite::tokenize(text.substr(bom));
  std::optional<std::size_t> first;  // the statement's first token
  for (std::size_t i = 0; i < split.tokens.size(); ++i) {
    const sqlite::Token& token = split.tokens[i];
    if (!first) {
      if (token.kind == sqlite::TokenKind::Semicolon) continue;
      first = i;
    }
    const bool last = i + 1 == split.tokens.size();
    if (token.kind != sqlite::TokenKind::Semicolon && !last) continue;
    const std::size_t start = bom + split.tokens[*first].offset;
    const std::size_t end = bom + token.offset + token.text.size();
    if (!last && sqlite3_complete(std::string(text.substr(start, end - start)).c_str()) == 0) continue;
    split.statements.push_back(FileStatement{text.substr(start, end - start),
                                             sqlite::Tokens(split.tokens).subspan(*first, i + 1 - *first)});
    first.reset();
  }
  return split;
}

// The name a CREATE TABLE, INDEX, VIEW or TRIGGER statement of the main
// schema defines, upper-cased as SQLite compares names; nothing for any other
// statement.
std::optional<std::string> defined_name(sqlite::Tokens tokens) {
  std::size_t at = 0;
  if (!sqlite::is_word_at(tokens, at++, "CREATE")) return std::nullopt;
  if (sqlite::is_word_at(tokens, at, "UNIQUE")) ++at;
  if (!sqlite::is_word_at(tokens, at, "TABLE") && !sqlite::is_word_at(tokens, at, "INDEX") &&
      !sqlite::is_word_at(tokens, at, "VIEW") && !sqlite::is_word_at(tokens, at, "TRIGGER"))
    return std::nullopt;  // TEMP, VIRTUAL
  ++at;
  if (sqlite::is_word_at(tokens, at, "IF")) at += 3;  // IF NOT EXISTS
  if (at + 1 < tokens.size() && tokens[at + 1].text == ".") {
    if (!sqlite::iequals(sqlite::identifier_value(tokens[at]), "main")) return std::nullopt;
    at += 2;
  }
  if (at >= tokens.size() || !sqlite::is_name_token(tokens[at])) return std::nullopt;
  return sqlite::to_upper(sqlite::identifier_value(tokens[at]));
}

// Statements (indexes into a list) in groups that name only each other.
class StatementGroups {
 public:
  explicit StatementGroups(std::size_t count) : parent_(count) {
    for (std::size_t i = 0; i < count; ++i) parent_[i] = i;
  }
  void join(std::size_t a, std::size_t b) { parent_[root(a)] = root(b); }
  std::size_t root(std::size_t statement) {
    while (parent_[statement] != statement) statement = parent_[statement] = parent_[parent_[statement]];
    return statement;
  }

 private:
  std::vector<std::size_t> parent_;
};

// Every CREATE statement of a schema, cut into parts of about
// `statements_per_part` that can each run in a database of their own: a
// statement is in the part of every object whose name it mentions (a cheap
// over-approximation: a column named like a table counts too), so views,
// triggers, indexes and CREATE TABLE ... AS find what they read, and a name
// defined twice fails as it would in one database; a foreign key's table
// does not count. Nothing when the schema
// has other statements (ALTER, DROP, PRAGMA, data, TEMP or VIRTUAL objects).
std::optional<std::vector<std::vector<const FileStatement*>>> independent_parts(
    const std::vector<const FileStatement*>& statements, std::size_t statements_per_part) {
  std::map<std::string, std::size_t> definitions;  // name -> its first defining statement
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const std::optional<std::string> name = defined_name(statements[i]->tokens);
    if (!name) return std::nullopt;
    definitions.try_emplace(*name, i);
  }
  StatementGroups groups(statements.size());
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const sqlite::Tokens tokens = statements[i]->tokens;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      // A foreign key's table need not exist until rows are written; the
      // catalog resolves it across parts.
      const bool referenced_table = t > 0 && sqlite::is_word(tokens[t - 1], "REFERENCES");
      if (!sqlite::is_name_token(tokens[t]) || referenced_table) continue;
      if (const auto found = definitions.find(sqlite::to_upper(sqlite::identifier_value(tokens[t])));
          found != definitions.end())
        groups.join(i, found->second);
    }
  }
  // Whole groups, in the order of their first statement, packed into parts;
  // each part runs its statements in file order.
  std::map<std::size_t, std::vector<std::size_t>> members;  // root -> statements
  std::vector<std::size_t> roots_in_order;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    auto& group = members[groups.root(i)];
    if (group.empty()) roots_in_order.push_back(groups.root(i));
    group.push_back(i);
  }
  std::vector<std::vector<std::size_t>> indexes(1);
  for (const std::size_t root : roots_in_order) {
    if (indexes.back().size() >= statements_per_part) indexes.emplace_back();
    indexes.back().insert(indexes.back().end(), members[root].begin(), members[root].end());
  }
  std::vector<std::vector<const FileStatement*>> parts;
  for (auto& part : indexes) {
    std::sort(part.begin(), part.end());
    auto& out = parts.emplace_back();
    for (const std::size_t i : part) out.push_back(statements[i]);
  }
  return parts;
}

bool runs(sqlite3* db, std::string_view statement) {
  if (unsupported_clause(statement)) return false;  // the one-database load reports it where it is
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, statement.data(), static_cast<int>(statement.size()), &raw, nullptr);
  const sqlite::Statement prepared(raw);
  return rc == SQLITE_OK && (!prepared || sqlite3_step(prepared.get()) == SQLITE_DONE);
}

// The statements of a schema's files, in the parts they load in; one part
// (empty) when the schema loads in one database.
class SchemaParts {
 public:
  SchemaParts(const std::vector<SourceFile>& files, std::size_t statements_per_part) {
    split_.reserve(files.size());  // `statements` points into it
    std::vector<const FileStatement*> statements;
    for (const SourceFile& file : files) {
      split_.push_back(split_statements(file));
      for (const FileStatement& statement : split_.back().statements) statements.push_back(&statement);
    }
    if (statements.size() <= statements_per_part) return;
    if (auto parts = independent_parts(statements, statements_per_part); parts && parts->size() > 1)
      parts_ = std::move(*parts);
  }
  const std::vector<std::vector<const FileStatement*>>& parts() const { return parts_; }

 private:
  std::vector<SplitFile> split_;
  std::vector<std::vector<const FileStatement*>> parts_;
};

// The schema loaded part by part (independent_parts), or nothing when it
// cannot be split or a statement fails (the caller then loads it in one
// database, which reports the first failure in file order).
std::optional<schema::Catalog> load_in_parts(const std::vector<SourceFile>& files, std::size_t statements_per_part) {
  const SchemaParts parts(files, statements_per_part);
  if (parts.parts().empty()) return std::nullopt;
  std::vector<sqlite::Database> databases;
  std::vector<sqlite3*> handles;
  for (const auto& part : parts.parts()) {
    sqlite3* db = handles.emplace_back(databases.emplace_back(open_sqlite_memory_database()).get());
    for (const FileStatement* statement : part)
      if (!runs(db, statement->text)) return std::nullopt;
  }
  return read_sqlite_catalog(handles);
}

}  // namespace

std::size_t sqlite_schema_parts(const std::vector<SourceFile>& files, std::size_t statements_per_part) {
  return std::max<std::size_t>(1, SchemaParts(files, statements_per_part).parts().size());
}

schema::Catalog load_sqlite_schema(const std::vector<SourceFile>& files, std::vector<Warning>& warnings,
                                   std::size_t statements_per_part) {
  if (auto catalog = load_in_parts(files, statements_per_part)) return std::move(*catalog);
  const sqlite::Database db = open_sqlite_memory_database();
  for (const SourceFile& file : files) run_sqlite_file(db.get(), file, warnings);
  return read_sqlite_catalog(db.get());
}

}  // namespace strata::parser
