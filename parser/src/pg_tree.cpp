#include "pg_tree.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <deque>
#include <set>
#include <unordered_map>

#include "strata/schema/names.h"
#include "strata/schema/types.h"

namespace strata::parser::pg {
namespace {

const ProtobufCMessage* message_at(const ProtobufCMessage* message, const ProtobufCFieldDescriptor& field,
                                   std::size_t index) {
  // protobuf-c lays a message out as a C struct; the descriptor gives each
  // field's byte offset, which is the only way to walk any node generically.
  const char* base = reinterpret_cast<const char*>(message);
  if (field.label == PROTOBUF_C_LABEL_REPEATED) {
    const auto* items = *reinterpret_cast<ProtobufCMessage* const* const*>(base + field.offset);
    return items[index];
  }
  return *reinterpret_cast<const ProtobufCMessage* const*>(base + field.offset);
}

void walk_message(const ProtobufCMessage* message, const std::function<bool(const Node&)>& visit) {
  if (message == nullptr) return;
  if (message->descriptor == &pg_query__node__descriptor) {
    const Node& node = *reinterpret_cast<const Node*>(message);
    if (!visit(node)) return;
    // A node is a oneof of hundreds of message fields: only the one it holds
    // is walked, found by its field number rather than by trying them all.
    const ProtobufCFieldDescriptor* held =
        protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, static_cast<unsigned>(node.node_case));
    if (held != nullptr) walk_message(message_at(message, *held, 0), visit);
    return;
  }
  const char* base = reinterpret_cast<const char*>(message);
  const ProtobufCMessageDescriptor* descriptor = message->descriptor;
  for (unsigned i = 0; i < descriptor->n_fields; ++i) {
    const ProtobufCFieldDescriptor& field = descriptor->fields[i];
    if (field.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0U) {
      const auto active = *reinterpret_cast<const std::uint32_t*>(base + field.quantifier_offset);
      if (active != field.id) continue;
    }
    std::size_t count = 1;
    if (field.label == PROTOBUF_C_LABEL_REPEATED)
      count = *reinterpret_cast<const std::size_t*>(base + field.quantifier_offset);
    for (std::size_t k = 0; k < count; ++k) walk_message(message_at(message, field, k), visit);
  }
}

// The deparser's text for a plain constant, written directly: packing a tree
// for the deparser costs more than the rest of translating a column. Empty for
// anything else. Mirrors libpg_query's deparseAConst/deparseStringLiteral.
std::string constant_text(const Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_A_CONST) return {};
  const PgQuery__AConst& constant = *node->a_const;
  if (constant.isnull) return "NULL";
  switch (constant.val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL: return std::to_string(constant.ival->ival);
    case PG_QUERY__A__CONST__VAL_FVAL: return constant.fval->fval;
    case PG_QUERY__A__CONST__VAL_BOOLVAL: return constant.boolval->boolval ? "true" : "false";
    case PG_QUERY__A__CONST__VAL_SVAL: {
      const std::string_view value = constant.sval->sval;
      std::string text = value.find('\\') != std::string_view::npos ? "E'" : "'";
      for (const char c : value) {
        if (c == '\'' || c == '\\') text += c;
        text += c;
      }
      return text + "'";
    }
    default: return {};
  }
}

// protobuf's wire format, written here rather than by protobuf-c: its packer
// visits every field of every message twice (size, then bytes), and a Node
// has one field per node type (hundreds) of which it holds one.
void put_varint(std::string& out, std::uint64_t value) {
  for (; value >= 0x80; value >>= 7) out += static_cast<char>((value & 0x7F) | 0x80);
  out += static_cast<char>(value);
}

void put_tag(std::string& out, const ProtobufCFieldDescriptor& field, ProtobufCWireType wire_type) {
  put_varint(out, (std::uint64_t{field.id} << 3) | static_cast<std::uint64_t>(wire_type));
}

void put_message(std::string& out, const ProtobufCMessage* message);

template <typename Stored>
Stored stored_as(const void* value) {
  Stored stored;
  std::memcpy(&stored, value, sizeof stored);
  return stored;
}

std::size_t stored_size(const ProtobufCFieldDescriptor& field) {
  switch (field.type) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_DOUBLE: return 8;
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE: return sizeof(void*);
    default: return 4;
  }
}

ProtobufCWireType wire_type_of(const ProtobufCFieldDescriptor& field) {
  switch (field.type) {
    case PROTOBUF_C_TYPE_DOUBLE: return PROTOBUF_C_WIRE_TYPE_64BIT;
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE: return PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED;
    default: return PROTOBUF_C_WIRE_TYPE_VARINT;
  }
}

