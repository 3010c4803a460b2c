#include "strata/parser/live_alignment.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "pg_tree.h"
#include "source_text.h"
#include "strata/schema/error.h"

namespace strata::parser {
namespace {

using pg::Node;

// Nodes and strings the rewriting adds to a parse tree. The tree's own memory
// belongs to its ParseTree; these live until the rewritten tree is printed.
class NodeArena {
 public:
  template <typename Message>
  Message* make(const Message& init) {
    auto owned = std::make_shared<Message>(init);
    Message* raw = owned.get();
    owned_.push_back(std::move(owned));
    return raw;
  }
  Node** node_list(std::size_t count) {
    lists_.push_back(std::make_unique<Node*[]>(count));
    return lists_.back().get();
  }
  char* text(const std::string& value) {
    strings_.push_back(value);
    return strings_.back().data();
  }
  Node* string_node(const std::string& value) {
    PgQuery__String string = PG_QUERY__STRING__INIT;
    string.sval = text(value);
    Node node = PG_QUERY__NODE__INIT;
    node.node_case = PG_QUERY__NODE__NODE_STRING;
    node.string = make(string);
    return make(node);
  }

 private:
  std::vector<std::shared_ptr<void>> owned_;
  std::vector<std::unique_ptr<Node*[]>> lists_;
  std::deque<std::string> strings_;  // a deque keeps the addresses handed out
};

// ---- walking a tree that may be edited on the way --------------------------

// pg::walk_pruned over a tree this file unpacked itself and edits on the way:
// `visit` says whether to go below a node (a SELECT's own scope stops at the
// SELECTs nested in it).
void walk_scope(Node* root, const std::function<bool(Node&)>& visit) {
  pg::walk_pruned(root, [&](const Node& node) { return visit(const_cast<Node&>(node)); });
}

void walk_all(Node* root, const std::function<void(Node&)>& visit) {
  walk_scope(root, [&](Node& node) {
    visit(node);
    return true;
  });
}

// ---- rewrites of expressions -------------------------------------------------

bool is_string_constant(const Node* node) {
  return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_A_CONST && !node->a_const->isnull &&
         node->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL;
}

// text or character varying without modifiers: the types the server casts an
// untyped string literal to when it meets a text or varchar operand.
bool is_plain_text_type(const PgQuery__TypeName* type) {
  if (type == nullptr || type->n_typmods != 0 || type->n_array_bounds != 0 || type->setof || type->n_names == 0 ||
      type->n_names > 2)
    return false;
  if (type->n_names == 2 && pg::string_value(type->names[0]) != "pg_catalog") return false;
  const std::string name = pg::string_value(type->names[type->n_names - 1]);
  return name == "text" || name == "varchar";
}

// The columns of the table an expression belongs to, by name, with their types.
using ColumnTypes = std::map<std::string, schema::TypeRef>;

// The built-in type a cast names, as a TypeRef names it ("" for any other).
std::string builtin_cast_type(const PgQuery__TypeName* type) {
  if (type == nullptr || type->n_typmods != 0 || type->n_array_bounds != 0 || type->setof || type->n_names == 0 ||
      type->n_names > 2)
    return "";
  if (type->n_names == 2 && pg::string_value(type->names[0]) != "pg_catalog") return "";
  static const std::map<std::string, std::string> kTypeNames = {
      {"bit", "bit"},
      {"bool", "boolean"},
      {"date", "date"},
      {"float4", "real"},
      {"float8", "double precision"},
      {"int2", "smallint"},
      {"int4", "integer"},
      {"int8", "bigint"},
      {"interval", "interval"},
      {"numeric", "numeric"},
      {"text", "text"},
      {"time", "time without time zone"},
      {"timestamp", "timestamp without time zone"},
      {"timestamptz", "timestamp with time zone"},
      {"uuid", "uuid"},
      {"varchar", "character varying"}};
  const auto found = kTypeNames.find(pg::string_value(type->names[type->n_names - 1]));
  return found == kTypeNames.end() ? "" : found->second;
}

// The built-in type of `node` when it names a column of the table.
std::string column_type(const Node* node, const ColumnTypes* columns) {
  if (columns == nullptr || node == nullptr || node->node_case != PG_QUERY__NODE__NODE_COLUMN_REF ||
      node->column_ref->n_fields != 1)
    return "";
  const auto found = columns->find(pg::string_value(node->column_ref->fields[0]));
  if (found == columns->end() || !found->second.is_builtin() || found->second.array_dims != 0) return "";
  return found->second.name;
}

bool is_constant(const Node* node) {
  return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_A_CONST && !node->a_const->isnull &&
         (node->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL ||
          node->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL ||
          node->a_const->val_case == PG_QUERY__A__CONST__VAL_FVAL);
}

// The type PostgreSQL gives a constant spelled `text` ("integer", "bigint",
// "numeric" or "boolean"), or "" when the text is no number or boolean as the
// server prints them: -?digits(.digits)?, true, false. An integer literal is an
// integer when it fits one before its sign is applied, else a bigint, else numeric.
std::string literal_type(std::string_view text) {
  if (text == "true" || text == "false") return "boolean";
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  const auto point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? "" : text.substr(point + 1);
  const auto digits = [](std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole) || (point != std::string_view::npos && !digits(fraction))) return "";
  if (point != std::string_view::npos) return "numeric";
  std::uint64_t magnitude = 0;
  const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), magnitude);
  if (error != std::errc() || end != whole.data() + whole.size()) return "numeric";
  constexpr std::uint64_t kIntegerMax = std::numeric_limits<std::int32_t>::max();
  constexpr std::uint64_t kBigintMax = std::numeric_limits<std::int64_t>::max();
  if (magnitude <= kIntegerMax) return "integer";
  return magnitude <= kBigintMax + (negative ? 1 : 0) ? "bigint" : "numeric";
}

