// A small SQLite tokenizer for the CREATE statements SQLite stores in
// sqlite_schema: SQLite has already accepted the text, so this only needs to
// split it into tokens (quoted identifiers "x", `x`, [x]; strings 'it''s';
// blobs x'00'; numbers; variables; operators; punctuation), dropping
// whitespace and comments, and to print an expression back in one canonical
// spelling. It never throws: unterminated quotes or comments run to the end.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::parser::sqlite {

enum class TokenKind : unsigned char {
  Word,              // a bare identifier or keyword
  QuotedIdentifier,  // "x", `x` or [x]
  String,            // 'text'
  Blob,              // x'00ff'
  Number,            // 12, 1.5e3, .5, 0x1F
  Variable,          // ?, ?1, :name, @name, $name
  Operator,          // || -> ->> << >> <= >= == != <> and one-character operators, '.'
  LeftParen,
  RightParen,
  Comma,
  Semicolon,
};

struct Token {
  TokenKind kind = TokenKind::Word;
  std::string_view text;  // as written, a view into the tokenized text
  std::size_t offset = 0;  // byte offset of the token in the tokenized text
};

using Tokens = std::span<const Token>;

std::vector<Token> tokenize(std::string_view sql);

// The byte offset of the first token at or after `from` (whitespace and
// comments skipped), or sql.size() when there is none.
std::size_t first_token_offset(std::string_view sql, std::size_t from = 0);

// True when `word` is one of SQLite's keywords (case-insensitive).
bool is_keyword(std::string_view word);

// A Word token equal to `keyword`, compared case-insensitively.
bool is_word(const Token& token, std::string_view keyword);
bool is_word_at(Tokens tokens, std::size_t index, std::string_view keyword);

// The identifier a Word, QuotedIdentifier or String token names (SQLite
// accepts 'x' as an identifier in some places): quotes removed, doubled
// quotes undone.
std::string identifier_value(const Token& token);
bool is_name_token(const Token& token);  // Word, QuotedIdentifier or String

// ASCII case-insensitive comparison, as SQLite compares identifiers.
bool iequals(std::string_view a, std::string_view b);
std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);

// The index one past the parenthesis that closes the '(' at `open`, or
// tokens.size() when it is not closed.
std::size_t skip_parenthesised(Tokens tokens, std::size_t open);

// Splits tokens at the commas outside parentheses.
std::vector<Tokens> split_top_level(Tokens tokens);

// The canonical text of a token sequence (an expression, a trigger body):
// comments dropped; keywords upper-cased; other words before '(' (function
// names) lower-cased; every other token kept as written except quoted
// identifiers, which are re-quoted with double quotes; tokens joined by
// single spaces, except none after '(' and before ')', ',', ';', none
// around '.', none between a function name and its '(' and none
// after a unary sign. Two texts that differ only in layout, comments, the
// case of keywords and function names or identifier quote style give the
// same string; SQLite reads the result as the same token sequence.
std::string normalize(Tokens tokens);

}  // namespace strata::parser::sqlite
