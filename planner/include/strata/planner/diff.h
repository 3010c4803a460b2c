// The difference between two catalogs as typed changes, in no particular
// order (order.h puts them in dependency order).
#pragma once

#include <vector>

#include "strata/planner/changes.h"
#include "strata/planner/plan_options.h"
#include "strata/schema/catalog.h"

namespace strata::planner {

// Rename hints (PlanOptions::renames) become the first changes; the rest is
// the difference between the renamed previous catalog and the desired one.
// Throws strata::Error for a hint that names nothing, and for a difference the
// planner cannot turn into changes yet (a table's inheritance or partitioning).
std::vector<Change> diff(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options);

}  // namespace strata::planner
