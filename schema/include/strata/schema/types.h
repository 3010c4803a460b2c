// Canonical type names: PostgreSQL accepts many spellings of one built-in type
// (int4, int, integer); the catalog holds the one format_type() prints.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "strata/schema/catalog.h"

namespace strata::schema {

// The canonical name of a built-in type given any of its spellings (internal
// names such as "int4" or "bpchar", SQL names such as "integer"), or nothing
// when `name` is not a built-in type.
std::optional<std::string> builtin_type_name(std::string_view name);

// Applies the server's implicit modifiers: character and bit without a
// length mean length 1.
TypeRef with_implicit_modifiers(TypeRef type);

// The type as SQL: "character varying(255)", "timestamp(3) with time zone",
// "public.mood[]".
std::string type_sql(const TypeRef& type);

// smallint, integer or bigint: the types a sequence or an identity counts in.
bool is_sequence_type(const TypeRef& type);

// The effective options of a sequence (or identity) of the given type, with
// PostgreSQL's defaults filled in for every option that was not given.
SequenceOptions resolve_sequence_options(const SequenceOptions& given);
// Resolved options after the data type changes to `type` (ALTER SEQUENCE AS,
// or ALTER COLUMN TYPE on an identity column): a bound that was the old
// type's own limit becomes the new type's, as PostgreSQL's init_params does.
SequenceOptions retyped_sequence_options(const SequenceOptions& resolved, const TypeRef& type);
// The server's message when a bound does not fit the sequence's data type.
std::optional<std::string> sequence_bounds_problem(const SequenceOptions& resolved);

}  // namespace strata::schema
