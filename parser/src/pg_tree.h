// Access to libpg_query's protobuf parse tree. Internal to parser/: the rest
// of the project sees only the statement types of statements.h.
#pragma once

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/parser/postgres_parser.h"
#include "strata/parser/statements.h"
#include "source_text.h"

namespace strata::parser::pg {

using Node = PgQuery__Node;

// RAII owners of libpg_query results.
struct ProtobufParseResultFree {
  void operator()(PgQueryProtobufParseResult* result) const noexcept;
};
using ProtobufParseResult = std::unique_ptr<PgQueryProtobufParseResult, ProtobufParseResultFree>;

// A packed parse tree read into protobuf-c's structs in memory of its own,
// released all at once. protobuf-c's own unpack and free visit every field
// of every message, and a Node has hundreds (one per node type) of which it
// holds one: they cost more than libpg_query's parse.
class ParseTree {
 public:
  // Null when the bytes are not a parse tree.
  explicit ParseTree(const PgQueryProtobuf& packed);
  ParseTree(const ParseTree&) = delete;
  ParseTree& operator=(const ParseTree&) = delete;
  ~ParseTree();

  explicit operator bool() const { return tree_ != nullptr; }
  PgQuery__ParseResult* operator->() const { return tree_; }

 private:
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::size_t last_block_size_ = 0;
  std::size_t used_in_last_block_ = 0;
  PgQuery__ParseResult* tree_ = nullptr;

  void* allocate(std::size_t bytes);
};

// Where translation is: the file, and the byte offset of the statement in it,
// so that a node's statement-relative location becomes file:line:col.
class Context {
 public:
  Context(const SourceText& source, std::size_t statement_offset, std::vector<Warning>& warnings)
      : source_(source), statement_offset_(statement_offset), warnings_(warnings) {}

  // A node location is a 0-based byte offset into the statement, -1 when unknown.
  SourceLocation at(std::int32_t node_location) const;
  [[noreturn]] void fail(std::int32_t node_location, const std::string& message) const;
  void warn(std::int32_t node_location, const std::string& message) const;

 private:
  const SourceText& source_;
  std::size_t statement_offset_;
  std::vector<Warning>& warnings_;
};

// The text of a String node ("" for anything else).
std::string string_value(const Node* node);
// The items of a list of String nodes.
std::vector<std::string> string_list(std::size_t count, Node* const* items);
// A possibly qualified name written as a list of Strings: [schema.]name.
QualifiedName qualified_name(std::size_t count, Node* const* items);
QualifiedName qualified_name(const PgQuery__RangeVar* range);

// A type as written, canonicalised for built-in types.
schema::TypeRef type_ref(const Context& context, const PgQuery__TypeName* type);
// "serial", "bigserial" or "smallserial" when the type is a serial pseudo-type.
std::optional<std::string> serial_kind(const PgQuery__TypeName* type);

// The integer or string value of a constant or a DefElem argument.
std::optional<std::int64_t> integer_value(const Node* node);
std::string text_value(const Node* node);

// Canonical SQL text of an expression, and of a whole statement, through
// libpg_query's deparser.
std::string deparse_expression(const Context& context, const Node* expression);
std::string deparse_statement(const Context& context, const Node* statement);

// Every node below `root` (root included), depth first.
void walk(const Node* root, const std::function<void(const Node&)>& visit);
// The same, going below a node only when `visit` returns true. The walk
// reads each node when it reaches it, so a visitor that owns the tree may
// edit a node first: the walk then follows what the node holds after.
void walk_pruned(const Node* root, const std::function<bool(const Node&)>& visit);

// Column names a CHECK expression reads (last field of each ColumnRef), distinct, in order.
std::vector<std::string> referenced_columns(const Node* expression);
// Relations and functions a query or body reads; CTE names are not relations.
schema::Dependencies dependencies(const Node* root);

// The constraint's kind as words, for messages.
const char* node_kind_name(const Node* node);

}  // namespace strata::parser::pg

namespace strata::parser::pg {

// Expression text helpers for the interpreter, which holds expressions as
// canonical text: the columns an expression reads, and the expression with a
// column renamed (as PostgreSQL's stored expressions follow a rename).
std::vector<std::string> expression_columns(std::string_view expression);
std::string rename_column_in_expression(std::string_view expression, const std::string& from, const std::string& to);
// The expression with its 'relation'::regclass constants (as nextval()
// takes a sequence) naming `new_name` of the same schema instead, as stored
// expressions hold the relation's identity.
std::string rename_regclass_in_expression(std::string_view expression, const QualifiedName& relation,
                                          const std::string& new_name);
// What one expression reads: its columns, and the user types it casts to.
ExpressionReads expression_reads(std::string_view expression);
// The expression with its casts to `type` (written name or schema.name)
// naming `new_name` instead, as stored expressions follow a type's rename.
std::string rename_type_in_expression(std::string_view expression, const QualifiedName& type,
                                      const std::string& new_name);

}  // namespace strata::parser::pg

namespace strata::parser::pg {

// Names a query or expression leaves to search_path: the schema an
// unqualified one is to be written with, or nothing to leave it as written.
// WithQueryName: a relation name that is also a WITH query's name somewhere
// in the statement (strata does not follow their scopes); left as written.
enum class NameKind : std::uint8_t { Relation, WithQueryName, Type, Function };
using SchemaOfName = std::function<std::optional<std::string>(NameKind, const std::string&)>;

// The query (a SELECT) or expression with the unqualified relations, user
// types and routines it names qualified where `schema_of` says, as the server
// binds them when it stores the object. CTE names are not relations.
std::string qualify_query(std::string_view query, const SchemaOfName& schema_of);
std::string qualify_expression(std::string_view expression, const SchemaOfName& schema_of);

}  // namespace strata::parser::pg