// `constant` as a node of its own, at no location.
Node* constant_node(PgQuery__AConst constant, NodeArena& arena) {
  constant.location = -1;
  Node node = PG_QUERY__NODE__INIT;
  node.node_case = PG_QUERY__NODE__NODE_A_CONST;
  node.a_const = arena.make(constant);
  return arena.make(node);
}

// The constant `text` of literal_type `type`, as the parser builds it.
Node* literal_node(const std::string& text, const std::string& type, NodeArena& arena) {
  PgQuery__AConst constant = PG_QUERY__A__CONST__INIT;
  if (type == "boolean") {
    PgQuery__Boolean value = PG_QUERY__BOOLEAN__INIT;
    value.boolval = text == "true";
    constant.val_case = PG_QUERY__A__CONST__VAL_BOOLVAL;
    constant.boolval = arena.make(value);
  } else if (type == "integer") {
    PgQuery__Integer value = PG_QUERY__INTEGER__INIT;
    value.ival = std::stoi(text);
    constant.val_case = PG_QUERY__A__CONST__VAL_IVAL;
    constant.ival = arena.make(value);
  } else {
    PgQuery__Float value = PG_QUERY__FLOAT__INIT;
    value.fval = arena.text(text);
    constant.val_case = PG_QUERY__A__CONST__VAL_FVAL;
    constant.fval = arena.make(value);
  }
  return constant_node(constant, arena);
}

bool is_binary(std::string_view text) { return !text.empty() && text.find_first_not_of("01") == std::string_view::npos; }

Node* bit_string_node(const std::string& bits, NodeArena& arena) {
  PgQuery__BitString value = PG_QUERY__BIT_STRING__INIT;
  value.bsval = arena.text("b" + bits);
  PgQuery__AConst constant = PG_QUERY__A__CONST__INIT;
  constant.val_case = PG_QUERY__A__CONST__VAL_BSVAL;
  constant.bsval = arena.make(value);
  return constant_node(constant, arena);
}

// x'1F' is the bit string b'00011111': four bits a hexadecimal digit, as the
// server reads it. Nothing for any other constant.
Node* binary_bit_string(const Node& node, NodeArena& arena) {
  if (node.node_case != PG_QUERY__NODE__NODE_A_CONST || node.a_const->isnull ||
      node.a_const->val_case != PG_QUERY__A__CONST__VAL_BSVAL)
    return nullptr;
  const std::string_view hex = node.a_const->bsval->bsval;
  if (!hex.starts_with('x') && !hex.starts_with('X')) return nullptr;
  std::string bits;
  for (const char digit : hex.substr(1)) {
    unsigned value = 0;
    if (std::from_chars(&digit, &digit + 1, value, 16).ec != std::errc()) return nullptr;
    for (int bit = 3; bit >= 0; --bit) bits += ((value >> bit) & 1U) != 0 ? '1' : '0';
  }
  return bit_string_node(bits, arena);
}

// ARRAY[a, b]::T[] -> ARRAY[a::T, b::T]: the server casts each element (a
// one-dimensional array's; nested ARRAY[...] elements are arrays themselves).
Node* array_of_casts(const PgQuery__TypeCast& cast, NodeArena& arena) {
  const Node* arg = cast.arg;
  const PgQuery__TypeName* type = cast.type_name;
  if (arg == nullptr || arg->node_case != PG_QUERY__NODE__NODE_A_ARRAY_EXPR || type == nullptr ||
      type->n_array_bounds == 0)
    return nullptr;
  const PgQuery__AArrayExpr& array = *arg->a_array_expr;
  if (array.n_elements == 0 || std::any_of(array.elements, array.elements + array.n_elements, [](const Node* element) {
        return element->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR;
      }))
    return nullptr;
  PgQuery__TypeName element_type = *type;
  element_type.n_array_bounds = 0;
  element_type.array_bounds = nullptr;
  PgQuery__TypeName* shared_type = arena.make(element_type);
  PgQuery__AArrayExpr casts = array;
  casts.elements = arena.node_list(array.n_elements);
  for (std::size_t i = 0; i < array.n_elements; ++i) {
    PgQuery__TypeCast element_cast = cast;
    element_cast.arg = array.elements[i];
    element_cast.type_name = shared_type;
    Node element = PG_QUERY__NODE__INIT;
    element.node_case = PG_QUERY__NODE__NODE_TYPE_CAST;
    element.type_cast = arena.make(element_cast);
    casts.elements[i] = arena.make(element);
  }
  Node node = PG_QUERY__NODE__INIT;
  node.node_case = PG_QUERY__NODE__NODE_A_ARRAY_EXPR;
  node.a_array_expr = arena.make(casts);
  return arena.make(node);
}

// 'S'::T where S spells a constant of type T -> that constant: the server
// prints a negative number so ('-20'::integer), a bit string so ('1010'::"bit")
// and folds numeric '1.5' to 1.5.
Node* typed_literal(const Node* node, NodeArena& arena) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_TYPE_CAST) return nullptr;
  const PgQuery__TypeCast& cast = *node->type_cast;
  if (!is_string_constant(cast.arg)) return nullptr;
  const std::string text = cast.arg->a_const->sval->sval;
  const std::string type = builtin_cast_type(cast.type_name);
  if (type == "bit") return is_binary(text) ? bit_string_node(text, arena) : nullptr;
  return !type.empty() && literal_type(text) == type ? literal_node(text, type, arena) : nullptr;
}