// One value of `field`, stored at `value`, without its tag.
void put_value(std::string& out, const ProtobufCFieldDescriptor& field, const void* value) {
  switch (field.type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_ENUM:  // negative values take ten bytes, sign-extended
      return put_varint(out, static_cast<std::uint64_t>(std::int64_t{stored_as<std::int32_t>(value)}));
    case PROTOBUF_C_TYPE_UINT32: return put_varint(out, stored_as<std::uint32_t>(value));
    case PROTOBUF_C_TYPE_BOOL: return put_varint(out, stored_as<protobuf_c_boolean>(value) != 0 ? 1 : 0);
    case PROTOBUF_C_TYPE_INT64: return put_varint(out, static_cast<std::uint64_t>(stored_as<std::int64_t>(value)));
    case PROTOBUF_C_TYPE_UINT64: return put_varint(out, stored_as<std::uint64_t>(value));
    case PROTOBUF_C_TYPE_DOUBLE: out.append(static_cast<const char*>(value), 8); return;
    case PROTOBUF_C_TYPE_STRING: {
      const std::string_view text = stored_as<const char*>(value);
      put_varint(out, text.size());
      out += text;
      return;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
      std::string nested;
      put_message(nested, stored_as<const ProtobufCMessage*>(value));
      put_varint(out, nested.size());
      out += nested;
      return;
    }
    default: throw Error(std::string("cannot pack a parse tree field of this type: ") + field.name);
  }
}

// Whether proto3 leaves a singular field out: a zero, an empty string, no message.
bool is_default(const ProtobufCFieldDescriptor& field, const void* value) {
  switch (field.type) {
    case PROTOBUF_C_TYPE_STRING: {
      const char* text = stored_as<const char*>(value);
      return text == nullptr || *text == '\0';
    }
    case PROTOBUF_C_TYPE_MESSAGE: return stored_as<const void*>(value) == nullptr;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_DOUBLE: return stored_as<std::uint64_t>(value) == 0;
    default: return stored_as<std::uint32_t>(value) == 0;
  }
}

// Source locations do not change how a tree prints: left out, equal trees
// pack to equal bytes (deparse_raw's cache key).
bool is_location(const ProtobufCFieldDescriptor& field) {
  return field.type == PROTOBUF_C_TYPE_INT32 && std::strcmp(field.name, "location") == 0;
}

void put_field(std::string& out, const ProtobufCMessage* message, const ProtobufCFieldDescriptor& field) {
  if (is_location(field)) return;
  const char* base = reinterpret_cast<const char*>(message);
  const char* value = base + field.offset;
  if (field.label != PROTOBUF_C_LABEL_REPEATED) {
    const bool absent = (field.type == PROTOBUF_C_TYPE_STRING || field.type == PROTOBUF_C_TYPE_MESSAGE) &&
                        stored_as<const void*>(value) == nullptr;
    const bool proto3_default = field.label == PROTOBUF_C_LABEL_NONE &&
                                (field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) == 0U && is_default(field, value);
    if (absent || proto3_default) return;
    put_tag(out, field, wire_type_of(field));
    return put_value(out, field, value);
  }
  const auto count = stored_as<std::size_t>(base + field.quantifier_offset);
  const char* items = stored_as<const char*>(value);
  const std::size_t size = stored_size(field);
  if ((field.flags & PROTOBUF_C_FIELD_FLAG_PACKED) != 0U) {
    if (count == 0) return;
    std::string packed;
    for (std::size_t i = 0; i < count; ++i) put_value(packed, field, items + i * size);
    put_tag(out, field, PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED);
    put_varint(out, packed.size());
    out += packed;
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    put_tag(out, field, wire_type_of(field));
    put_value(out, field, items + i * size);
  }
}

void put_message(std::string& out, const ProtobufCMessage* message) {
  const ProtobufCMessageDescriptor* descriptor = message->descriptor;
  if (descriptor == &pg_query__node__descriptor) {
    const auto node_case = static_cast<unsigned>(reinterpret_cast<const Node*>(message)->node_case);
    if (const ProtobufCFieldDescriptor* held = protobuf_c_message_descriptor_get_field(descriptor, node_case))
      put_field(out, message, *held);
    return;
  }
  for (unsigned i = 0; i < descriptor->n_fields; ++i) {
    const ProtobufCFieldDescriptor& field = descriptor->fields[i];
    if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0U &&
        stored_as<std::uint32_t>(reinterpret_cast<const char*>(message) + field.quantifier_offset) != field.id)
      continue;
    put_field(out, message, field);
  }
}

// Packs a one-statement parse tree around `statement` and deparses it.
std::string deparse_raw(const Context& context, PgQuery__Node* statement, std::int32_t location) {
  PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
  raw.stmt = statement;
  PgQuery__RawStmt* raw_list[] = {&raw};
  PgQuery__ParseResult tree = PG_QUERY__PARSE_RESULT__INIT;
  tree.version = PG_VERSION_NUM;
  tree.n_stmts = 1;
  tree.stmts = raw_list;

  std::string packed;
  put_message(packed, &tree.base);
  // Schemas repeat their expressions (defaults, checks, types); each
  // libpg_query deparse unpacks and frees a tree with protobuf-c, which
  // costs more than a lookup. One cache per loading thread, kept bounded.
  thread_local std::unordered_map<std::string, std::string> printed;
  if (const auto found = printed.find(packed); found != printed.end()) return found->second;
  PgQueryProtobuf protobuf{packed.size(), packed.data()};
  PgQueryDeparseResult result = pg_query_deparse_protobuf(protobuf);
  std::unique_ptr<PgQueryDeparseResult, void (*)(PgQueryDeparseResult*)> owner(
      &result, [](PgQueryDeparseResult* r) { pg_query_free_deparse_result(*r); });
  if (result.error != nullptr)
    context.fail(location, std::string("cannot print expression: ") + result.error->message);
  constexpr std::size_t kMaxPrinted = 1 << 16;
  if (printed.size() >= kMaxPrinted) printed.clear();
  return printed.emplace(std::move(packed), result.query).first->second;
}

