// Partition bounds as the server prints them, for drift detection.
#pragma once

#include <string>

#include "strata/schema/catalog.h"

namespace strata::runtime {

// `files` (a catalog read from schema files) with each partition bound as
// the PostgreSQL server at `url` prints it. The server writes a bound's
// values in the key's own type ('2024-01-01' on a timestamp key is
// '2024-01-01 00:00:00'), which the model cannot do offline. Each bound is
// printed by a partition of a temporary copy of its parent, in a
// transaction that is rolled back: the database keeps nothing. A bound the
// server cannot print that way (a type of the parent missing there, a
// read-only standby) stays as written.
schema::Catalog with_server_partition_bounds(const std::string& url, schema::Catalog files);

}  // namespace strata::runtime