// A default that is a lone string constant, read as the column's built-in
// type: the server keeps DEFAULT numeric '1.5' as 1.5 and DEFAULT -20.0 on a
// numeric column as '-20.0' (the cast to the column's own type left out);
// both are the value the type reads from the text. Nothing when the text is
// not a constant of a type the column's type is read from.
Node* constant_of_type(const Node& node, const schema::TypeRef& type, NodeArena& arena) {
  if (!is_string_constant(&node) || !type.is_builtin() || type.array_dims != 0) return nullptr;
  const std::string text = node.a_const->sval->sval;
  if (type.name == "bit" || type.name == "bit varying") return is_binary(text) ? bit_string_node(text, arena) : nullptr;
  static const std::map<std::string, std::set<std::string>> kLiteralTypesRead = {
      {"smallint", {"integer"}},
      {"integer", {"integer"}},
      {"bigint", {"integer", "bigint"}},
      {"numeric", {"integer", "bigint", "numeric"}},
      {"real", {"integer", "bigint", "numeric"}},
      {"double precision", {"integer", "bigint", "numeric"}},
      {"boolean", {"boolean"}}};
  const std::string literal = literal_type(text);
  const auto read = kLiteralTypesRead.find(type.name);
  if (read == kLiteralTypesRead.end() || !read->second.contains(literal)) return nullptr;
  return literal_node(text, literal, arena);
}

// The routines of schema public a call may name. An extension's routines are
// not in the catalog: with an extension installed in public, any public.f(x)
// may be one of them.
struct PublicRoutines {
  std::set<std::string> names;
  bool any = false;

  bool contains(const std::string& name) const { return any || names.contains(name); }
};

// Rewrites one node into the form both sides are compared in:
// - 'a'::text, 'a'::character varying -> 'a' (the cast the server infers for
//   a literal that meets a text operand; the literal means the same without it);
// - (a, b) -> ROW(a, b), x LIKE y -> x ~~ y: the server's spelling;
// - x IN (a) -> x = a, x IN (a, b) -> x = ANY (ARRAY[a, b]), NOT IN -> <> /
//   <> ALL (ARRAY[...]): what the server stores for IN;
// - f(a, VARIADIC ARRAY[b, c]) -> f(a, b, c), as a file calls it;
// - public.f(x) -> f(x) for a routine f of schema public (the server prints
//   the schema it resolved, the files name the routine through search_path).
// - with the table's columns known: varchar_column::text -> varchar_column
//   (the server's cast to compare it with text; it changes nothing), and in
//   column <op> constant::T, where the column is of built-in type T, the cast
//   the server adds to the constant (amount > 1000::numeric, start_at >=
//   '06:00'::time): the constant takes the column's type without it;
// - '-20'::integer -> -20, '1.5'::numeric -> 1.5, x'1F' -> b'00011111'
//   (typed_literal, binary_bit_string), ARRAY[a, b]::T[] -> ARRAY[a::T, b::T].
void rewrite_expression_node(Node& node, NodeArena& arena, const PublicRoutines& public_routines,
                             const ColumnTypes* columns) {
  switch (node.node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
      if (Node* binary = binary_bit_string(node, arena)) node = *binary;
      break;
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      if (Node* replaced = typed_literal(&node, arena)) {
        node = *replaced;
        break;
      }
      if (Node* replaced = array_of_casts(*node.type_cast, arena)) {
        node = *replaced;
        break;
      }
      // A column cast to its own type is the column (mode::text on a text column).
      const std::string from = column_type(node.type_cast->arg, columns);
      const std::string to = builtin_cast_type(node.type_cast->type_name);
      if (!from.empty() && (from == to || (from == "character varying" && to == "text"))) {
        node = *node.type_cast->arg;
        break;
      }
      // A chain of them too: 'a'::character varying::text.
      const Node* inner = &node;
      while (inner != nullptr && inner->node_case == PG_QUERY__NODE__NODE_TYPE_CAST &&
             is_plain_text_type(inner->type_cast->type_name))
        inner = inner->type_cast->arg;
      if (inner != &node && is_string_constant(inner)) node = *inner;
      break;
    }
    case PG_QUERY__NODE__NODE_ROW_EXPR:
      // (a, b) is stored as ROW(a, b).
      node.row_expr->row_format = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
      break;
    case PG_QUERY__NODE__NODE_A_EXPR: {
      PgQuery__AExpr& expression = *node.a_expr;
      // x LIKE y is stored as its operator, x ~~ y (NOT LIKE !~~, ILIKE ~~*).
      // With ESCAPE the pattern is a call of like_escape: left as written.
      const bool like = expression.kind == PG_QUERY__A__EXPR__KIND__AEXPR_LIKE ||
                        expression.kind == PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE;
      if (like && expression.n_name == 1 &&
          !(expression.rexpr != nullptr && expression.rexpr->node_case == PG_QUERY__NODE__NODE_FUNC_CALL)) {
        expression.kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP;
        break;
      }
      if (expression.kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP) {
        for (const auto& [column, other] :
             {std::pair{expression.lexpr, expression.rexpr}, std::pair{expression.rexpr, expression.lexpr}}) {
          const std::string type = column_type(column, columns);
          if (type.empty() || other == nullptr || other->node_case != PG_QUERY__NODE__NODE_TYPE_CAST) continue;
          // A typed literal is its constant first: '1.5'::numeric is 1.5,
          // '-3'::integer::numeric is -3::numeric.
          if (Node* literal = typed_literal(other, arena)) {
            *other = *literal;
            continue;
          }
          if (Node* literal = typed_literal(other->type_cast->arg, arena)) other->type_cast->arg = literal;
          if (is_constant(other->type_cast->arg) && builtin_cast_type(other->type_cast->type_name) == type)
            *other = *other->type_cast->arg;
        }
        break;
      }
      if (expression.kind != PG_QUERY__A__EXPR__KIND__AEXPR_IN || expression.rexpr == nullptr ||
          expression.rexpr->node_case != PG_QUERY__NODE__NODE_LIST || expression.n_name != 1)
        break;
      const PgQuery__List& values = *expression.rexpr->list;
      if (values.n_items == 0) break;
      const bool negated = pg::string_value(expression.name[0]) == "<>";
      if (values.n_items == 1) {
        expression.kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP;
        expression.rexpr = values.items[0];
        break;
      }
      PgQuery__AArrayExpr array = PG_QUERY__A__ARRAY_EXPR__INIT;
      array.n_elements = values.n_items;
      array.elements = values.items;
      array.location = -1;
      Node array_node = PG_QUERY__NODE__INIT;
      array_node.node_case = PG_QUERY__NODE__NODE_A_ARRAY_EXPR;
      array_node.a_array_expr = arena.make(array);
      expression.kind = negated ? PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL : PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY;
      expression.rexpr = arena.make(array_node);
      break;
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
      PgQuery__FuncCall& call = *node.func_call;
      // f(a, VARIADIC ARRAY[b, c]) is f(a, b, c): VARIADIC is accepted only
      // for a variadic f, and the server prints the call with the array it built.
      if (call.func_variadic && call.n_args > 0 &&
          call.args[call.n_args - 1]->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR &&
          call.args[call.n_args - 1]->a_array_expr->n_elements > 0) {
        const PgQuery__AArrayExpr& spread = *call.args[call.n_args - 1]->a_array_expr;
        const std::size_t count = call.n_args - 1 + spread.n_elements;
        Node** args = arena.node_list(count);
        for (std::size_t i = 0; i + 1 < call.n_args; ++i) args[i] = call.args[i];
        for (std::size_t i = 0; i < spread.n_elements; ++i) args[call.n_args - 1 + i] = spread.elements[i];
        call.args = args;
        call.n_args = count;
        call.func_variadic = false;
      }
      if (call.n_funcname == 2 && pg::string_value(call.funcname[0]) == "public" &&
          public_routines.contains(pg::string_value(call.funcname[1]))) {
        ++call.funcname;
        call.n_funcname = 1;
      }
      break;
    }
    default: break;
  }
}

