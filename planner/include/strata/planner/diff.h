// The difference between two catalogs as typed changes, in no particular
// order (order.h puts them in dependency order).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/parser/interpreter.h"
#include "strata/planner/changes.h"
#include "strata/planner/plan_options.h"
#include "strata/schema/catalog.h"

namespace strata::planner {

// Rename hints (PlanOptions::renames) become the first changes; the rest is
// the difference between the renamed previous catalog and the desired one.
// Throws strata::Error for a hint that names nothing, and for a difference the
// planner cannot turn into changes yet (a table's inheritance or partitioning).
// A rename hint ("schema.table.column", "new_name") as the object it renames
// in `previous`; throws strata::Error for a hint that names nothing there.
RenameObject resolve_rename(const schema::Catalog& previous, const std::string& old_path, const std::string& new_name);
// The same, with nullopt for a hint that names nothing there; throws
// strata::Error for a hint of the wrong form.
std::optional<RenameObject> find_rename(const schema::Catalog& previous, const std::string& old_path,
                                        const std::string& new_name);
// Applies a rename to the interpreter's catalog with everything that follows
// from it, as the server does.
void apply_rename(parser::Interpreter& interpreter, const RenameObject& rename);

std::vector<Change> diff(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options);

}  // namespace strata::planner
