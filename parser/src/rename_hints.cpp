#include "strata/parser/rename_hints.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "source_text.h"
#include "sqlite_tokenizer.h"
#include "strata/schema/names.h"

namespace strata::parser {
namespace {

using schema::Dialect;

constexpr std::string_view kHintTag = "@renamed";
constexpr std::string_view kHintSyntax = "expected `@renamed from=OLD_NAME` (NAME bare or \"quoted\")";

// The tokens of either dialect's scanner, reduced to what placing a hint needs.
enum class TokenKind : unsigned char { Word, QuotedName, String, LeftParen, RightParen, Comma, Semicolon, Dot, Other };

struct Token {
  TokenKind kind = TokenKind::Other;
  std::string_view text;   // as written
  std::size_t offset = 0;  // byte offset in the file
  std::string name;        // Word, QuotedName, String: the name (or value) as the dialect stores it

  std::size_t end() const { return offset + text.size(); }
};
using Tokens = std::span<const Token>;

struct Comment {
  std::string_view text;  // with its -- or /* */
  std::size_t offset = 0;
};

struct ScannedFile {
  std::vector<Token> tokens;
  std::vector<Comment> comments;
};

// The text between the quotes, doubled quotes undone.
std::string unquoted(std::string_view text) {
  const char quote = text.front();
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    out += text[i];
    if (text[i] == quote && text[i + 1] == quote) ++i;
  }
  return out;
}

struct ScanResultFree {
  void operator()(PgQueryScanResult* result) const noexcept {
    pg_query_free_scan_result(*result);
    delete result;
  }
};
struct ScanTokensFree {
  void operator()(PgQuery__ScanResult* tokens) const noexcept { pg_query__scan_result__free_unpacked(tokens, nullptr); }
};

// PostgreSQL's own scanner; it keeps comments as tokens. Unquoted names fold
// to lower case, and every name is cut to 63 bytes, as the server does.
ScannedFile scan_postgres(const SourceText& source) {
  const std::string text(source.text());
  const std::unique_ptr<PgQueryScanResult, ScanResultFree> result(new PgQueryScanResult(pg_query_scan(text.c_str())));
  if (result->error != nullptr)
    throw source.error(source.byte_offset_of_cursor(0, std::max(result->error->cursorpos, 1)), result->error->message);
  const std::unique_ptr<PgQuery__ScanResult, ScanTokensFree> scanned(pg_query__scan_result__unpack(
      nullptr, result->pbuf.len, reinterpret_cast<const std::uint8_t*>(result->pbuf.data)));
  if (!scanned) throw Error("cannot read libpg_query's scan of " + source.path());
  ScannedFile file;
  for (std::size_t i = 0; i < scanned->n_tokens; ++i) {
    const PgQuery__ScanToken& scanned_token = *scanned->tokens[i];
    const auto offset = static_cast<std::size_t>(scanned_token.start);
    Token token{TokenKind::Other, source.text().substr(offset, static_cast<std::size_t>(scanned_token.end) - offset),
                offset, {}};
    switch (scanned_token.token) {
      case PG_QUERY__TOKEN__SQL_COMMENT:
      case PG_QUERY__TOKEN__C_COMMENT: file.comments.push_back({token.text, offset}); continue;
      case PG_QUERY__TOKEN__ASCII_40: token.kind = TokenKind::LeftParen; break;
      case PG_QUERY__TOKEN__ASCII_41: token.kind = TokenKind::RightParen; break;
      case PG_QUERY__TOKEN__ASCII_44: token.kind = TokenKind::Comma; break;
      case PG_QUERY__TOKEN__ASCII_46: token.kind = TokenKind::Dot; break;
      case PG_QUERY__TOKEN__ASCII_59: token.kind = TokenKind::Semicolon; break;
      case PG_QUERY__TOKEN__SCONST:
        if (token.text.starts_with('\'')) {
          token.kind = TokenKind::String;
          token.name = unquoted(token.text);
        }
        break;
      case PG_QUERY__TOKEN__IDENT:
        if (token.text.starts_with('"')) {
          token.kind = TokenKind::QuotedName;
          token.name = schema::truncate_identifier(unquoted(token.text));
        } else {
          token.kind = TokenKind::Word;
          token.name = schema::truncate_identifier(sqlite::to_lower(token.text));
        }
        break;
      default:
        if (scanned_token.keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD) {
          token.kind = TokenKind::Word;
          token.name = sqlite::to_lower(token.text);
        }
        break;
    }
    file.tokens.push_back(std::move(token));
  }
  return file;
}

// The comments in a run of text that holds only whitespace and comments.
void add_comments(std::string_view text, std::size_t from, std::size_t to, std::vector<Comment>& comments) {
  for (std::size_t at = from; at < to;) {
    const std::string_view rest = text.substr(at, to - at);
    std::size_t length = 1;
    if (rest.starts_with("--")) {
      length = std::min(rest.find('\n'), rest.size());
      comments.push_back({rest.substr(0, length), at});
    } else if (rest.starts_with("/*")) {
      const std::size_t close = rest.find("*/", 2);
      length = close == std::string_view::npos ? rest.size() : close + 2;
      comments.push_back({rest.substr(0, length), at});
    }
    at += length;
  }
}

// SQLite's names are kept as written. The tokenizer drops comments: they are
// what the gaps between its tokens hold besides whitespace.
ScannedFile scan_sqlite(const SourceText& source) {
  const std::string_view text = source.text();
  const std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte order mark
  ScannedFile file;
  std::size_t gap_start = start;
  for (const sqlite::Token& scanned_token : sqlite::tokenize(text.substr(start))) {
    const std::size_t offset = start + scanned_token.offset;
    add_comments(text, gap_start, offset, file.comments);
    gap_start = offset + scanned_token.text.size();
    Token token{TokenKind::Other, scanned_token.text, offset, {}};
    switch (scanned_token.kind) {
      case sqlite::TokenKind::Word: token.kind = TokenKind::Word; break;
      case sqlite::TokenKind::QuotedIdentifier: token.kind = TokenKind::QuotedName; break;
      case sqlite::TokenKind::String: token.kind = TokenKind::String; break;
      case sqlite::TokenKind::LeftParen: token.kind = TokenKind::LeftParen; break;
      case sqlite::TokenKind::RightParen: token.kind = TokenKind::RightParen; break;
      case sqlite::TokenKind::Comma: token.kind = TokenKind::Comma; break;
      case sqlite::TokenKind::Semicolon: token.kind = TokenKind::Semicolon; break;
      case sqlite::TokenKind::Operator:
        if (token.text == ".") token.kind = TokenKind::Dot;
        break;
      default: break;
    }
    if (sqlite::is_name_token(scanned_token)) token.name = sqlite::identifier_value(scanned_token);
    file.tokens.push_back(std::move(token));
  }
  add_comments(text, gap_start, text.size(), file.comments);
  return file;
}

// The NAME of `@renamed from=NAME`.
struct HintName {
  std::string text;  // quotes removed
  bool quoted = false;
};

// The name a comment that starts with @renamed gives; nullopt for any other comment.
std::optional<HintName> hint_name(const SourceText& source, const Comment& comment) {
  std::string_view body = comment.text.substr(2);
  if (comment.text.starts_with("/*") && body.ends_with("*/")) body.remove_suffix(2);
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  const auto skip_blanks = [&] {
    while (!body.empty() && blank(body.front())) body.remove_prefix(1);
  };
  skip_blanks();
  if (!body.starts_with(kHintTag)) return std::nullopt;
  body.remove_prefix(kHintTag.size());
  const auto fail = [&] { return source.error(comment.offset, std::string(kHintSyntax)); };
  if (body.empty() || !blank(body.front())) throw fail();
  skip_blanks();
  if (!body.starts_with("from=")) throw fail();
  body.remove_prefix(5);
  HintName name;
  std::size_t length = 0;
  if (body.starts_with('"') || body.starts_with('\'')) {
    const char quote = body.front();
    for (length = 1; length < body.size(); ++length) {
      if (body[length] != quote) continue;
      if (length + 1 < body.size() && body[length + 1] == quote) {
        ++length;
        continue;
      }
      break;
    }
    if (length == body.size()) throw fail();
    name = {unquoted(body.substr(0, ++length)), true};
  } else {
    while (length < body.size() && !blank(body[length])) ++length;
    name = {std::string(body.substr(0, length)), false};
  }
  body.remove_prefix(length);
  skip_blanks();
  if (name.text.empty() || !body.empty()) throw fail();
  if (!name.quoted && name.text.find('.') != std::string::npos)
    throw source.error(comment.offset, "@renamed from= takes the old name alone, in the object's own schema (moving "
                                       "an object to another schema is not supported; double-quote a name that "
                                       "holds a '.')");
  return name;
}

bool is_word(Tokens tokens, std::size_t at, std::string_view word) {
  return at < tokens.size() && tokens[at].kind == TokenKind::Word && sqlite::iequals(tokens[at].text, word);
}

bool is_name(Tokens tokens, std::size_t at) {
  return at < tokens.size() && (tokens[at].kind == TokenKind::Word || tokens[at].kind == TokenKind::QuotedName);
}

bool is_kind(Tokens tokens, std::size_t at, TokenKind kind) { return at < tokens.size() && tokens[at].kind == kind; }

void skip_words(Tokens tokens, std::size_t& at, std::initializer_list<std::string_view> words) {
  while (std::any_of(words.begin(), words.end(), [&](std::string_view word) { return is_word(tokens, at, word); }))
    ++at;
}

// [schema.]name at `at`, which moves past it.
std::optional<schema::QualifiedName> qualified_name_at(Tokens tokens, std::size_t& at) {
  if (!is_name(tokens, at)) return std::nullopt;
  schema::QualifiedName name{"", tokens[at++].name};
  while (is_kind(tokens, at, TokenKind::Dot) && is_name(tokens, at + 1)) {
    name.schema = std::move(name.name);
    name.name = tokens[at + 1].name;
    at += 2;
  }
  return name;
}

// The index of the ')' that closes the '(' at `open` (tokens.size() when unclosed).
std::size_t closing_paren(Tokens tokens, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].kind == TokenKind::LeftParen) ++depth;
    if (tokens[i].kind == TokenKind::RightParen && --depth == 0) return i;
  }
  return tokens.size();
}

