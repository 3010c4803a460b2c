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

}  // namespace strata::schema
