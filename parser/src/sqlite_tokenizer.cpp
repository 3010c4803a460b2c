#include "sqlite_tokenizer.h"

#include <sqlite3.h>

#include <algorithm>

namespace strata::parser::sqlite {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// SQLite's identifier characters: ASCII letters, digits, '_', '$' and every
// byte of a multi-byte UTF-8 character.
bool is_id_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (static_cast<unsigned char>(c) & 0x80U);
}
bool is_id_char(char c) { return is_id_start(c) || is_digit(c) || c == '$'; }
char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// The end of a comment or whitespace run starting at `i`, or `i` itself.
std::size_t skip_blank(std::string_view sql, std::size_t i) {
  while (i < sql.size()) {
    if (is_space(sql[i])) {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      const std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (sql.compare(i, 2, "/*") == 0) {
      const std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

// The end of a quoted run opened at `i` by `open`, closed by `close`; a
// doubled close character is an escaped one unless open != close ([x]).
std::size_t skip_quoted(std::string_view sql, std::size_t i, char close, bool doubling) {
  ++i;
  while (i < sql.size()) {
    if (sql[i] == close) {
      if (doubling && i + 1 < sql.size() && sql[i + 1] == close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

std::size_t skip_number(std::string_view sql, std::size_t i) {
  if (sql[i] == '0' && i + 1 < sql.size() && (sql[i + 1] == 'x' || sql[i + 1] == 'X') && i + 2 < sql.size() &&
      is_hex_digit(sql[i + 2])) {
    i += 2;
    while (i < sql.size() && is_hex_digit(sql[i])) ++i;
    return i;
  }
  while (i < sql.size() && is_digit(sql[i])) ++i;
  if (i < sql.size() && sql[i] == '.') {
    ++i;
    while (i < sql.size() && is_digit(sql[i])) ++i;
  }
  if (i < sql.size() && (sql[i] == 'e' || sql[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < sql.size() && (sql[j] == '+' || sql[j] == '-')) ++j;
    if (j < sql.size() && is_digit(sql[j])) {
      i = j;
      while (i < sql.size() && is_digit(sql[i])) ++i;
    }
  }
  return i;
}

constexpr std::string_view kOperators[] = {"->>", "||", "->", "<<", ">>", "<=", ">=", "==", "!=", "<>"};

// Keywords after which a '+' or '-' still ends an operand rather than starts one.
bool ends_operand(const Token& token) {
  if (token.kind != TokenKind::Word) return token.kind != TokenKind::Operator && token.kind != TokenKind::LeftParen &&
                                            token.kind != TokenKind::Comma && token.kind != TokenKind::Semicolon;
  if (!is_keyword(token.text)) return true;
  for (const std::string_view word : {"NULL", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "END"})
    if (iequals(token.text, word)) return true;
  return false;
}

bool is_sign(const Token& token) {
  return token.kind == TokenKind::Operator && (token.text == "-" || token.text == "+");
}

bool is_operand_start(const Token& token) {
  return token.kind == TokenKind::Word || token.kind == TokenKind::QuotedIdentifier ||
         token.kind == TokenKind::Number || token.kind == TokenKind::String || token.kind == TokenKind::Blob ||
         token.kind == TokenKind::Variable || token.kind == TokenKind::LeftParen;
}

}  // namespace

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> tokens;
  std::size_t i = skip_blank(sql, 0);
  while (i < sql.size()) {
    const std::size_t start = i;
    const char c = sql[i];
    TokenKind kind = TokenKind::Operator;
    if ((c == 'x' || c == 'X') && i + 1 < sql.size() && sql[i + 1] == '\'') {
      kind = TokenKind::Blob;
      i = skip_quoted(sql, i + 1, '\'', true);
    } else if (is_id_start(c)) {
      kind = TokenKind::Word;
      while (i < sql.size() && is_id_char(sql[i])) ++i;
    } else if (c == '"' || c == '`') {
      kind = TokenKind::QuotedIdentifier;
      i = skip_quoted(sql, i, c, true);
    } else if (c == '[') {
      kind = TokenKind::QuotedIdentifier;
      i = skip_quoted(sql, i, ']', false);
    } else if (c == '\'') {
      kind = TokenKind::String;
      i = skip_quoted(sql, i, '\'', true);
    } else if (is_digit(c) || (c == '.' && i + 1 < sql.size() && is_digit(sql[i + 1]))) {
      kind = TokenKind::Number;
      i = skip_number(sql, i);
    } else if (c == '?') {
      kind = TokenKind::Variable;
      ++i;
      while (i < sql.size() && is_digit(sql[i])) ++i;
    } else if ((c == ':' || c == '@' || c == '$') && i + 1 < sql.size() && is_id_char(sql[i + 1])) {
      kind = TokenKind::Variable;
      ++i;
      while (i < sql.size() && is_id_char(sql[i])) ++i;
    } else if (c == '(') {
      kind = TokenKind::LeftParen;
      ++i;
    } else if (c == ')') {
      kind = TokenKind::RightParen;
      ++i;
    } else if (c == ',') {
      kind = TokenKind::Comma;
      ++i;
    } else if (c == ';') {
      kind = TokenKind::Semicolon;
      ++i;
    } else {
      std::size_t length = 1;
      for (const std::string_view op : kOperators) {
        if (sql.compare(i, op.size(), op) == 0) {
          length = op.size();
          break;
        }
      }
      i += length;
    }
    tokens.push_back(Token{kind, sql.substr(start, i - start), start});
    i = skip_blank(sql, i);
  }
  return tokens;
}

std::size_t first_token_offset(std::string_view sql, std::size_t from) { return skip_blank(sql, from); }

bool is_keyword(std::string_view word) {
  return sqlite3_keyword_check(word.data(), static_cast<int>(word.size())) != 0;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_upper(x) == ascii_upper(y); });
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

bool is_word(const Token& token, std::string_view keyword) {
  return token.kind == TokenKind::Word && iequals(token.text, keyword);
}

bool is_word_at(Tokens tokens, std::size_t index, std::string_view keyword) {
  return index < tokens.size() && is_word(tokens[index], keyword);
}

bool is_name_token(const Token& token) {
  return token.kind == TokenKind::Word || token.kind == TokenKind::QuotedIdentifier ||
         token.kind == TokenKind::String;
}

std::string identifier_value(const Token& token) {
  const std::string_view text = token.text;
  if (token.kind != TokenKind::QuotedIdentifier && token.kind != TokenKind::String) return std::string(text);
  if (text.empty()) return {};
  const char open = text.front();
  const char close = open == '[' ? ']' : open;
  std::string_view inner = text.substr(1);
  if (!inner.empty() && inner.back() == close) inner.remove_suffix(1);
  if (open == '[') return std::string(inner);
  std::string out;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == close && i + 1 < inner.size() && inner[i + 1] == close) ++i;
  }
  return out;
}

std::size_t skip_parenthesised(Tokens tokens, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].kind == TokenKind::LeftParen) ++depth;
    if (tokens[i].kind == TokenKind::RightParen && --depth == 0) return i + 1;
  }
  return tokens.size();
}

std::vector<Tokens> split_top_level(Tokens tokens) {
  std::vector<Tokens> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind == TokenKind::LeftParen) ++depth;
    if (tokens[i].kind == TokenKind::RightParen) --depth;
    if (depth == 0 && tokens[i].kind == TokenKind::Comma) {
      parts.push_back(tokens.subspan(start, i - start));
      start = i + 1;
    }
  }
  if (start < tokens.size()) parts.push_back(tokens.subspan(start));
  return parts;
}

