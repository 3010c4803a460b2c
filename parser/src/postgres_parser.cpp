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

// Where a statement opens a SQL-standard routine body (BEGIN ATOMIC), which
// the splitter cuts at its inner semicolons; npos when it does not.
std::size_t begin_atomic_at(std::string_view statement) {
  std::string lower(statement);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t at = lower.find("begin"); at != std::string::npos; at = lower.find("begin", at + 1)) {
    std::size_t next = at + 5;
    if (next >= lower.size() || !std::isspace(static_cast<unsigned char>(lower[next]))) continue;
    while (next < lower.size() && std::isspace(static_cast<unsigned char>(lower[next]))) ++next;
    if (lower.compare(next, 6, "atomic") == 0) return at;
  }
  return std::string::npos;
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
    if (result->error != nullptr) {
      if (const std::size_t atomic = begin_atomic_at(statement_text); atomic != std::string::npos)
        throw source.error(offset + atomic, "SQL-standard routine bodies (BEGIN ATOMIC ... END) are not supported: "
                                            "write the body as a string (AS $$ ... $$)");
      throw syntax_error(source, offset, *result->error);
    }
    const pg::ParseTree tree(result->parse_tree);
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

void check_postgres_syntax(const std::string& path, std::string_view text) {
  const SourceText source(path, text);
  for (const StatementText& piece : split_postgres(path, text)) {
    const std::string statement_text(piece.text);
    pg::ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(statement_text.c_str())));
    if (result->error != nullptr) throw syntax_error(source, piece.offset, *result->error);
  }
}

std::vector<Statement> parse_postgres(const std::string& path, std::string_view text, std::vector<Warning>& warnings) {
  std::vector<Statement> statements;
  parse_postgres(path, text, [&](Statement&& statement) { statements.push_back(std::move(statement)); }, warnings);
  return statements;
}

namespace {

// Parses `query`, which must be one SELECT statement, and hands `use` a
// context, the statement and its SelectStmt; the tree lives until `use` returns.
template <typename Use>
auto with_select(const std::string& query, std::string_view what, const Use& use) {
  const SourceText source("<" + std::string(what) + ">", query);
  pg::ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(query.c_str())));
  if (result->error != nullptr) throw syntax_error(source, 0, *result->error);
  const pg::ParseTree tree(result->parse_tree);
  const auto* statement = tree && tree->n_stmts == 1 ? tree->stmts[0]->stmt : nullptr;
  if (statement == nullptr || statement->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
    throw Error("not a single " + std::string(what) + ": " + query);
  std::vector<Warning> ignored;
  const pg::Context context(source, 0, ignored);
  return use(context, *statement, *statement->select_stmt);
}

// `sql` as the one target of a SELECT without FROM.
template <typename Use>
auto with_expression(std::string_view sql, const Use& use) {
  return with_select("SELECT " + std::string(sql), "expression",
                     [&](const pg::Context& context, const pg::Node&, const PgQuery__SelectStmt& select) {
                       if (select.n_target_list != 1 || select.n_from_clause != 0)
                         throw Error("not a single expression: " + std::string(sql));
                       return use(context, select.target_list[0]->res_target->val);
                     });
}

}  // namespace

std::string canonical_expression(std::string_view sql) {
  return with_expression(sql, [](const pg::Context& context, const pg::Node* expression) {
    return pg::deparse_expression(context, expression);
  });
}

std::vector<schema::QualifiedName> expression_routines(std::string_view sql) {
  return with_expression(sql, [](const pg::Context&, const pg::Node* expression) {
    return pg::dependencies(expression).functions;
  });
}

ExpressionReads expression_reads(std::string_view sql) { return pg::expression_reads(sql); }

std::vector<std::string> partition_key_columns(const std::optional<std::string>& partition_by) {
  if (!partition_by) return {};
  const std::size_t keys = partition_by->find('(');  // after the strategy
  if (keys == std::string::npos) return {};
  return pg::expression_reads(std::string_view(*partition_by).substr(keys)).columns;
}

std::string rename_type_in_expression(std::string_view sql, const schema::QualifiedName& type,
                                      const std::string& new_name) {
  return pg::rename_type_in_expression(sql, type, new_name);
}

std::string canonical_query(std::string_view sql) {
  return with_select(std::string(sql), "query",
                     [](const pg::Context& context, const pg::Node& statement, const PgQuery__SelectStmt&) {
                       return pg::deparse_statement(context, &statement);
                     });
}

std::string without_cast_to(std::string_view canonical_default, const schema::TypeRef& type,
                            const schema::Catalog& catalog) {
  if (canonical_default.find("::") == std::string_view::npos) return std::string(canonical_default);  // no cast to parse for
  // The server casts to a type without its modifiers; an unqualified user
  // type in a file's cast is taken to be the object's own.
  auto is_cast_to = [](const pg::Context& context, const PgQuery__TypeCast& cast, const schema::TypeRef& target) {
    if (cast.type_name == nullptr || cast.type_name->n_typmods != 0) return false;
    const schema::TypeRef written = pg::type_ref(context, cast.type_name);
    return written.name == target.name && written.array_dims == target.array_dims &&
           (written.schema.empty() || written.schema == target.schema);
  };
  // A literal for a domain is cast to the domain's base type ('x'::text, the
  // coercion to the domain itself not printed), or written so ('x'::text::public.isbn).
  const auto domain = type.array_dims == 0 ? catalog.domains.find({type.schema, type.name}) : catalog.domains.end();
  auto is_own_cast = [&](const pg::Context& context, const pg::Node* node) {
    return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_TYPE_CAST &&
           (is_cast_to(context, *node->type_cast, type) ||
            (domain != catalog.domains.end() && is_cast_to(context, *node->type_cast, domain->second.base_type)));
  };
  return with_expression(canonical_default, [&](const pg::Context& context, const pg::Node* expression) {
    const pg::Node* literal = expression;
    while (is_own_cast(context, literal)) literal = literal->type_cast->arg;
    const bool is_literal = literal != nullptr && literal->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                            (literal->a_const->isnull || literal->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL);
    return is_literal ? pg::deparse_expression(context, literal) : std::string(canonical_default);
  });
}

}  // namespace strata::parser
