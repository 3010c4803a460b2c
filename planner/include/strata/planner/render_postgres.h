// Changes as PostgreSQL statements.
#pragma once

#include <string>
#include <vector>

#include "strata/planner/changes.h"
#include "strata/planner/plan_options.h"
#include "strata/planner/statement.h"

namespace strata::planner {

std::vector<PlannedStatement> render_postgres(const Change& change, const PlanOptions& options);

// The arguments part of a routine's signature: "(integer, text)".
std::string routine_arguments(const schema::Function& function);

}  // namespace strata::planner
