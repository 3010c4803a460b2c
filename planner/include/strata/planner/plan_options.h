// What the user allows and asks for when planning.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata::planner {

struct PlanOptions {
  // Changes that lose data (dropped tables, columns, types and enum values,
  // narrowed column types) are refused unless allowed.
  bool allow_destructive = false;
  // OLD=NEW rename hints, applied in order; renames are never guessed. OLD is
  // "schema.table", "schema.index", "schema.enum", "schema.table.column",
  // "schema.table.constraint" or "schema.enum.value" (names as stored; one
  // that holds a '.' double-quoted, see parser::join_rename_path); NEW is the
  // new name.
  std::vector<std::pair<std::string, std::string>> renames;
  // Values for the existing rows of new NOT NULL columns without a default
  // (and of columns that become NOT NULL): "schema.table.column" (written as
  // rename paths are, parser::join_rename_path) -> an SQL
  // expression, evaluated per row ("0", "'unknown'", "lower(email)").
  std::map<std::string, std::string> backfills;
  // A new NOT NULL column without a default or backfill is refused
  // (MissingBackfill). Down plans, which re-add what the up plan dropped,
  // plan it anyway with a note on the statement for the reviewer.
  bool require_backfills = true;
  // Foreign keys are added NOT VALID, then validated in a second statement
  // that takes a weaker lock.
  bool foreign_keys_not_valid = false;
  // CREATE INDEX CONCURRENTLY, which cannot run inside a transaction.
  bool concurrent_indexes = false;
};

}  // namespace strata::planner
