// One statement of a plan, in either dialect, with what a reviewer and the
// runtime need to know about it.
#pragma once

#include <optional>
#include <string>

namespace strata::planner {

struct PlannedStatement {
  std::string sql;     // without the final ';'
  std::string change;  // describe() of the change it comes from
  bool transactional = true;  // false: must run outside a transaction block (CREATE INDEX CONCURRENTLY)
  bool destructive = false;   // its change loses data
  // ALTER TYPE ... ADD VALUE: the value it adds. PostgreSQL refuses to use
  // the new value before this statement's transaction commits, so a later
  // use must go in a later step.
  std::optional<std::string> added_enum_value;
  // Something the reviewer must act on, written above the statement in the
  // migration file ("existing rows need a value for main.t.c").
  std::string note;
};

}  // namespace strata::planner