// ---- views ---------------------------------------------------------------------

// A relation of a FROM clause: the name its columns are qualified with, and
// its columns.
struct FromItem {
  std::string name;
  std::vector<std::string> columns;
  ColumnTypes types;  // a table's; a view's or a CTE's columns have none here
};

// The name PostgreSQL gives an unaliased result column (FigureColname), or
// nothing for a * that could not be expanded.
std::optional<std::string> column_name_of(const Node* node) {
  constexpr const char* kUnnamed = "?column?";
  if (node == nullptr) return kUnnamed;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
      const PgQuery__ColumnRef& ref = *node->column_ref;
      if (ref.n_fields == 0 || ref.fields[ref.n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR)
        return std::nullopt;
      return pg::string_value(ref.fields[ref.n_fields - 1]);
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
      const PgQuery__FuncCall& call = *node->func_call;
      return call.n_funcname == 0 ? kUnnamed : pg::string_value(call.funcname[call.n_funcname - 1]);
    }
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      const auto argument = column_name_of(node->type_cast->arg);
      if (argument && *argument != kUnnamed) return argument;
      const PgQuery__TypeName* type = node->type_cast->type_name;
      if (type == nullptr || type->n_names == 0) return kUnnamed;
      return pg::string_value(type->names[type->n_names - 1]);
    }
    case PG_QUERY__NODE__NODE_A_INDIRECTION: {
      const PgQuery__AIndirection& indirection = *node->a_indirection;
      for (std::size_t i = indirection.n_indirection; i > 0; --i)
        if (indirection.indirection[i - 1]->node_case == PG_QUERY__NODE__NODE_STRING)
          return pg::string_value(indirection.indirection[i - 1]);
      return column_name_of(indirection.arg);
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: return column_name_of(node->collate_clause->arg);
    case PG_QUERY__NODE__NODE_CASE_EXPR: return "case";
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: return "array";
    case PG_QUERY__NODE__NODE_ROW_EXPR: return "row";
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: return "coalesce";
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
      return node->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
    case PG_QUERY__NODE__NODE_SUB_LINK: {
      const PgQuery__SubLink& link = *node->sub_link;
      if (link.sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK) return "exists";
      if (link.sub_link_type == PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK) return "array";
      if (link.sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK && link.subselect != nullptr &&
          link.subselect->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
        const PgQuery__SelectStmt* select = link.subselect->select_stmt;
        while (select->larg != nullptr) select = select->larg;
        if (select->n_target_list > 0) {
          const PgQuery__ResTarget& target = *select->target_list[0]->res_target;
          if (target.name != nullptr && target.name[0] != '\0') return std::string(target.name);
          return column_name_of(target.val);
        }
      }
      return kUnnamed;
    }
    default: return kUnnamed;
  }
}

