// PostgreSQL's encoding of a trigger's timing and events (pg_trigger.tgtype),
// which both its grammar and its catalog use, and the canonical event list
// strata derives from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::schema::trigger_type {

inline constexpr std::int64_t kRow = 1 << 0;
inline constexpr std::int64_t kBefore = 1 << 1;
inline constexpr std::int64_t kInsert = 1 << 2;
inline constexpr std::int64_t kDelete = 1 << 3;
inline constexpr std::int64_t kUpdate = 1 << 4;
inline constexpr std::int64_t kTruncate = 1 << 5;
inline constexpr std::int64_t kInstead = 1 << 6;

// The events in the order PostgreSQL prints them whatever order they were
// written in: INSERT, DELETE, UPDATE [OF col, ...], TRUNCATE; column names
// quoted as needed.
std::vector<std::string> events(std::int64_t type, const std::vector<std::string>& update_columns);

}  // namespace strata::schema::trigger_type
