// Changes as PostgreSQL statements.
#pragma once

#include <string>
#include <vector>

#include "strata/planner/changes.h"
#include "strata/planner/plan_options.h"

namespace strata::planner {

struct PlannedStatement {
  std::string sql;     // without the final ';'
  std::string change;  // describe() of the change it comes from
  bool transactional = true;  // false: must run outside a transaction block (CREATE INDEX CONCURRENTLY)
  bool destructive = false;   // its change loses data
  // ALTER TYPE ... ADD VALUE: PostgreSQL refuses to use the new value before
  // this statement's transaction commits, so a later use must go in a later step.
  bool adds_enum_value = false;
};

std::vector<PlannedStatement> render_postgres(const Change& change, const PlanOptions& options);

// The arguments part of a routine's signature: "(integer, text)".
std::string routine_arguments(const schema::Function& function);

}  // namespace strata::planner