// The first token of the element of the list opened at `open` that holds the
// token at `at`; the comma after an element belongs to it.
std::size_t element_start(Tokens tokens, std::size_t open, std::size_t at) {
  std::size_t start = open + 1;
  int depth = 0;
  for (std::size_t i = open + 1; i < at; ++i) {
    if (tokens[i].kind == TokenKind::LeftParen) ++depth;
    if (tokens[i].kind == TokenKind::RightParen) --depth;
    if (depth == 0 && tokens[i].kind == TokenKind::Comma) start = i + 1;
  }
  return start;
}

// A hint found in a statement, with whether it renames a member (column,
// constraint, enum value) of the statement's object: those come after the
// object's own hint.
struct PlacedHint {
  RenameHint hint;
  std::size_t statement = 0;
  bool member = false;
};

// Places the hints of one file.
class HintReader {
 public:
  HintReader(Dialect dialect, const SourceText& source, ScannedFile scanned)
      : dialect_(dialect), source_(source), file_(std::move(scanned)) {
    statement_starts_.push_back(0);
    for (std::size_t i = 0; i < file_.tokens.size(); ++i)
      if (file_.tokens[i].kind == TokenKind::Semicolon) statement_starts_.push_back(i + 1);
  }

  std::vector<PlacedHint> read() const {
    std::vector<PlacedHint> hints;
    for (const Comment& comment : file_.comments)
      if (const auto name = hint_name(source_, comment)) hints.push_back(place(comment, *name));
    std::stable_sort(hints.begin(), hints.end(), [](const PlacedHint& a, const PlacedHint& b) {
      return std::pair(a.statement, a.member) < std::pair(b.statement, b.member);
    });
    return hints;
  }