class Rewriter {
 public:
  explicit Rewriter(const schema::Catalog& reference) : reference_(reference) {
    for (const auto& entry : reference.functions)
      if (entry.second.name.schema == "public") public_routines_.names.insert(entry.second.name.name);
    public_routines_.any = std::any_of(reference.extensions.begin(), reference.extensions.end(),
                                       [](const auto& entry) { return entry.second.schema == "public"; });
  }

  // The expression in the compared form, or nothing when it does not parse.
  // The columns of the table the next expressions belong to, if any.
  void set_table(const schema::Table* table) {
    columns_.clear();
    has_columns_ = table != nullptr;
    if (table != nullptr)
      for (const auto& column : table->columns) columns_[column.name] = column.type;
  }

  // With `column_type`, the expression is that column's default (see constant_of_type).
  std::optional<std::string> expression(const std::string& text, const schema::TypeRef* column_type = nullptr) {
    return with_select("SELECT " + text,
                       [&](const pg::Context& context, Node& statement) -> std::optional<std::string> {
      const PgQuery__SelectStmt& select = *statement.select_stmt;
      if (select.n_target_list != 1 || select.n_from_clause != 0) return std::nullopt;
      // "c gist_int4_ops" (an exclusion element with its operator class) is no expression.
      const char* alias = select.target_list[0]->res_target->name;
      if (alias != nullptr && alias[0] != '\0') return std::nullopt;
      Node* expression = select.target_list[0]->res_target->val;
      rewrite_expressions(expression);
      if (column_type != nullptr)
        if (Node* constant = constant_of_type(*expression, *column_type, arena_)) expression = constant;
      return pg::deparse_expression(context, expression);
    });
  }

  bool expression(std::optional<std::string>& text, const schema::TypeRef* column_type = nullptr) {
    return !text || rewrite(*text, column_type);
  }

  // An expression that is always there, rewritten in place.
  bool rewrite(std::string& text, const schema::TypeRef* column_type = nullptr) {
    auto rewritten = expression(text, column_type);
    if (!rewritten) return false;
    text = std::move(*rewritten);
    return true;
  }

  // A column type in the compared form: PostgreSQL keeps no array dimensions
  // (integer[][] is integer[]), and it qualifies an extension's type in
  // schema public (public.citext) that the files name through search_path,
  // which the front end, not knowing it, keeps unqualified like a built-in one.
  void type(schema::TypeRef& type) const {
    type.array_dims = std::min(type.array_dims, 1);
    const schema::QualifiedName name{"public", type.name};
    if (type.schema == "public" && public_routines_.any && !reference_.enums.contains(name) &&
        !reference_.domains.contains(name) && !reference_.composite_types.contains(name) &&
        !reference_.has_relation(name))
      type.schema.clear();
  }

  // The view's query and column names in the compared form: what
  // pg_get_viewdef adds (qualified relations and columns, * expanded, every
  // result column named) made explicit on both sides. False when the query
  // does not parse or a * cannot be expanded.
  bool view(schema::View& view) {
    auto rewritten =
        with_select(view.query, [&](const pg::Context& context, Node& statement) -> std::optional<std::string> {
          std::set<std::string> cte_names;
          ctes_.clear();
          std::vector<PgQuery__SelectStmt*> selects;
          walk_all(&statement, [&](Node& node) {
            if (node.node_case == PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR) {
              cte_names.insert(node.common_table_expr->ctename);
              ctes_[node.common_table_expr->ctename] = node.common_table_expr;
            }
            if (node.node_case == PG_QUERY__NODE__NODE_SELECT_STMT) selects.push_back(node.select_stmt);
          });
          // larg and rarg of a set operation are SelectStmt messages, not nodes.
          for (std::size_t i = 0; i < selects.size(); ++i)
            for (PgQuery__SelectStmt* branch : {selects[i]->larg, selects[i]->rarg})
              if (branch != nullptr) selects.push_back(branch);
          walk_all(&statement, [&](Node& node) {
            if (node.node_case != PG_QUERY__NODE__NODE_RANGE_VAR) return;
            PgQuery__RangeVar& range = *node.range_var;
            const std::string schema = range.schemaname == nullptr ? "" : range.schemaname;
            if (schema == "public" && !cte_names.contains(range.relname) &&
                reference_.has_relation({"public", range.relname}))
              range.schemaname = arena_.text("");
          });
          // Nested SELECTs (a CTE's query among them) before the ones around them.
          for (auto select = selects.rbegin(); select != selects.rend(); ++select)
            if (!rewrite_select_scope(**select, cte_names)) return std::nullopt;
          rewrite_expressions(&statement);

          PgQuery__SelectStmt* leftmost = statement.select_stmt;
          while (leftmost->larg != nullptr) leftmost = leftmost->larg;
          for (std::size_t i = 0; i < view.column_names.size() && i < leftmost->n_target_list; ++i)
            leftmost->target_list[i]->res_target->name = arena_.text(view.column_names[i]);
          view.column_names.clear();
          for (std::size_t i = 0; i < leftmost->n_target_list; ++i)
            view.column_names.emplace_back(leftmost->target_list[i]->res_target->name);
          return pg::deparse_statement(context, &statement);
        });
    if (!rewritten) return false;
    view.query = std::move(*rewritten);
    return true;
  }

