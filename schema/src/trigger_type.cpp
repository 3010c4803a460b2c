#include "strata/schema/trigger_type.h"

#include "strata/schema/names.h"

namespace strata::schema::trigger_type {

std::vector<std::string> events(std::int64_t type, const std::vector<std::string>& update_columns) {
  std::vector<std::string> out;
  if ((type & kInsert) != 0) out.emplace_back("INSERT");
  if ((type & kDelete) != 0) out.emplace_back("DELETE");
  if ((type & kUpdate) != 0) {
    std::string update = "UPDATE";
    for (std::size_t i = 0; i < update_columns.size(); ++i)
      update += (i == 0 ? " OF " : ", ") + quote_identifier(update_columns[i]);
    out.push_back(std::move(update));
  }
  if ((type & kTruncate) != 0) out.emplace_back("TRUNCATE");
  return out;
}

}  // namespace strata::schema::trigger_type
