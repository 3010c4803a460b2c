#include "sqlite_definition.h"

#include "sqlite_tokenizer.h"

namespace strata::parser::sqlite {
namespace {

// Words that end a column's type name and start its constraints.
bool starts_column_constraint(const Token& token) {
  for (const std::string_view word : {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
                                      "REFERENCES", "GENERATED", "AS"})
    if (is_word(token, word)) return true;
  return false;
}

// A cursor over one token run.
class Cursor {
 public:
  explicit Cursor(Tokens tokens) : tokens_(tokens) {}

  bool done() const { return pos_ >= tokens_.size(); }
  std::size_t pos() const { return pos_; }
  const Token& peek(std::size_t ahead = 0) const { return tokens_[pos_ + ahead]; }
  bool has(std::size_t ahead) const { return pos_ + ahead < tokens_.size(); }
  bool at(std::string_view keyword, std::size_t ahead = 0) const { return is_word_at(tokens_, pos_ + ahead, keyword); }
  bool at_kind(TokenKind kind) const { return !done() && peek().kind == kind; }
  void advance(std::size_t count = 1) { pos_ = std::min(pos_ + count, tokens_.size()); }

  bool accept(std::string_view keyword) {
    if (!at(keyword)) return false;
    advance();
    return true;
  }

  // The identifier at the cursor (advancing), or "" when there is none.
  std::string name() {
    if (done() || !is_name_token(peek())) return {};
    std::string value = identifier_value(peek());
    advance();
    return value;
  }

  // [schema .] name: the last part.
  std::string qualified_name() {
    std::string value = name();
    if (at_kind(TokenKind::Operator) && peek().text == ".") {
      advance();
      value = name();
    }
    return value;
  }

  // The tokens inside the parentheses at the cursor (advancing past them);
  // empty when the cursor is not at '('.
  Tokens parenthesised() {
    if (!at_kind(TokenKind::LeftParen)) return {};
    const std::size_t end = skip_parenthesised(tokens_, pos_);
    const std::size_t inner_end = end > pos_ + 1 && end <= tokens_.size() &&
                                          tokens_[end - 1].kind == TokenKind::RightParen
                                      ? end - 1
                                      : end;
    Tokens inner = tokens_.subspan(pos_ + 1, inner_end - (pos_ + 1));
    pos_ = end;
    return inner;
  }

  Tokens rest() const { return tokens_.subspan(std::min(pos_, tokens_.size())); }

  // ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE
  void skip_conflict_clause() {
    if (at("ON") && at("CONFLICT", 1)) advance(3);
  }

  // CREATE [TEMP|TEMPORARY] [UNIQUE] <kind> [IF NOT EXISTS]
  void skip_create_prefix(std::string_view kind) {
    while (!done() && !at(kind)) advance();
    advance();
    if (at("IF") && at("NOT", 1) && at("EXISTS", 2)) advance(3);
  }

