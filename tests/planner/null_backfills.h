// Planning for tests whose tables hold no rows: new NOT NULL columns that
// need a backfill value get NULL, which an empty table never uses.
#pragma once

#include "strata/planner/plan.h"

namespace strata::testing {

planner::Plan plan_with_null_backfills(schema::Dialect dialect, const schema::Catalog& previous,
                                       const schema::Catalog& desired, planner::PlanOptions options);

}  // namespace strata::testing
