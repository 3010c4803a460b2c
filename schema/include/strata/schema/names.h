// PostgreSQL's identifier rules: quoting, and the names the server chooses for
// objects created without one (t_pkey, t_col_key, t_col_fkey, t_col_check,
// t_col_idx, t_col_seq), including its truncation to 63 bytes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/schema/catalog.h"

namespace strata::schema {

// Longest identifier PostgreSQL keeps (NAMEDATALEN - 1), in bytes.
inline constexpr std::size_t kMaxIdentifierBytes = 63;

// The identifier as PostgreSQL's quote_identifier() prints it: bare when it is
// lower case, starts with a letter or underscore and is not a keyword.
std::string quote_identifier(std::string_view identifier);

// `text` with ASCII letters in upper case (SQL keywords and options).
std::string ascii_upper(std::string_view text);

// "schema.name", each part quoted as needed.
std::string qualified_sql(const QualifiedName& name);

// Truncates to 63 bytes without splitting a UTF-8 character, as the server does.
std::string truncate_identifier(std::string_view identifier);

// PostgreSQL's makeObjectName(): name1_name2_label, shortening name1 and name2
// (the longer first) so the result fits in 63 bytes.
std::string make_object_name(std::string_view name1, std::string_view name2, std::string_view label);

// PostgreSQL's ChooseRelationName()/ChooseConstraintName(): the first of
// name1_name2_label, name1_name2_label1, ... that `taken` does not claim.
std::string choose_name(std::string_view name1, std::string_view name2, std::string_view label,
                        const std::function<bool(const std::string&)>& taken);

// The "name2" part for a list of columns (ChooseIndexNameAddition): the names
// joined by '_', cut off once it reaches 63 bytes.
std::string column_name_addition(const std::vector<std::string>& columns);

}  // namespace strata::schema