std::int32_t node_location(const Node* node) {
  if (node == nullptr) return -1;
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_EXPR: return node->a_expr->location;
    case PG_QUERY__NODE__NODE_COLUMN_REF: return node->column_ref->location;
    case PG_QUERY__NODE__NODE_FUNC_CALL: return node->func_call->location;
    case PG_QUERY__NODE__NODE_TYPE_CAST: return node->type_cast->location;
    case PG_QUERY__NODE__NODE_A_CONST: return node->a_const->location;
    case PG_QUERY__NODE__NODE_BOOL_EXPR: return node->bool_expr->location;
    default: return -1;
  }
}

// protobuf's wire format read into protobuf-c's structs (see ParseTree).
template <typename Allocate>
class WireReader {
 public:
  explicit WireReader(Allocate allocate) : allocate_(allocate) {}

  // Null when the bytes are not a `descriptor` message.
  ProtobufCMessage* message(const ProtobufCMessageDescriptor& descriptor, std::string_view bytes) {
    // First pass: how many values each repeated field has (none for a Node).
    std::vector<std::size_t> counts;
    if (!each_field(descriptor, bytes, [&](const ProtobufCFieldDescriptor& field, std::uint32_t wire_type,
                                           std::uint64_t, std::string_view payload) {
          if (field.label != PROTOBUF_C_LABEL_REPEATED) return true;
          if (counts.empty()) counts.assign(descriptor.n_fields, 0);
          std::size_t& count = counts[static_cast<std::size_t>(&field - descriptor.fields)];
          if (wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED || is_length_prefixed(field)) {
            ++count;
            return true;
          }
          for (std::uint64_t value = 0; !payload.empty(); ++count)  // packed scalars
            if (!varint(payload, value)) return false;
          return true;
        }))
      return nullptr;

    auto* message = static_cast<ProtobufCMessage*>(allocate(descriptor.sizeof_message));
    descriptor.message_init(message);
    char* base = reinterpret_cast<char*>(message);
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const ProtobufCFieldDescriptor& field = descriptor.fields[i];
      if (counts[i] == 0) continue;
      void* items = allocate(counts[i] * stored_size(field));
      std::memcpy(base + field.offset, &items, sizeof items);
    }

