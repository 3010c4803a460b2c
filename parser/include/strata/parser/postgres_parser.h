// The PostgreSQL front end: SQL text in, the project's statements out.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/parser/statements.h"

namespace strata::parser {

// Parses `text` (the contents of file `path`) statement by statement: each
// statement is split off, parsed, translated and handed to `sink`, and its
// parse tree is freed before the next one, so memory follows the catalog, not
// the text. Throws strata::Error at file:line:col for a syntax error or an
// unsupported construct; notes what it passes over in `warnings`.
void parse_postgres(const std::string& path, std::string_view text, const std::function<void(Statement&&)>& sink,
                    std::vector<Warning>& warnings);

std::vector<Statement> parse_postgres(const std::string& path, std::string_view text, std::vector<Warning>& warnings);

// One statement of a script, as written, and where it starts (a byte offset).
struct StatementText {
  std::size_t offset = 0;
  std::string_view text;
};

// The statements of a PostgreSQL script in order, split by PostgreSQL's own
// scanner (semicolons inside strings, dollar quotes and comments do not
// split), for running a script one statement at a time. Throws strata::Error
// at file:line:col for an unterminated string or comment.
std::vector<StatementText> split_postgres(const std::string& path, std::string_view text);

// The canonical text of one SQL expression, as the front end stores
// defaults, checks and index expressions. Throws strata::Error when `sql` is
// not one expression.
std::string canonical_expression(std::string_view sql);

}  // namespace strata::parser