 private:
  const schema::Catalog& reference_;
  PublicRoutines public_routines_;
  NodeArena arena_;
  ColumnTypes columns_;
  bool has_columns_ = false;
  // The CTEs of the view being rewritten, by name.
  std::map<std::string, const PgQuery__CommonTableExpr*> ctes_;

  // The result column names of a CTE, or nothing when a * is left in it.
  std::optional<std::vector<std::string>> cte_columns(const PgQuery__CommonTableExpr& cte) const {
    std::vector<std::string> columns = pg::string_list(cte.n_aliascolnames, cte.aliascolnames);
    if (cte.ctequery == nullptr || cte.ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) return std::nullopt;
    const PgQuery__SelectStmt* select = cte.ctequery->select_stmt;
    while (select->larg != nullptr) select = select->larg;
    for (std::size_t i = columns.size(); i < select->n_target_list; ++i) {
      const PgQuery__ResTarget& target = *select->target_list[i]->res_target;
      if (target.name != nullptr && target.name[0] != '\0') {
        columns.emplace_back(target.name);
        continue;
      }
      auto name = column_name_of(target.val);
      if (!name) return std::nullopt;
      columns.push_back(std::move(*name));
    }
    return columns;
  }

  template <typename Use>
  std::optional<std::string> with_select(const std::string& sql, const Use& use) {
    pg::ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(sql.c_str())));
    if (result->error != nullptr) return std::nullopt;
    const pg::ParseTree tree(result->parse_tree);
    if (!tree || tree->n_stmts != 1 || tree->stmts[0]->stmt == nullptr ||
        tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
      return std::nullopt;
    const SourceText source("<compared expression>", sql);
    std::vector<Warning> ignored;
    const pg::Context context(source, 0, ignored);
    try {
      return use(context, *tree->stmts[0]->stmt);
    } catch (const Error&) {
      return std::nullopt;  // the deparser refused the tree: compare as read
    }
  }

  void rewrite_expressions(Node* root) {
    walk_all(root, [&](Node& node) {
      rewrite_expression_node(node, arena_, public_routines_, has_columns_ ? &columns_ : nullptr);
    });
  }

  // Adds the relations of FROM item `node` to `items`; false when one has
  // columns this cannot know (a subquery, a function, a join USING or NATURAL,
  // a CTE, a relation the live catalog does not have).
  bool from_items(const Node* node, const std::set<std::string>& cte_names, std::vector<FromItem>& items) const {
    if (node == nullptr) return false;
    if (node->node_case == PG_QUERY__NODE__NODE_JOIN_EXPR) {
      const PgQuery__JoinExpr& join = *node->join_expr;
      if (join.is_natural || join.n_using_clause != 0 || join.alias != nullptr) return false;
      return from_items(join.larg, cte_names, items) && from_items(join.rarg, cte_names, items);
    }
    if (node->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) return false;
    const PgQuery__RangeVar& range = *node->range_var;
    const std::string schema = range.schemaname == nullptr ? "" : range.schemaname;
    if (range.alias != nullptr && range.alias->n_colnames != 0) return false;
    if (schema.empty() && cte_names.contains(range.relname)) {
      const auto cte = ctes_.find(range.relname);
      if (cte == ctes_.end()) return false;
      auto columns = cte_columns(*cte->second);
      if (!columns) return false;
      items.push_back({range.alias != nullptr ? range.alias->aliasname : range.relname, std::move(*columns)});
      return true;
    }
    const schema::QualifiedName name{schema.empty() ? "public" : schema, range.relname};
    FromItem item;
    item.name = range.alias != nullptr ? range.alias->aliasname : range.relname;
    if (const auto table = reference_.tables.find(name); table != reference_.tables.end()) {
      for (const auto& column : table->second.columns) {
        item.columns.push_back(column.name);
        item.types[column.name] = column.type;
      }
    } else if (const auto view = reference_.views.find(name); view != reference_.views.end()) {
      item.columns = view->second.column_names;
    } else {
      return false;
    }
    items.push_back(std::move(item));
    return true;
  }

  Node* column_ref(const std::string& relation, const std::string& column) {
    PgQuery__ColumnRef ref = PG_QUERY__COLUMN_REF__INIT;
    ref.n_fields = 2;
    ref.fields = arena_.node_list(2);
    ref.fields[0] = arena_.string_node(relation);
    ref.fields[1] = arena_.string_node(column);
    ref.location = -1;
    Node node = PG_QUERY__NODE__INIT;
    node.node_case = PG_QUERY__NODE__NODE_COLUMN_REF;
    node.column_ref = arena_.make(ref);
    return arena_.make(node);
  }

  Node* result_column(Node* value) {
    PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
    target.val = value;
    target.location = -1;
    Node node = PG_QUERY__NODE__INIT;
    node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    node.res_target = arena_.make(target);
    return arena_.make(node);
  }

  // One SELECT's own level (not the SELECTs nested in it): * expanded into
  // the FROM relations' columns, each result column named, and a column
  // reference qualified by the one relation of the FROM clause that has the
  // column left unqualified, as it means the same there. False when a *
  // cannot be expanded.
  bool rewrite_select_scope(PgQuery__SelectStmt& select, const std::set<std::string>& cte_names) {
    if (select.larg != nullptr || select.rarg != nullptr) return true;  // a set operation: its branches are SELECTs
    std::vector<FromItem> items;
    bool known = true;
    for (std::size_t i = 0; i < select.n_from_clause; ++i)
      known = known && from_items(select.from_clause[i], cte_names, items);

    if (known) {
      std::vector<Node*> targets;
      for (std::size_t i = 0; i < select.n_target_list; ++i) {
        Node* target = select.target_list[i];
        const PgQuery__ResTarget& result = *target->res_target;
        const bool is_star = result.val != nullptr && result.val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                             result.val->column_ref->n_fields > 0 &&
                             result.val->column_ref->fields[result.val->column_ref->n_fields - 1]->node_case ==
                                 PG_QUERY__NODE__NODE_A_STAR;
        if (!is_star) {
          targets.push_back(target);
          continue;
        }
        const PgQuery__ColumnRef& star = *result.val->column_ref;
        if (star.n_fields > 2) return false;
        const std::string qualifier = star.n_fields == 2 ? pg::string_value(star.fields[0]) : "";
        bool expanded = false;
        for (const FromItem& item : items) {
          if (!qualifier.empty() && item.name != qualifier) continue;
          for (const auto& column : item.columns) targets.push_back(result_column(column_ref(item.name, column)));
          expanded = true;
        }
        if (!expanded) return false;
      }
      select.n_target_list = targets.size();
      select.target_list = arena_.node_list(targets.size());
      for (std::size_t i = 0; i < targets.size(); ++i) select.target_list[i] = targets[i];
    }

    for (std::size_t i = 0; i < select.n_target_list; ++i) {
      PgQuery__ResTarget& result = *select.target_list[i]->res_target;
      if (result.name != nullptr && result.name[0] != '\0') continue;
      const auto name = column_name_of(result.val);
      if (!name) return false;
      result.name = arena_.text(*name);
    }
    if (!known) return true;

    // GROUP BY name, where no FROM relation has a column `name`, groups by the
    // result column of that name: the server stores that column's expression.
    for (std::size_t i = 0; i < select.n_group_clause; ++i) {
      const Node* group = select.group_clause[i];
      if (group->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || group->column_ref->n_fields != 1 ||
          group->column_ref->fields[0]->node_case != PG_QUERY__NODE__NODE_STRING)
        continue;
      const std::string name = pg::string_value(group->column_ref->fields[0]);
      const bool is_input_column = std::any_of(items.begin(), items.end(), [&](const FromItem& item) {
        return std::find(item.columns.begin(), item.columns.end(), name) != item.columns.end();
      });
      if (is_input_column) continue;
      Node* result_expression = nullptr;
      int named = 0;
      for (std::size_t k = 0; k < select.n_target_list; ++k) {
        const PgQuery__ResTarget& result = *select.target_list[k]->res_target;
        if (result.name != nullptr && name == result.name) {
          result_expression = result.val;
          ++named;
        }
      }
      // The tree is printed, never freed node by node: two places may share it.
      if (named == 1 && result_expression != nullptr) select.group_clause[i] = result_expression;
    }

    // "relation.column" -> "column" where exactly one FROM relation has the column.
    auto unqualify = [&](Node& node, const std::function<bool(const std::string&, const std::string&)>& allowed) {
      if (node.node_case == PG_QUERY__NODE__NODE_SELECT_STMT) return false;  // its own scope
      if (node.node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return true;
      PgQuery__ColumnRef& ref = *node.column_ref;
      if (ref.n_fields != 2 || ref.fields[0]->node_case != PG_QUERY__NODE__NODE_STRING ||
          ref.fields[1]->node_case != PG_QUERY__NODE__NODE_STRING)
        return true;
      const std::string qualifier = pg::string_value(ref.fields[0]);
      const std::string column = pg::string_value(ref.fields[1]);
      int owners = 0;
      bool qualifier_owns = false;
      for (const FromItem& item : items) {
        const bool has = std::find(item.columns.begin(), item.columns.end(), column) != item.columns.end();
        owners += has ? 1 : 0;
        qualifier_owns = qualifier_owns || (has && item.name == qualifier);
      }
      if (owners == 1 && qualifier_owns && allowed(qualifier, column)) {
        ++ref.fields;
        ref.n_fields = 1;
      }
      return true;
    };
    const auto anywhere = [](const std::string&, const std::string&) { return true; };
    auto walk_level = [&](Node* root, const std::function<bool(const std::string&, const std::string&)>& allowed) {
      walk_scope(root, [&](Node& node) { return unqualify(node, allowed); });
    };
    for (std::size_t i = 0; i < select.n_target_list; ++i) walk_level(select.target_list[i], anywhere);
    for (std::size_t i = 0; i < select.n_from_clause; ++i) walk_level(select.from_clause[i], anywhere);
    walk_level(select.where_clause, anywhere);
    for (std::size_t i = 0; i < select.n_group_clause; ++i) walk_level(select.group_clause[i], anywhere);
    walk_level(select.having_clause, anywhere);
    for (std::size_t i = 0; i < select.n_distinct_clause; ++i) walk_level(select.distinct_clause[i], anywhere);
    for (std::size_t i = 0; i < select.n_window_clause; ++i) walk_level(select.window_clause[i], anywhere);
    // ORDER BY column means the result column of that name first: only where
    // no result column has the name, or that result column is the same column.
    const auto not_shadowed = [&](const std::string& qualifier, const std::string& column) {
      for (std::size_t i = 0; i < select.n_target_list; ++i) {
        const PgQuery__ResTarget& result = *select.target_list[i]->res_target;
        if (result.name == nullptr || column != result.name) continue;
        const Node* value = result.val;
        if (value == nullptr || value->node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return false;
        const PgQuery__ColumnRef& ref = *value->column_ref;
        if (pg::string_value(ref.fields[ref.n_fields - 1]) != column) return false;
        if (ref.n_fields == 2 && pg::string_value(ref.fields[0]) != qualifier) return false;
      }
      return true;
    };
    for (std::size_t i = 0; i < select.n_sort_clause; ++i) walk_level(select.sort_clause[i], not_shadowed);

    // The typed rewrites (column <op> constant::T) for the columns now
    // unqualified: each belongs to one table of this FROM clause.
    ColumnTypes level_types;
    for (const FromItem& item : items) {
      for (const auto& [column, type] : item.types) {
        const auto owners = std::count_if(items.begin(), items.end(), [&](const FromItem& other) {
          return std::find(other.columns.begin(), other.columns.end(), column) != other.columns.end();
        });
        if (owners == 1) level_types[column] = type;
      }
    }
    const auto rewrite_typed = [&](Node& node) {
      if (node.node_case == PG_QUERY__NODE__NODE_SELECT_STMT) return false;  // its own scope
      rewrite_expression_node(node, arena_, public_routines_, &level_types);
      return true;
    };
    for (Node* root : {select.where_clause, select.having_clause})
      walk_scope(root, rewrite_typed);
    for (std::size_t i = 0; i < select.n_target_list; ++i)
      walk_scope(select.target_list[i], rewrite_typed);
    for (std::size_t i = 0; i < select.n_from_clause; ++i)
      walk_scope(select.from_clause[i], rewrite_typed);
    return true;
  }
};

template <typename Map, typename Rewrite>
void align(Map& live, const Map& files, const Rewrite& rewrite) {
  for (auto& [key, object] : live) {
    const auto other = files.find(key);
    if (other == files.end() || object == other->second) continue;
    auto live_form = object;
    auto files_form = other->second;
    if (rewrite(live_form, other->second) && rewrite(files_form, other->second) && live_form == files_form)
      object = other->second;
  }
}

}  // namespace