    // Second pass: the values.
    const bool read = each_field(descriptor, bytes, [&](const ProtobufCFieldDescriptor& field, std::uint32_t wire_type,
                                                        std::uint64_t number, std::string_view payload) {
      if (field.label != PROTOBUF_C_LABEL_REPEATED) {
        if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0U)
          std::memcpy(base + field.quantifier_offset, &field.id, sizeof field.id);
        return store(field, number, payload, base + field.offset);
      }
      auto& count = *reinterpret_cast<std::size_t*>(base + field.quantifier_offset);
      char* items = nullptr;
      std::memcpy(&items, base + field.offset, sizeof items);
      if (wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED || is_length_prefixed(field))
        return store(field, number, payload, items + count++ * stored_size(field));
      for (std::uint64_t value = 0; !payload.empty();)
        if (!varint(payload, value) || !store(field, value, {}, items + count++ * stored_size(field))) return false;
      return true;
    });
    return read ? message : nullptr;
  }

 private:
  static bool is_length_prefixed(const ProtobufCFieldDescriptor& field) {
    return wire_type_of(field) == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED;
  }

  static bool varint(std::string_view& bytes, std::uint64_t& value) {
    value = 0;
    for (unsigned shift = 0; shift < 64 && !bytes.empty(); shift += 7) {
      const auto byte = static_cast<std::uint8_t>(bytes.front());
      bytes.remove_prefix(1);
      value |= std::uint64_t{byte & 0x7FU} << shift;
      if ((byte & 0x80U) == 0) return true;
    }
    return false;
  }

  // Calls visit(field, wire type, varint or 64-bit value, length-prefixed
  // payload) for each field of `bytes` that `descriptor` knows; false when
  // the bytes are malformed or visit fails.
  template <typename Visit>
  static bool each_field(const ProtobufCMessageDescriptor& descriptor, std::string_view bytes, Visit visit) {
    while (!bytes.empty()) {
      std::uint64_t tag = 0;
      if (!varint(bytes, tag)) return false;
      const auto wire_type = static_cast<std::uint32_t>(tag & 7U);
      std::uint64_t number = 0;
      std::string_view payload;
      if (wire_type == PROTOBUF_C_WIRE_TYPE_VARINT) {
        if (!varint(bytes, number)) return false;
      } else if (wire_type == PROTOBUF_C_WIRE_TYPE_64BIT) {
        if (bytes.size() < 8) return false;
        std::memcpy(&number, bytes.data(), 8);
        bytes.remove_prefix(8);
      } else if (wire_type == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED) {
        std::uint64_t length = 0;
        if (!varint(bytes, length) || length > bytes.size()) return false;
        payload = bytes.substr(0, static_cast<std::size_t>(length));
        bytes.remove_prefix(static_cast<std::size_t>(length));
      } else {
        return false;  // libpg_query writes no groups or 32-bit fields
      }
      const ProtobufCFieldDescriptor* field =
          protobuf_c_message_descriptor_get_field(&descriptor, static_cast<unsigned>(tag >> 3));
      if (field != nullptr && !visit(*field, wire_type, number, payload)) return false;
    }
    return true;
  }

  // Stores one value of `field` at `to`.
  bool store(const ProtobufCFieldDescriptor& field, std::uint64_t number, std::string_view payload, char* to) {
    switch (field.type) {
      case PROTOBUF_C_TYPE_INT32:
      case PROTOBUF_C_TYPE_ENUM:
      case PROTOBUF_C_TYPE_UINT32: {
        const auto value = static_cast<std::uint32_t>(number);
        std::memcpy(to, &value, sizeof value);
        return true;
      }
      case PROTOBUF_C_TYPE_BOOL: {
        const protobuf_c_boolean value = number != 0 ? 1 : 0;
        std::memcpy(to, &value, sizeof value);
        return true;
      }
      case PROTOBUF_C_TYPE_INT64:
      case PROTOBUF_C_TYPE_UINT64:
      case PROTOBUF_C_TYPE_DOUBLE: std::memcpy(to, &number, sizeof number); return true;
      case PROTOBUF_C_TYPE_STRING: {
        char* text = static_cast<char*>(allocate(payload.size() + 1));
        std::memcpy(text, payload.data(), payload.size());
        text[payload.size()] = '\0';
        std::memcpy(to, &text, sizeof text);
        return true;
      }
      case PROTOBUF_C_TYPE_MESSAGE: {
        ProtobufCMessage* nested =
            message(*static_cast<const ProtobufCMessageDescriptor*>(field.descriptor), payload);
        std::memcpy(to, &nested, sizeof nested);
        return nested != nullptr;
      }
      default: return false;
    }
  }

  void* allocate(std::size_t bytes) { return allocate_(bytes); }

  Allocate allocate_;
};

}  // namespace

void ProtobufParseResultFree::operator()(PgQueryProtobufParseResult* result) const noexcept {
  pg_query_free_protobuf_parse_result(*result);
  delete result;
}

ParseTree::ParseTree(const PgQueryProtobuf& packed) {
  WireReader reader([this](std::size_t bytes) { return allocate(bytes); });
  tree_ = reinterpret_cast<PgQuery__ParseResult*>(
      reader.message(pg_query__parse_result__descriptor, {packed.data, packed.len}));
}

ParseTree::~ParseTree() = default;

void* ParseTree::allocate(std::size_t bytes) {
  constexpr std::size_t kAlignment = alignof(std::max_align_t);
  constexpr std::size_t kFirstBlockSize = 16 * 1024;
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  if (blocks_.empty() || used_in_last_block_ + bytes > last_block_size_) {
    // Each block twice the last: a big tree takes few of them.
    last_block_size_ = std::max(bytes, blocks_.empty() ? kFirstBlockSize : 2 * last_block_size_);
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(last_block_size_));
    used_in_last_block_ = 0;
  }
  void* memory = blocks_.back().get() + used_in_last_block_;
  used_in_last_block_ += bytes;
  return memory;
}

SourceLocation Context::at(std::int32_t node_location) const {
  return source_.location(statement_offset_ + static_cast<std::size_t>(std::max(node_location, 0)));
}

void Context::fail(std::int32_t node_location, const std::string& message) const {
  throw source_.error(statement_offset_ + static_cast<std::size_t>(std::max(node_location, 0)), message);
}

void Context::warn(std::int32_t node_location, const std::string& message) const {
  warnings_.push_back(Warning{at(node_location), message});
}

std::string string_value(const Node* node) {
  if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_STRING) return node->string->sval;
  return {};
}

std::vector<std::string> string_list(std::size_t count, Node* const* items) {
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(string_value(items[i]));
  return out;
}