 private:
  Error error(const Comment& comment, const std::string& message) const {
    return source_.error(comment.offset, message);
  }

  // The token a comment stands next to: the last one before it on its line,
  // else the first one after it on its line.
  std::optional<std::size_t> anchor(const Comment& comment) const {
    const std::vector<Token>& tokens = file_.tokens;
    const auto after = std::partition_point(tokens.begin(), tokens.end(),
                                            [&](const Token& token) { return token.offset < comment.offset; });
    const auto one_line = [&](std::size_t from, std::size_t to) {
      return source_.text().substr(from, to - from).find('\n') == std::string_view::npos;
    };
    if (after != tokens.begin() && one_line(std::prev(after)->end(), comment.offset))
      return static_cast<std::size_t>(std::prev(after) - tokens.begin());
    if (after != tokens.end() && one_line(comment.offset + comment.text.size(), after->offset))
      return static_cast<std::size_t>(after - tokens.begin());
    return std::nullopt;
  }

  // A name of the hint's NAME: a bare one is folded as the dialect folds identifiers.
  std::string identifier(const HintName& name) const {
    if (dialect_ == Dialect::Sqlite) return name.text;
    return schema::truncate_identifier(name.quoted ? name.text : sqlite::to_lower(name.text));
  }

  std::string schema_or_default(const std::string& schema_name) const {
    if (!schema_name.empty()) return schema_name;
    return dialect_ == Dialect::Postgres ? "public" : "main";
  }

