// Steps both dialects' planners share.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "strata/planner/changes.h"
#include "strata/planner/plan_options.h"

namespace strata::planner {

// The place of an integer type among smallint, integer, bigint, numeric
// (each holds every value of the ones before it); -1 for any other type.
std::ptrdiff_t integer_width(const std::string& name);

// Throws DestructiveChange listing what `changes` would lose, if anything.
void refuse_data_loss(const std::vector<Change>& changes);

// "schema.table.column", in the rename paths' form (a name holding a '.' is
// quoted): how PlanOptions::backfills and MissingBackfill name a column.
std::string column_path(const QualifiedName& table, const std::string& column);

// The backfill value the user gave for a column, if any.
std::optional<std::string> backfill_of(const PlanOptions& options, const QualifiedName& table,
                                       const std::string& column);

// A new column whose existing rows get no value by themselves: NOT NULL,
// without a default, identity or generation expression.
bool needs_backfill(const schema::Column& column);

// What a reviewer reads above a statement that adds such a column without one.
std::string missing_backfill_note(const std::string& column_path);

}  // namespace strata::planner
