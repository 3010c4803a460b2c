// What the user allows and asks for when planning.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace strata::planner {

struct PlanOptions {
  // Changes that lose data (dropped tables, columns, types and enum values,
  // narrowed column types) are refused unless allowed.
  bool allow_destructive = false;
  // OLD=NEW rename hints, applied in order; renames are never guessed. OLD is
  // "schema.table", "schema.index", "schema.table.column",
  // "schema.table.constraint" or "schema.enum.value" (names as stored, no
  // quoting); NEW is the new name.
  std::vector<std::pair<std::string, std::string>> renames;
  // Foreign keys are added NOT VALID, then validated in a second statement
  // that takes a weaker lock.
  bool foreign_keys_not_valid = false;
  // CREATE INDEX CONCURRENTLY, which cannot run inside a transaction.
  bool concurrent_indexes = false;
};

}  // namespace strata::planner