  // A hint next to nothing it can rename: says what it stands next to.
  Error misplaced(const Comment& comment, const std::string& what) const {
    return error(comment, "this rename hint stands next to " + what +
                              ", which a hint cannot rename (a table, column, named constraint, index, enum or enum "
                              "value can be)");
  }

  // What a hint renames: the object or member named `old_name` in `parent`
  // (the schema, or the schema and the object for a member).
  struct Target {
    std::vector<std::string> parent;
    std::string old_name;
    std::string new_name;
    bool member = false;
  };

  PlacedHint place(const Comment& comment, const HintName& from) const {
    const auto at = anchor(comment);
    if (!at)
      throw error(comment, "a rename hint stands on the line of the table, column, constraint, index, enum or enum "
                           "value it renames; this one stands on a line of its own");
    const auto statement = static_cast<std::size_t>(
        std::upper_bound(statement_starts_.begin(), statement_starts_.end(), *at) - statement_starts_.begin() - 1);
    const std::size_t begin = statement_starts_[statement];
    const std::size_t end =
        statement + 1 < statement_starts_.size() ? statement_starts_[statement + 1] : file_.tokens.size();
    Target target = target_in(comment, Tokens(file_.tokens).subspan(begin, end - begin), *at - begin, from);
    target.parent.push_back(std::move(target.old_name));
    return {{join_rename_path(target.parent), std::move(target.new_name), source_.location(comment.offset)},
            statement,
            target.member};
  }

  // What a hint next to the token at `anchor_at` of a statement renames.
  Target target_in(const Comment& comment, Tokens tokens, std::size_t anchor_at, const HintName& from) const {
    std::size_t at = 0;
    if (is_word(tokens, 0, "ALTER") && is_word(tokens, 1, "TABLE")) return added_constraint_target(comment, tokens, anchor_at, from);
    if (!is_word(tokens, at++, "CREATE")) throw misplaced(comment, "a statement that creates nothing");
    skip_words(tokens, at, {"OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE"});
    if (is_word(tokens, at, "INDEX")) return index_target(comment, tokens, at + 1, from);
    const bool type = is_word(tokens, at, "TYPE");
    if (!type && !is_word(tokens, at, "TABLE")) throw misplaced(comment, "a CREATE statement for something else");
    ++at;
    skip_words(tokens, at, {"IF", "NOT", "EXISTS"});
    const auto name = qualified_name_at(tokens, at);
    if (!name) throw misplaced(comment, "a CREATE statement it cannot read");
    if (type && !(is_word(tokens, at, "AS") && is_word(tokens, at + 1, "ENUM")))
      throw misplaced(comment, "a type that is not an enum");

    // The header (up to the list's '(' and from its ')' on) names the object itself.
    const std::string schema_name = schema_or_default(name->schema);
    const std::size_t open = type ? at + 2 : at;
    const std::size_t close =
        is_kind(tokens, open, TokenKind::LeftParen) ? closing_paren(tokens, open) : std::min(open, tokens.size());
    if (anchor_at <= open || anchor_at >= close) return {{schema_name}, identifier(from), name->name, false};

    const std::size_t element = element_start(tokens, open, anchor_at);
    const std::vector<std::string> object_path{schema_name, name->name};
    if (type) {
      if (!is_kind(tokens, element, TokenKind::String)) throw misplaced(comment, "an enum value it cannot read");
      return {object_path, from.text, tokens[element].name, true};
    }
    if (is_word(tokens, element, "CONSTRAINT") && is_name(tokens, element + 1))
      return {object_path, identifier(from), tokens[element + 1].name, true};
    if (is_word(tokens, element, "LIKE")) throw misplaced(comment, "a LIKE clause");
    for (const std::string_view keyword : {"PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"})
      if (is_word(tokens, element, keyword))
        throw misplaced(comment, "a constraint without a name (name it: CONSTRAINT name ...)");
    if (!is_name(tokens, element)) throw misplaced(comment, "a table element it cannot read");
    return {object_path, identifier(from), tokens[element].name, true};
  }

