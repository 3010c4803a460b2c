// Rename hints written in the schema files, beside the object they rename:
//
//   CREATE TABLE accounts ( -- @renamed from=old_accounts
//     username varchar(100) NOT NULL, -- @renamed from=user_name
//     CONSTRAINT accounts_key UNIQUE (username) /* @renamed from=old_key */
//   );
//   CREATE INDEX idx_new ON accounts (username); -- @renamed from=idx_old
//   CREATE TYPE status /* @renamed from=state */ AS ENUM ('waiting' /* @renamed from=pending */);
//
// A hint is a comment that starts with `@renamed from=NAME`, NAME bare (folded
// as the dialect folds identifiers; enum values are taken as written),
// "double-quoted" or 'single-quoted'. It belongs to what stands on its line
// before it (or, with nothing before it, after it): the header of a CREATE
// TABLE (up to its '(' and from its ')' on) renames the table, an element of
// its list renames the column or the named constraint, a CREATE INDEX renames
// the index, the header of a CREATE TYPE ... AS ENUM renames the type and an
// element of its list renames the value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "strata/parser/interpreter.h"
#include "strata/schema/dialect.h"
#include "strata/schema/error.h"

namespace strata::parser {

struct RenameHint {
  // As in planner::PlanOptions::renames: "schema.table", "schema.index",
  // "schema.enum", "schema.table.column", "schema.table.constraint" or
  // "schema.enum.value", names as the dialect stores them. A member of a
  // renamed table or enum names it by its new name.
  std::string old_path;
  std::string new_name;
  SourceLocation location;  // the comment
};

// Rename paths (RenameHint::old_path, planner::PlanOptions::renames): names
// joined by '.', a name that holds a '.' or starts with '"' double-quoted, with
// "" for a '"' in it: public.users."special.column".
std::string join_rename_path(const std::vector<std::string>& names);
std::vector<std::string> split_rename_path(std::string_view path);

// The hints of the files in order, a table's or an enum's own hints before
// those of its members (hints are applied in order). PostgreSQL folds unquoted
// names to lower case and resolves unqualified ones to "public"; SQLite keeps
// names as written, in "main". Throws strata::Error at the comment for a hint
// that is malformed or stands next to nothing it can rename.
std::vector<RenameHint> read_rename_hints(schema::Dialect dialect, const std::vector<SourceFile>& files);

}  // namespace strata::parser
