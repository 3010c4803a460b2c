// Dependency order for changes: drops before creates, dependents dropped
// before what they depend on and created after it.
#pragma once

#include <vector>

#include "strata/planner/changes.h"
#include "strata/schema/catalog.h"

namespace strata::planner {

// Phases, in order: renames; triggers and policies dropped; foreign keys, indexes,
// other constraints dropped; views and routines that read relations dropped
// (dependents first); tables and columns dropped; types, extensions and
// routines that are created again dropped; schemas, extensions, types
// (dependencies first), routines that read no relation, sequences, tables
// (parents first), columns, sequence owners; sequences, routines, types,
// extensions and schemas that go away dropped (once no column, default or
// check uses them); constraints, indexes, foreign keys; views and routines
// (dependencies first); triggers, row security, policies; comments.
// `desired` tells which routines read relations and which indexes are on
// materialized views.
std::vector<Change> order(std::vector<Change> changes, const schema::Catalog& desired);

}  // namespace strata::planner