  // ALTER TABLE [IF EXISTS] [ONLY] table ... ADD CONSTRAINT name ...: the
  // constraint the hint's line adds (a NOT VALID one can only be written so),
  // else the statement's first.
  Target added_constraint_target(const Comment& comment, Tokens tokens, std::size_t anchor_at,
                                 const HintName& from) const {
    std::size_t at = 2;
    skip_words(tokens, at, {"IF", "EXISTS", "ONLY"});
    const auto table = qualified_name_at(tokens, at);
    if (!table) throw misplaced(comment, "an ALTER TABLE it cannot read");
    std::optional<std::size_t> added;
    for (std::size_t i = at; i + 2 < tokens.size(); ++i)
      if (is_word(tokens, i, "ADD") && is_word(tokens, i + 1, "CONSTRAINT") && is_name(tokens, i + 2) &&
          (!added || i <= anchor_at))
        added = i + 2;
    if (!added) throw misplaced(comment, "an ALTER TABLE that adds no named constraint");
    return {{schema_or_default(table->schema), table->name}, identifier(from), tokens[*added].name, true};
  }

  // CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table, from after INDEX.
  Target index_target(const Comment& comment, Tokens tokens, std::size_t at, const HintName& from) const {
    skip_words(tokens, at, {"CONCURRENTLY", "IF", "NOT", "EXISTS"});
    if (is_word(tokens, at, "ON")) throw misplaced(comment, "an index without a name");
    const auto name = qualified_name_at(tokens, at);
    if (!name || !is_word(tokens, at++, "ON")) throw misplaced(comment, "an index it cannot read");
    skip_words(tokens, at, {"ONLY"});
    // PostgreSQL puts an index in its table's schema.
    const auto table = qualified_name_at(tokens, at);
    const std::string& schema_name = name->schema.empty() && table ? table->schema : name->schema;
    return {{schema_or_default(schema_name)}, identifier(from), name->name, false};
  }

  Dialect dialect_;
  const SourceText& source_;
  ScannedFile file_;
  std::vector<std::size_t> statement_starts_;  // the index of each statement's first token
};

}  // namespace

std::string join_rename_path(const std::vector<std::string>& names) {
  std::string path;
  for (const std::string& name : names) {
    if (!path.empty()) path += '.';
    if (name.find('.') == std::string::npos && !name.starts_with('"')) {
      path += name;
      continue;
    }
    path += '"';
    for (const char c : name) path += c == '"' ? std::string(2, c) : std::string(1, c);
    path += '"';
  }
  return path;
}

std::vector<std::string> split_rename_path(std::string_view path) {
  std::vector<std::string> names(1);
  for (std::size_t at = 0; at < path.size(); ++at) {
    if (path[at] == '.') {
      names.emplace_back();
    } else if (path[at] == '"' && names.back().empty()) {
      // A quoted name runs to the '"' that is not doubled.
      for (++at; at < path.size() && (path[at] != '"' || (at + 1 < path.size() && path[at + 1] == '"')); ++at) {
        names.back() += path[at];
        if (path[at] == '"') ++at;
      }
    } else {
      names.back() += path[at];
    }
  }
  return names;
}

std::vector<RenameHint> read_rename_hints(Dialect dialect, const std::vector<SourceFile>& files) {
  std::vector<RenameHint> hints;
  for (const SourceFile& file : files) {
    // Most files hold no hint: they are not scanned.
    if (file.text.find(kHintTag) == std::string::npos) continue;
    const SourceText source(file.path, file.text);
    ScannedFile scanned = dialect == Dialect::Postgres ? scan_postgres(source) : scan_sqlite(source);
    for (PlacedHint& placed : HintReader(dialect, source, std::move(scanned)).read())
      hints.push_back(std::move(placed.hint));
  }
  return hints;
}

}  // namespace strata::parser