QualifiedName qualified_name(std::size_t count, Node* const* items) {
  const auto parts = string_list(count, items);
  if (parts.empty()) return {};
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

QualifiedName qualified_name(const PgQuery__RangeVar* range) {
  if (range == nullptr) return {};
  return {range->schemaname, range->relname};
}

std::optional<std::string> serial_kind(const PgQuery__TypeName* type) {
  if (type == nullptr || type->n_names != 1 || type->n_array_bounds > 0) return std::nullopt;
  const std::string name = string_value(type->names[0]);
  if (name == "serial" || name == "serial4") return "serial";
  if (name == "bigserial" || name == "serial8") return "bigserial";
  if (name == "smallserial" || name == "serial2") return "smallserial";
  return std::nullopt;
}

schema::TypeRef type_ref(const Context& context, const PgQuery__TypeName* type) {
  schema::TypeRef ref;
  if (type == nullptr) return ref;
  if (type->pct_type) context.fail(type->location, "%TYPE references are not supported");
  const auto names = string_list(type->n_names, type->names);
  const bool in_pg_catalog = names.size() == 2 && names[0] == "pg_catalog";
  if (names.size() == 1 || in_pg_catalog) {
    if (auto builtin = schema::builtin_type_name(names.back())) {
      ref.name = *builtin;
    } else if (in_pg_catalog) {
      context.fail(type->location, "type pg_catalog." + names.back() + " is not known to strata");
    } else {
      ref.name = names.back();  // a user type, resolved against search_path later
    }
  } else {
    ref.schema = names[names.size() - 2];
    ref.name = names.back();
  }

  for (std::size_t i = 0; i < type->n_typmods; ++i) {
    const Node* modifier = type->typmods[i];
    if (const auto number = integer_value(modifier)) {
      ref.modifiers.push_back(std::to_string(*number));
    } else {
      ref.modifiers.push_back(deparse_expression(context, modifier));
    }
  }
  // float(p) is real up to 24 bits of precision and double precision above.
  if (in_pg_catalog && (names.back() == "float4" || names.back() == "float8")) ref.modifiers.clear();
  // The interval field list arrives as a bitmask typmod: INTERVAL DAY TO SECOND.
  if (ref.name == "interval" && !ref.modifiers.empty()) {
    context.fail(type->location, "interval field restrictions (INTERVAL DAY TO SECOND) are not supported");
  }
  ref.array_dims = static_cast<int>(type->n_array_bounds);
  return schema::with_implicit_modifiers(std::move(ref));
}

std::optional<std::int64_t> integer_value(const Node* node) {
  if (node == nullptr) return std::nullopt;
  if (node->node_case == PG_QUERY__NODE__NODE_INTEGER) return node->integer->ival;
  if (node->node_case == PG_QUERY__NODE__NODE_FLOAT) {
    std::int64_t value = 0;
    const std::string_view text = node->float_->fval;
    if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{}) return value;
    return std::nullopt;
  }
  if (node->node_case == PG_QUERY__NODE__NODE_A_CONST) {
    const PgQuery__AConst* constant = node->a_const;
    if (constant->val_case == PG_QUERY__A__CONST__VAL_IVAL) return constant->ival->ival;
    if (constant->val_case == PG_QUERY__A__CONST__VAL_FVAL) {
      std::int64_t value = 0;
      const std::string_view text = constant->fval->fval;
      if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{}) return value;
    }
  }
  if (node->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) return integer_value(node->type_cast->arg);
  return std::nullopt;
}

std::string text_value(const Node* node) {
  if (node == nullptr) return {};
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_STRING: return node->string->sval;
    case PG_QUERY__NODE__NODE_INTEGER: return std::to_string(node->integer->ival);
    case PG_QUERY__NODE__NODE_FLOAT: return node->float_->fval;
    case PG_QUERY__NODE__NODE_BOOLEAN: return node->boolean->boolval ? "true" : "false";
    case PG_QUERY__NODE__NODE_TYPE_NAME: {
      std::string text;
      for (std::size_t i = 0; i < node->type_name->n_names; ++i)
        text += (i > 0 ? "." : "") + string_value(node->type_name->names[i]);
      return text;
    }
    case PG_QUERY__NODE__NODE_A_CONST: {
      const PgQuery__AConst* constant = node->a_const;
      switch (constant->val_case) {
        case PG_QUERY__A__CONST__VAL_SVAL: return constant->sval->sval;
        case PG_QUERY__A__CONST__VAL_IVAL: return std::to_string(constant->ival->ival);
        case PG_QUERY__A__CONST__VAL_FVAL: return constant->fval->fval;
        case PG_QUERY__A__CONST__VAL_BOOLVAL: return constant->boolval->boolval ? "true" : "false";
        default: return {};
      }
    }
    default: return {};
  }
}