schema::Catalog align_live_catalog(schema::Catalog live, const schema::Catalog& files) {
  // Lookups read the catalog as the server has it, before any object is
  // replaced by the files' (whose views may leave their column names out).
  const schema::Catalog reference = live;
  Rewriter rewriter(reference);

  align(live.extensions, files.extensions, [](schema::Extension& extension, const schema::Extension& in_files) {
    // A file that names no version accepts the one the server installed.
    if (!in_files.version) extension.version.reset();
    return true;
  });
  align(live.tables, files.tables, [&](schema::Table& table, const schema::Table&) {
    // The live table's column types: a table whose columns differ differs anyway.
    rewriter.set_table(&reference.tables.at(table.name));
    for (auto& column : table.columns) {
      rewriter.type(column.type);
      if (!rewriter.expression(column.default_expr, &column.type) || !rewriter.expression(column.generated_expr))
        return false;
    }
    for (auto& constraint : table.constraints) {
      if (auto* check = std::get_if<schema::Check>(&constraint.body)) {
        if (!rewriter.rewrite(check->expression)) return false;
      } else if (auto* exclusion = std::get_if<schema::Exclusion>(&constraint.body)) {
        // An element is a column or an expression, parenthesised or not.
        for (auto& element : exclusion->elements)
          if (!rewriter.rewrite(element.element)) return false;
        if (!rewriter.expression(exclusion->where)) return false;
      }
    }
    return true;
  });
  align(live.indexes, files.indexes, [&](schema::Index& index, const schema::Index&) {
    const auto table = reference.tables.find(index.table);
    rewriter.set_table(table == reference.tables.end() ? nullptr : &table->second);
    for (auto& element : index.elements) {
      // The server qualifies an operator class outside pg_catalog
      // (public.gin_trgm_ops); a file names it through search_path.
      constexpr std::string_view kPublic = "public.";
      if (element.opclass && element.opclass->starts_with(kPublic)) element.opclass->erase(0, kPublic.size());
      if (!element.expression.empty() && !rewriter.rewrite(element.expression)) return false;
    }
    return rewriter.expression(index.where);
  });
  align(live.domains, files.domains, [&](schema::Domain& domain, const schema::Domain&) {
    rewriter.set_table(nullptr);
    for (auto& check : domain.checks)
      if (!rewriter.rewrite(check.expression)) return false;
    return rewriter.expression(domain.default_expr);
  });
  align(live.policies, files.policies, [&](schema::Policy& policy, const schema::Policy&) {
    rewriter.set_table(nullptr);
    return rewriter.expression(policy.using_expr) && rewriter.expression(policy.check_expr);
  });
  align(live.triggers, files.triggers,
        [&](schema::Trigger& trigger, const schema::Trigger&) {
          rewriter.set_table(nullptr);
          return rewriter.expression(trigger.when);
        });
  align(live.functions, files.functions, [](schema::Function& function, const schema::Function&) {
    // The server keeps no dependencies of a routine (the live side's are
    // empty), and the order of the attributes in CREATE FUNCTION means nothing.
    function.depends_on = {};
    std::sort(function.options.begin(), function.options.end());
    return true;
  });
  align(live.views, files.views, [&](schema::View& view, const schema::View&) {
    rewriter.set_table(nullptr);
    return rewriter.view(view);
  });
  return live;
}

}  // namespace strata::parser
