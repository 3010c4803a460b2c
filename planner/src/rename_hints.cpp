#include "strata/planner/rename_hints.h"

#include "strata/parser/interpreter.h"
#include "strata/planner/diff.h"
#include "strata/schema/error.h"

namespace strata::planner {

std::vector<std::pair<std::string, std::string>> applicable_renames(
    const schema::Catalog& previous, const std::vector<parser::RenameHint>& hints,
    const std::vector<std::pair<std::string, std::string>>& then) {
  std::vector<std::pair<std::string, std::string>> renames;
  if (hints.empty()) return then;  // spares copying the catalog into an interpreter
  parser::Interpreter renamed(previous);
  for (const auto& hint : hints) {
    const auto rename = find_rename(renamed.catalog(), hint.old_path, hint.new_name);
    if (!rename) continue;
    try {
      apply_rename(renamed, *rename);
    } catch (const Error& error) {
      // The server would refuse the rename (the new name is taken): say which hint.
      throw Error("cannot rename " + hint.old_path + " to " + hint.new_name + ": " + error.message(), hint.location);
    }
    renames.emplace_back(hint.old_path, hint.new_name);
  }
  renames.insert(renames.end(), then.begin(), then.end());
  return renames;
}

}  // namespace strata::planner
