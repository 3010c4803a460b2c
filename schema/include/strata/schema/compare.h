// Names the objects on which two catalogs differ, for the planner's
// self-verification errors and for test failure messages.
#pragma once

#include <string>
#include <vector>

#include "strata/schema/catalog.h"

namespace strata::schema {

// One line per differing object: "table public.t: column c differs",
// "enum public.mood: only in the second catalog". Empty when equal.
std::vector<std::string> differences(const Catalog& first, const Catalog& second);
// The same, naming the two sides: "table public.t: only in <second_label>".
std::vector<std::string> differences(const Catalog& first, const Catalog& second, const std::string& first_label,
                                     const std::string& second_label);


// PostgreSQL appends every added column, so a plan that adds a column the
// schema files put in the middle of a table (or drops one and adds it again)
// leaves the same columns in another order; strata does not rewrite a table
// to move them, and the plan says so in a note. `catalog` with each table's
// columns in the order `reference` gives them, where both have the same
// columns: PostgreSQL schemas are compared this way.
Catalog with_column_order_of(Catalog catalog, const Catalog& reference);

}  // namespace strata::schema
