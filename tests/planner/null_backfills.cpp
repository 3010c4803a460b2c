#include "null_backfills.h"

namespace strata::testing {

planner::Plan plan_with_null_backfills(schema::Dialect dialect, const schema::Catalog& previous,
                                       const schema::Catalog& desired, planner::PlanOptions options) {
  try {
    return planner::plan_schema_change(dialect, previous, desired, options);
  } catch (const planner::MissingBackfill& missing) {
    for (const auto& column : missing.columns()) options.backfills.emplace(column, "NULL");
    return planner::plan_schema_change(dialect, previous, desired, options);
  }
}

}  // namespace strata::testing
