// Rename hints written in the schema files (parser/rename_hints.h) stay there
// once their rename has been planned: on the next plan their old names are
// gone from the previous schema, and those hints no longer apply.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "strata/parser/rename_hints.h"
#include "strata/schema/catalog.h"

namespace strata::planner {

// The hints that rename something in `previous`, as PlanOptions::renames
// pairs, in order. Each kept hint is applied before the next is looked up (a
// column of a renamed table is found under the table's new name); a hint whose
// old object is absent is left out, which is not an error. `then` (the
// --rename hints of the command line) follows them.
std::vector<std::pair<std::string, std::string>> applicable_renames(
    const schema::Catalog& previous, const std::vector<parser::RenameHint>& hints,
    const std::vector<std::pair<std::string, std::string>>& then = {});

}  // namespace strata::planner
