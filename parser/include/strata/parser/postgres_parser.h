// The PostgreSQL front end: SQL text in, the project's statements out.
#pragma once

#include <functional>
#include <optional>
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

// Checks a script against PostgreSQL's grammar without translating it:
// throws strata::Error at file:line:col for a statement that does not parse.
void check_postgres_syntax(const std::string& path, std::string_view text);

// The canonical text of one SQL expression, as the front end stores
// defaults, checks and index expressions. Throws strata::Error when `sql` is
// not one expression.
std::string canonical_expression(std::string_view sql);
// The same for one query (SELECT, VALUES, WITH ...), as the front end stores
// a view's.
std::string canonical_query(std::string_view sql);

// The routines one expression calls (outside pg_catalog), from its parse
// tree, as written: the schema is empty when the call does not name one.
std::vector<schema::QualifiedName> expression_routines(std::string_view sql);

// What one expression reads, from its parse tree: the columns (the last name
// of each column reference) and the user types it casts to (the schema empty
// when the cast does not name one), each distinct, in the order they first
// appear.
struct ExpressionReads {
  std::vector<std::string> columns;
  std::vector<schema::QualifiedName> cast_types;
};
ExpressionReads expression_reads(std::string_view sql);

// The columns a table's partition key (Table::partition_by, "LIST (m)",
// "RANGE (a, (lower(b)))") reads; none when the table is not partitioned.
std::vector<std::string> partition_key_columns(const std::optional<std::string>& partition_by);

// One expression with its casts to `type` (written name or schema.name)
// naming the type `new_name` of the same schema instead.
std::string rename_type_in_expression(std::string_view sql, const schema::QualifiedName& type,
                                      const std::string& new_name);

// A default (of a column, a domain or an argument) without a cast of a string
// literal or NULL to the object's own type, `type` of `catalog`: the server
// stores DEFAULT 'x' on a text column as 'x'::text, on a column of enum
// public.mood as 'x'::public.mood, on a column of domain public.code over
// text as 'x'::text::public.code, and DEFAULT NULL on a varchar as
// NULL::character varying, where a file says 'x' and NULL.
// `canonical_default` is canonical_expression's text; anything else is
// returned as it is.
std::string without_cast_to(std::string_view canonical_default, const schema::TypeRef& type,
                            const schema::Catalog& catalog);

}  // namespace strata::parser