std::string normalize(Tokens tokens) {
  std::string out;
  bool previous_unary = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    bool unary = false;
    if (i > 0) {
      const Token& previous = tokens[i - 1];
      const TokenKind kind = token.kind;
      const bool call = kind == TokenKind::LeftParen &&
                        ((previous.kind == TokenKind::Word && !is_keyword(previous.text)) ||
                         previous.kind == TokenKind::QuotedIdentifier);
      const bool dot = (kind == TokenKind::Operator && token.text == ".") ||
                       (previous.kind == TokenKind::Operator && previous.text == ".");
      const bool tight = previous.kind == TokenKind::LeftParen || kind == TokenKind::RightParen ||
                         kind == TokenKind::Comma || kind == TokenKind::Semicolon || call || dot ||
                         (previous_unary && is_operand_start(token));
      if (!tight) out += ' ';
      unary = is_sign(token) && !ends_operand(previous);
    } else {
      unary = is_sign(token);
    }
    previous_unary = unary;
    if (token.kind == TokenKind::Word && is_keyword(token.text)) {
      out += to_upper(token.text);
    } else if (token.kind == TokenKind::Word && i + 1 < tokens.size() &&
               tokens[i + 1].kind == TokenKind::LeftParen) {
      out += to_lower(token.text);  // a function name
    } else if (token.kind == TokenKind::QuotedIdentifier) {
      std::string quoted = "\"";
      for (const char c : identifier_value(token)) {
        quoted += c;
        if (c == '"') quoted += '"';
      }
      out += quoted + "\"";
    } else {
      out += token.text;
    }
  }
  return out;
}

}  // namespace strata::parser::sqlite
