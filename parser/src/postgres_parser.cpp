#include "strata/parser/postgres_parser.h"

#include <cctype>

#include "pg_tree.h"
#include "source_text.h"
#include "translate.h"

namespace strata::parser {
namespace {

struct SplitResultFree {
  void operator()(PgQuerySplitResult* result) const noexcept {
    pg_query_free_split_result(*result);
    delete result;
  }
};
using SplitResult = std::unique_ptr<PgQuerySplitResult, SplitResultFree>;

// libpg_query reports a syntax error at a 1-based character position of the
// text it was given (0: unknown, taken as the start).
Error syntax_error(const SourceText& source, std::size_t text_offset, const PgQueryError& error) {
  const std::size_t offset = source.byte_offset_of_cursor(text_offset, std::max(error.cursorpos, 1));
  return source.error(offset, error.message);
}

// The first byte at or after `at` that is not whitespace or a comment: where
// a statement's own text starts, for its location.
std::size_t skip_blanks(std::string_view text, std::size_t at) {
  while (at < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[at]))) {
      ++at;
    } else if (text.substr(at, 2) == "--") {
      at = text.find('\n', at);
      if (at == std::string_view::npos) return text.size();
    } else if (text.substr(at, 2) == "/*") {
      const std::size_t end = text.find("*/", at + 2);
      if (end == std::string_view::npos) return text.size();
      at = end + 2;
    } else {
      break;
    }
  }
  return at;
}

// The scanner-based splitter leaves out a piece that holds no keyword at all
// ("SELEC 1;"), so the text between the pieces must be blank: anything else
// is parsed on its own to report PostgreSQL's own syntax error for it.
void require_blank(const SourceText& source, std::string_view text, std::size_t from, std::size_t to) {
  std::size_t at = from;
  while (true) {
    at = skip_blanks(text, at);
    if (at >= to || text[at] != ';') break;
    ++at;
  }
  if (at >= to) return;
  const std::size_t end = text.find(';', at);
  const std::string piece(text.substr(at, std::min(end, to) - at));
  PgQueryProtobufParseResult result = pg_query_parse_protobuf(piece.c_str());
  pg::ProtobufParseResult owner(new PgQueryProtobufParseResult(result));
  if (result.error != nullptr) throw syntax_error(source, at, *result.error);
  throw source.error(at, "syntax error: statement not recognised");
}

}  // namespace

void parse_postgres(const std::string& path, std::string_view text, const std::function<void(Statement&&)>& sink,
                    std::vector<Warning>& warnings) {
  const SourceText source(path, text);
  for (const StatementText& piece : split_postgres(path, text)) {
    const std::size_t offset = piece.offset;
    const std::string statement_text(piece.text);
    pg::ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(statement_text.c_str())));
    if (result->error != nullptr) throw syntax_error(source, offset, *result->error);
    pg::ParseTree tree(pg_query__parse_result__unpack(
        nullptr, result->parse_tree.len, reinterpret_cast<const std::uint8_t*>(result->parse_tree.data)));
    if (!tree) throw source.error(offset, "cannot read libpg_query's parse tree");
    // A piece with no statement holds only comments or an empty statement.

    for (std::size_t k = 0; k < tree->n_stmts; ++k) {
      const PgQuery__RawStmt& raw = *tree->stmts[k];
      const std::size_t first = skip_blanks(text, offset + static_cast<std::size_t>(raw.stmt_location));
      const pg::Context context(source, offset, warnings);
      const std::int32_t location = static_cast<std::int32_t>(first - offset);
      Statement statement{translate::statement(context, raw.stmt, location), source.location(first),
                          source.line_at(first)};
      sink(std::move(statement));
    }
  }
}

std::vector<StatementText> split_postgres(const std::string& path, std::string_view text) {
  const SourceText source(path, text);
  const std::string owned_text(text);
  SplitResult split(new PgQuerySplitResult(pg_query_split_with_scanner(owned_text.c_str())));
  if (split->error != nullptr) throw syntax_error(source, 0, *split->error);
  std::vector<StatementText> statements;
  std::size_t covered = 0;
  for (int i = 0; i < split->n_stmts; ++i) {
    const auto offset = static_cast<std::size_t>(split->stmts[i]->stmt_location);
    const auto length = static_cast<std::size_t>(split->stmts[i]->stmt_len);
    require_blank(source, text, covered, offset);
    statements.push_back({offset, text.substr(offset, length)});
    covered = offset + length;
  }
  require_blank(source, text, covered, text.size());
  return statements;
}

std::vector<Statement> parse_postgres(const std::string& path, std::string_view text, std::vector<Warning>& warnings) {
  std::vector<Statement> statements;
  parse_postgres(path, text, [&](Statement&& statement) { statements.push_back(std::move(statement)); }, warnings);
  return statements;
}

std::string canonical_expression(std::string_view sql) {
  const std::string query = "SELECT " + std::string(sql);
  const SourceText source("<expression>", query);
  pg::ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(query.c_str())));
  if (result->error != nullptr) throw syntax_error(source, 0, *result->error);
  pg::ParseTree tree(pg_query__parse_result__unpack(
      nullptr, result->parse_tree.len, reinterpret_cast<const std::uint8_t*>(result->parse_tree.data)));
  const auto* select = tree && tree->n_stmts == 1 && tree->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT
                           ? tree->stmts[0]->stmt->select_stmt
                           : nullptr;
  if (select == nullptr || select->n_target_list != 1 || select->n_from_clause != 0)
    throw Error("not a single expression: " + std::string(sql));
  std::vector<Warning> ignored;
  const pg::Context context(source, 0, ignored);
  return pg::deparse_expression(context, select->target_list[0]->res_target->val);
}

}  // namespace strata::parser