 private:
  Tokens tokens_;
  std::size_t pos_ = 0;
};

// Column names of an indexed-column list: "a COLLATE x DESC, b".
std::vector<std::string> indexed_column_names(Tokens list) {
  std::vector<std::string> names;
  for (const Tokens element : split_top_level(list))
    if (!element.empty() && is_name_token(element.front())) names.push_back(identifier_value(element.front()));
  return names;
}

std::vector<std::string> name_list(Tokens list) {
  std::vector<std::string> names;
  for (const Tokens element : split_top_level(list))
    if (!element.empty()) names.push_back(identifier_value(element.front()));
  return names;
}

bool contains_word(Tokens tokens, std::string_view keyword) {
  for (const Token& token : tokens)
    if (is_word(token, keyword)) return true;
  return false;
}

// REFERENCES table [(columns)] [ON DELETE|UPDATE action | MATCH name]...
// [[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]]; the cursor is after REFERENCES.
void parse_references(Cursor& cursor, ForeignKeyText& key) {
  key.table = cursor.name();
  if (cursor.at_kind(TokenKind::LeftParen)) key.referenced_columns = name_list(cursor.parenthesised());
  while (!cursor.done()) {
    if (cursor.at("ON") && !cursor.at("CONFLICT", 1)) {
      cursor.advance(2);  // ON DELETE|UPDATE
      if (cursor.at("SET") || cursor.at("NO"))
        cursor.advance(2);
      else
        cursor.advance();
    } else if (cursor.accept("MATCH")) {
      cursor.advance();
    } else if (cursor.at("NOT") && cursor.at("DEFERRABLE", 1)) {
      cursor.advance(2);
      if (cursor.accept("INITIALLY")) cursor.advance();
    } else if (cursor.accept("DEFERRABLE")) {
      key.deferrable = true;
      if (cursor.accept("INITIALLY")) {
        key.initially_deferred = cursor.at("DEFERRED");
        cursor.advance();
      }
    } else {
      break;
    }
  }
}

// DEFAULT's operand: (expr), a signed number, a literal or an identifier.
void skip_default_value(Cursor& cursor) {
  if (cursor.at_kind(TokenKind::LeftParen)) {
    cursor.parenthesised();
    return;
  }
  if (cursor.at_kind(TokenKind::Operator)) cursor.advance();  // a sign
  cursor.advance();
}

void parse_column(Tokens definition, TableText& table) {
  Cursor cursor(definition);
  ColumnText column;
  column.name = cursor.name();
  while (!cursor.done() && !starts_column_constraint(cursor.peek())) {
    if (cursor.at_kind(TokenKind::LeftParen))
      cursor.parenthesised();
    else
      cursor.advance();
  }
  std::string constraint_name;
  while (!cursor.done()) {
    if (cursor.accept("CONSTRAINT")) {
      constraint_name = cursor.name();
      continue;
    }
    if (cursor.at("PRIMARY") && cursor.at("KEY", 1)) {
      cursor.advance(2);
      if (cursor.at("ASC") || cursor.at("DESC")) cursor.advance();
      cursor.skip_conflict_clause();
      KeyText key{constraint_name, {column.name}, false};
      if (cursor.accept("AUTOINCREMENT")) key.autoincrement = true;
      table.primary_key = std::move(key);
    } else if (cursor.at("NOT") && cursor.at("NULL", 1)) {
      cursor.advance(2);
      cursor.skip_conflict_clause();
    } else if (cursor.accept("NULL")) {
      cursor.skip_conflict_clause();
    } else if (cursor.accept("UNIQUE")) {
      cursor.skip_conflict_clause();
      table.uniques.push_back(KeyText{constraint_name, {column.name}, false});
    } else if (cursor.accept("CHECK")) {
      table.checks.push_back(CheckText{constraint_name, normalize(cursor.parenthesised())});
    } else if (cursor.accept("DEFAULT")) {
      skip_default_value(cursor);
    } else if (cursor.accept("COLLATE")) {
      column.collation = cursor.name();
    } else if (cursor.accept("REFERENCES")) {
      ForeignKeyText key;
      key.name = constraint_name;
      key.columns = {column.name};
      parse_references(cursor, key);
      table.foreign_keys.push_back(std::move(key));
    } else if (cursor.at("GENERATED") || cursor.at("AS")) {
      if (cursor.accept("GENERATED")) cursor.accept("ALWAYS");
      cursor.accept("AS");
      column.generated_expr = normalize(cursor.parenthesised());
      if (!cursor.accept("STORED")) cursor.accept("VIRTUAL");  // which one: pragma table_xinfo says
    } else {
      cursor.advance();  // ON CONFLICT handled above; anything else is stepped over
      continue;
    }
    constraint_name.clear();
  }
  table.columns.push_back(std::move(column));
}

void parse_table_constraint(Tokens definition, TableText& table) {
  Cursor cursor(definition);
  std::string constraint_name;
  if (cursor.accept("CONSTRAINT")) constraint_name = cursor.name();
  if (cursor.at("PRIMARY") && cursor.at("KEY", 1)) {
    cursor.advance(2);
    const Tokens list = cursor.parenthesised();
    table.primary_key = KeyText{constraint_name, indexed_column_names(list), contains_word(list, "AUTOINCREMENT")};
  } else if (cursor.accept("UNIQUE")) {
    table.uniques.push_back(KeyText{constraint_name, indexed_column_names(cursor.parenthesised()), false});
  } else if (cursor.accept("CHECK")) {
    table.checks.push_back(CheckText{constraint_name, normalize(cursor.parenthesised())});
  } else if (cursor.at("FOREIGN") && cursor.at("KEY", 1)) {
    cursor.advance(2);
    ForeignKeyText key;
    key.name = constraint_name;
    key.columns = name_list(cursor.parenthesised());
    if (cursor.accept("REFERENCES")) parse_references(cursor, key);
    table.foreign_keys.push_back(std::move(key));
  }
}

bool is_table_constraint(Tokens definition) {
  if (definition.empty()) return false;
  for (const std::string_view word : {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})
    if (is_word(definition.front(), word)) return true;
  return false;
}

// The index of the last END token, or tokens.size().
std::size_t last_end(Tokens tokens) {
  for (std::size_t i = tokens.size(); i > 0; --i)
    if (is_word(tokens[i - 1], "END")) return i - 1;
  return tokens.size();
}

std::vector<std::string> identifiers_in(Tokens tokens) {
  std::vector<std::string> identifiers;
  for (const Token& token : tokens)
    if ((token.kind == TokenKind::Word && !is_keyword(token.text)) || token.kind == TokenKind::QuotedIdentifier)
      identifiers.push_back(identifier_value(token));
  return identifiers;
}


}  // namespace

const ColumnText* TableText::find_column(std::string_view name) const {
  for (const ColumnText& column : columns)
    if (iequals(column.name, name)) return &column;
  return nullptr;
}

TableText parse_create_table(std::string_view sql) {
  const std::vector<Token> tokens = tokenize(sql);
  TableText table;
  Cursor cursor(tokens);
  cursor.skip_create_prefix("TABLE");
  cursor.qualified_name();
  for (const Tokens definition : split_top_level(cursor.parenthesised())) {
    if (is_table_constraint(definition))
      parse_table_constraint(definition, table);
    else if (!definition.empty())
      parse_column(definition, table);
  }
  return table;
}

IndexText parse_create_index(std::string_view sql) {
  const std::vector<Token> tokens = tokenize(sql);
  IndexText index;
  Cursor cursor(tokens);
  index.unique = tokens.size() > 1 && is_word(tokens[1], "UNIQUE");
  cursor.skip_create_prefix("INDEX");
  cursor.qualified_name();
  cursor.accept("ON");
  cursor.name();
  for (Tokens element : split_top_level(cursor.parenthesised())) {
    IndexElementText out;
    if (!element.empty() && (is_word(element.back(), "ASC") || is_word(element.back(), "DESC"))) {
      out.desc = is_word(element.back(), "DESC");
      element = element.first(element.size() - 1);
    }
    if (element.size() >= 2 && is_word(element[element.size() - 2], "COLLATE")) {
      out.collation = identifier_value(element.back());
      element = element.first(element.size() - 2);
    }
    out.text = element.size() == 1 && is_name_token(element.front()) ? identifier_value(element.front())
                                                                       : normalize(element);
    index.elements.push_back(std::move(out));
  }
  if (cursor.accept("WHERE")) index.where = normalize(cursor.rest());
  return index;
}

ViewText parse_create_view(std::string_view sql) {
  const std::vector<Token> tokens = tokenize(sql);
  ViewText view;
  Cursor cursor(tokens);
  cursor.skip_create_prefix("VIEW");
  cursor.qualified_name();
  if (cursor.at_kind(TokenKind::LeftParen)) view.column_names = name_list(cursor.parenthesised());
  cursor.accept("AS");
  const Tokens query = cursor.rest();
  // Verbatim from the first token to the end of the last one: SQLite names an
  // unaliased result column after its expression's text as written.
  if (!query.empty()) {
    const std::size_t begin = query.front().offset;
    view.query = std::string(sql.substr(begin, query.back().offset + query.back().text.size() - begin));
  }
  view.identifiers = identifiers_in(query);
  return view;
}

TriggerText parse_create_trigger(std::string_view sql) {
  const std::vector<Token> tokens = tokenize(sql);
  TriggerText trigger;
  Cursor cursor(tokens);
  cursor.skip_create_prefix("TRIGGER");
  cursor.qualified_name();
  if (cursor.accept("BEFORE")) {
    trigger.timing = schema::TriggerTiming::Before;
  } else if (cursor.accept("AFTER")) {
    trigger.timing = schema::TriggerTiming::After;
  } else if (cursor.at("INSTEAD") && cursor.at("OF", 1)) {
    cursor.advance(2);
    trigger.timing = schema::TriggerTiming::InsteadOf;
  }
  if (!cursor.done()) {
    trigger.event = to_upper(cursor.peek().text);
    cursor.advance();
  }
  if (trigger.event == "UPDATE" && cursor.accept("OF")) {
    // a, b, c ON table
    while (!cursor.done() && !cursor.at("ON")) {
      if (is_name_token(cursor.peek())) trigger.update_columns.push_back(identifier_value(cursor.peek()));
      cursor.advance();
    }
  }
  cursor.accept("ON");
  cursor.qualified_name();
  if (cursor.at("FOR") && cursor.at("EACH", 1) && cursor.at("ROW", 2)) cursor.advance(3);
  const Tokens rest = cursor.rest();
  std::size_t begin = 0;
  while (begin < rest.size() && !is_word(rest[begin], "BEGIN")) ++begin;
  if (!rest.empty() && is_word(rest.front(), "WHEN")) trigger.when = normalize(rest.subspan(1, begin - 1));
  if (begin < rest.size()) {
    const Tokens body = rest.subspan(begin + 1);
    trigger.body = normalize(body.first(last_end(body)));
  }
  trigger.identifiers = identifiers_in(rest);
  return trigger;
}

}  // namespace strata::parser::sqlite