std::string deparse_expression(const Context& context, const Node* expression) {
  if (std::string constant = constant_text(expression); !constant.empty()) return constant;
  // libpg_query's deparser drops the parentheses that `(x AT TIME ZONE z)::t`
  // needs, which would change its meaning; there the function-call spelling
  // timezone(z, x), the same expression, is used instead. The tree is the
  // caller's own unpacked copy, so it may be edited in place.
  walk(expression, [](const Node& node) {
    if (node.node_case != PG_QUERY__NODE__NODE_TYPE_CAST || node.type_cast->arg == nullptr ||
        node.type_cast->arg->node_case != PG_QUERY__NODE__NODE_FUNC_CALL)
      return;
    PgQuery__FuncCall* call = node.type_cast->arg->func_call;
    if (call->funcformat == PG_QUERY__COERCION_FORM__COERCE_SQL_SYNTAX && call->n_funcname > 0 &&
        string_value(call->funcname[call->n_funcname - 1]) == "timezone")
      call->funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
  });
  PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
  target.val = const_cast<Node*>(expression);
  PgQuery__Node target_node = PG_QUERY__NODE__INIT;
  target_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
  target_node.res_target = &target;
  PgQuery__Node* targets[] = {&target_node};
  PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
  select.n_target_list = 1;
  select.target_list = targets;
  select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
  select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
  PgQuery__Node statement = PG_QUERY__NODE__INIT;
  statement.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
  statement.select_stmt = &select;

  std::string text = deparse_raw(context, &statement, node_location(expression));
  constexpr std::string_view kPrefix = "SELECT ";
  if (text.starts_with(kPrefix)) text.erase(0, kPrefix.size());
  return text;
}

std::string deparse_statement(const Context& context, const Node* statement) {
  return deparse_raw(context, const_cast<Node*>(statement), -1);
}

void walk(const Node* root, const std::function<void(const Node&)>& visit) {
  walk_pruned(root, [&](const Node& node) {
    visit(node);
    return true;
  });
}

void walk_pruned(const Node* root, const std::function<bool(const Node&)>& visit) {
  walk_message(reinterpret_cast<const ProtobufCMessage*>(root), visit);
}

std::vector<std::string> referenced_columns(const Node* expression) {
  std::vector<std::string> columns;
  walk(expression, [&](const Node& node) {
    if (node.node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return;
    const PgQuery__ColumnRef* ref = node.column_ref;
    if (ref->n_fields == 0) return;
    const std::string column = string_value(ref->fields[ref->n_fields - 1]);
    if (!column.empty() && std::find(columns.begin(), columns.end(), column) == columns.end())
      columns.push_back(column);
  });
  return columns;
}

schema::Dependencies dependencies(const Node* root) {
  std::set<std::string> cte_names;
  std::set<QualifiedName> relations;
  std::set<QualifiedName> functions;
  walk(root, [&](const Node& node) {
    switch (node.node_case) {
      case PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR:
        cte_names.insert(node.common_table_expr->ctename);
        break;
      case PG_QUERY__NODE__NODE_RANGE_VAR:
        relations.insert(qualified_name(node.range_var));
        break;
      case PG_QUERY__NODE__NODE_FUNC_CALL: {
        auto name = qualified_name(node.func_call->n_funcname, node.func_call->funcname);
        if (name.schema != "pg_catalog") functions.insert(std::move(name));
        break;
      }
      default: break;
    }
  });
  schema::Dependencies out;
  for (const auto& relation : relations)
    if (!(relation.schema.empty() && cte_names.contains(relation.name))) out.relations.push_back(relation);
  out.functions.assign(functions.begin(), functions.end());
  return out;
}

const char* node_kind_name(const Node* node) {
  if (node == nullptr) return "nothing";
  const ProtobufCFieldDescriptor* field =
      protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, static_cast<unsigned>(node->node_case));
  return field != nullptr ? field->name : "unknown node";
}

}  // namespace strata::parser::pg

namespace strata::parser::pg {
namespace {

// Parses "SELECT <expression>" and hands its target expression to `use`.
template <typename Use>
auto with_expression(std::string_view expression, Use use) {
  const std::string query = "SELECT " + std::string(expression);
  ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(query.c_str())));
  if (result->error != nullptr) throw Error("cannot parse stored expression: " + std::string(expression));
  const ParseTree tree(result->parse_tree);
  Node* target = tree->stmts[0]->stmt->select_stmt->target_list[0]->res_target->val;
  return use(target);
}

// An edited tree of `expression` as canonical text.
std::string deparse_expression_as_is(std::string_view expression, const Node* target) {
  std::vector<Warning> ignored;
  const SourceText source("<expression>", expression);
  return deparse_expression(Context(source, 0, ignored), target);
}

}  // namespace

std::vector<std::string> expression_columns(std::string_view expression) {
  return with_expression(expression, [](Node* target) { return referenced_columns(target); });
}

