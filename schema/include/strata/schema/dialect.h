// The SQL dialects strata plans and applies for.
#pragma once

#include <cstdint>

namespace strata::schema {

enum class Dialect : std::uint8_t { Postgres, Sqlite };

}  // namespace strata::schema
