// A catalog read from schema files in the form the server would store it, in
// what only the server can tell: for drift detection.
#pragma once

#include <string>

#include "strata/schema/catalog.h"

namespace strata::runtime {

// `files` (a catalog read from schema files) as the PostgreSQL server at
// `url` would store and print it:
// - each partition bound in the key's own type ('2024-01-01' on a
//   timestamp key is '2024-01-01 00:00:00'), printed by a partition of a
//   temporary stand-in of its parent, in a transaction that is rolled back
//   (the database keeps nothing); a bound the server cannot print that way
//   (a type of the parent missing there, a read-only standby) stays as
//   written;
// - without the operator classes of index elements that are their access
//   method's defaults, which the server leaves out as it does on its side.
schema::Catalog in_server_form(const std::string& url, schema::Catalog files);

}  // namespace strata::runtime