std::string rename_column_in_expression(std::string_view expression, const std::string& from, const std::string& to) {
  return with_expression(expression, [&](Node* target) {
    walk(target, [&](const Node& node) {
      if (node.node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return;
      const PgQuery__ColumnRef* ref = node.column_ref;
      if (ref->n_fields == 0) return;
      Node* last = ref->fields[ref->n_fields - 1];
      if (last->node_case == PG_QUERY__NODE__NODE_STRING && from == last->string->sval) {
        // The tree is ours, deparsed before `to` goes, and its memory is
        // released all at once: it may point at `to`.
        last->string->sval = const_cast<char*>(to.c_str());
      }
    });
    return deparse_expression_as_is(expression, target);
  });
}

namespace {

// The string constant `node` hands the server to read as an object's name,
// and the kind of object: 'x'::regclass (regtype, regproc, regprocedure), or
// the sequence of nextval('s'), currval, setval, read as regclass.
std::optional<std::pair<Node*, NameKind>> object_name_constant(const Node& node) {
  if (node.node_case == PG_QUERY__NODE__NODE_TYPE_CAST && node.type_cast->type_name != nullptr) {
    const PgQuery__TypeName& cast_to = *node.type_cast->type_name;
    const std::string type = cast_to.n_names > 0 ? string_value(cast_to.names[cast_to.n_names - 1]) : std::string();
    if (type == "regclass") return std::pair{node.type_cast->arg, NameKind::Relation};
    if (type == "regtype") return std::pair{node.type_cast->arg, NameKind::Type};
    if (type == "regproc" || type == "regprocedure") return std::pair{node.type_cast->arg, NameKind::Function};
  } else if (node.node_case == PG_QUERY__NODE__NODE_FUNC_CALL && node.func_call->n_args > 0) {
    const PgQuery__FuncCall& call = *node.func_call;
    const std::string function = string_value(call.funcname[call.n_funcname - 1]);
    if (function == "nextval" || function == "currval" || function == "setval")
      return std::pair{call.args[0], NameKind::Relation};
  }
  return std::nullopt;
}

// Calls `visit` with the name node of each cast to a user type (name or
// schema.name) in the tree, and the type it names as written.
template <typename Visit>
void visit_cast_types(Node* root, const Visit& visit) {
  walk(root, [&](const Node& node) {
    if (node.node_case != PG_QUERY__NODE__NODE_TYPE_CAST || node.type_cast->type_name == nullptr) return;
    const PgQuery__TypeName& cast_to = *node.type_cast->type_name;
    const std::size_t count = cast_to.n_names;
    if (count == 0 || count > 2) return;
    QualifiedName named{count == 2 ? string_value(cast_to.names[0]) : "", string_value(cast_to.names[count - 1])};
    // An unqualified built-in name is pg_catalog's, which the search path tries first.
    if (named.schema == "pg_catalog" || (named.schema.empty() && schema::builtin_type_name(named.name))) return;
    visit(*cast_to.names[count - 1], std::move(named));
  });
}

}  // namespace

ExpressionReads expression_reads(std::string_view expression) {
  return with_expression(expression, [](Node* target) {
    ExpressionReads reads{referenced_columns(target), {}};
    visit_cast_types(target, [&](Node&, QualifiedName named) {
      if (std::find(reads.cast_types.begin(), reads.cast_types.end(), named) == reads.cast_types.end())
        reads.cast_types.push_back(std::move(named));
    });
    return reads;
  });
}

std::string rename_regclass_in_expression(std::string_view expression, const QualifiedName& relation,
                                          const std::string& new_name) {
  if (expression.find(relation.name) == std::string_view::npos) return std::string(expression);  // nothing to parse for
  const std::string qualified = schema::qualified_sql(relation);
  const std::string bare = schema::quote_identifier(relation.name);
  std::deque<std::string> replacements;  // the tree points into them until it is deparsed
  // A string constant naming the relation, as written (qualified or not).
  const auto rename_constant = [&](Node* constant) {
    if (constant == nullptr || constant->node_case != PG_QUERY__NODE__NODE_A_CONST ||
        constant->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
      return;
    const std::string text = constant->a_const->sval->sval;
    if (text == qualified)
      replacements.push_back(schema::qualified_sql({relation.schema, new_name}));
    else if (text == bare)
      replacements.push_back(schema::quote_identifier(new_name));
    else
      return;
    constant->a_const->sval->sval = const_cast<char*>(replacements.back().c_str());
  };
  return with_expression(expression, [&](Node* target) {
    walk(target, [&](const Node& node) {
      if (const auto named = object_name_constant(node); named && named->second == NameKind::Relation)
        rename_constant(named->first);
    });
    return deparse_expression_as_is(expression, target);
  });
}

std::string rename_type_in_expression(std::string_view expression, const QualifiedName& type,
                                      const std::string& new_name) {
  if (expression.find(type.name) == std::string_view::npos) return std::string(expression);  // nothing to parse for
  return with_expression(expression, [&](Node* target) {
    visit_cast_types(target, [&](Node& name_node, const QualifiedName& named) {
      if (named.name != type.name || (!named.schema.empty() && named.schema != type.schema)) return;
      // As in rename_column_in_expression: the tree is deparsed before `new_name` goes.
      name_node.string->sval = const_cast<char*>(new_name.c_str());
    });
    return deparse_expression_as_is(expression, target);
  });
}

}  // namespace strata::parser::pg

namespace strata::parser::pg {
namespace {

// Edits names in a parse tree in place. The nodes and strings it adds live
// here until the tree is deparsed.
class NameQualifier {
 public:
  explicit NameQualifier(const SchemaOfName& schema_of) : schema_of_(schema_of) {}

  void qualify(Node* root) {
    std::set<std::string> cte_names;
    walk(root, [&](const Node& node) {
      if (node.node_case == PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR) cte_names.insert(node.common_table_expr->ctename);
    });
    walk(root, [&](const Node& node) {
      switch (node.node_case) {
        case PG_QUERY__NODE__NODE_RANGE_VAR: {
          PgQuery__RangeVar& range = *node.range_var;
          const bool qualified = range.schemaname != nullptr && range.schemaname[0] != '\0';
          if (qualified) return;
          const NameKind kind = cte_names.contains(range.relname) ? NameKind::WithQueryName : NameKind::Relation;
          if (const auto schema = schema_of_(kind, range.relname)) range.schemaname = kept(*schema);
          return;
        }
        case PG_QUERY__NODE__NODE_FUNC_CALL:
          qualify_list(node.func_call->n_funcname, node.func_call->funcname, NameKind::Function);
          break;
        case PG_QUERY__NODE__NODE_TYPE_CAST:
          if (PgQuery__TypeName* type = node.type_cast->type_name; type != nullptr && type->n_names == 1 &&
                                                                   !schema::builtin_type_name(string_value(type->names[0])))
            qualify_list(type->n_names, type->names, NameKind::Type);
          break;
        default: break;
      }
      if (const auto named = object_name_constant(node)) qualify_object_text(named->first, named->second);
    });
  }

 private:
  // A one-name list (name) becomes (schema, name).
  void qualify_list(std::size_t& count, Node**& names, NameKind kind) {
    if (count != 1) return;
    const auto schema = schema_of_(kind, string_value(names[0]));
    if (!schema) return;
    PgQuery__String& text = strings_.emplace_back();
    pg_query__string__init(&text);
    text.sval = kept(*schema);
    Node& node = nodes_.emplace_back();
    pg_query__node__init(&node);
    node.node_case = PG_QUERY__NODE__NODE_STRING;
    node.string = &text;
    std::vector<Node*>& list = lists_.emplace_back(std::vector<Node*>{&node, names[0]});
    names = list.data();
    count = 2;
  }

  // A string constant naming a relation, type or routine ('s' read as
  // regclass, regtype, regproc or regprocedure) by one unqualified name.
  void qualify_object_text(Node* constant, NameKind kind) {
    if (constant == nullptr || constant->node_case != PG_QUERY__NODE__NODE_A_CONST ||
        constant->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
      return;
    const std::string value = constant->a_const->sval->sval;
    // A routine's name may come with its argument types: 'f(int)'.
    const std::size_t name_end = kind == NameKind::Function ? std::min(value.find('('), value.size()) : value.size();
    const std::optional<std::string> name = one_identifier(value.substr(0, name_end));
    if (!name) return;
    if (kind == NameKind::Type && schema::builtin_type_name(*name)) return;
    if (const auto schema = schema_of_(kind, *name))
      constant->a_const->sval->sval = kept(schema::qualified_sql({*schema, *name}) + value.substr(name_end));
  }

  // The name `text` spells as one identifier, as the server reads it: a
  // quoted one as written, a bare one folded to lower case; nothing for a
  // qualified name or anything else.
  static std::optional<std::string> one_identifier(std::string_view text) {
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
      std::string name;
      for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '"' && (i + 2 >= text.size() || text[++i] != '"')) return std::nullopt;  // a lone quote
        name += text[i];
      }
      return name.empty() ? std::nullopt : std::optional<std::string>(name);
    }
    if (text.empty() || (text.front() >= '0' && text.front() <= '9')) return std::nullopt;
    std::string name;
    for (const char c : text) {
      const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!word) return std::nullopt;
      name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return name;
  }

  char* kept(const std::string& text) { return const_cast<char*>(texts_.emplace_back(text).c_str()); }

  const SchemaOfName& schema_of_;
  std::deque<std::string> texts_;
  std::deque<PgQuery__String> strings_;
  std::deque<Node> nodes_;
  std::deque<std::vector<Node*>> lists_;
};

}  // namespace

std::string qualify_query(std::string_view query, const SchemaOfName& schema_of) {
  const std::string text(query);
  ProtobufParseResult result(new PgQueryProtobufParseResult(pg_query_parse_protobuf(text.c_str())));
  if (result->error != nullptr) throw Error("cannot parse stored query: " + text);
  const ParseTree tree(result->parse_tree);
  Node* statement = tree->stmts[0]->stmt;
  NameQualifier qualifier(schema_of);
  qualifier.qualify(statement);
  std::vector<Warning> ignored;
  const SourceText source("<query>", query);
  return deparse_statement(Context(source, 0, ignored), statement);
}

std::string qualify_expression(std::string_view expression, const SchemaOfName& schema_of) {
  return with_expression(expression, [&](Node* target) {
    NameQualifier qualifier(schema_of);
    qualifier.qualify(target);
    return deparse_expression_as_is(expression, target);
  });
}

}  // namespace strata::parser::pg
