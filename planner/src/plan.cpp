#include "strata/planner/plan.h"

#include "strata/parser/interpreter.h"
#include "strata/parser/postgres_parser.h"
#include "strata/planner/diff.h"
#include "strata/planner/order.h"
#include "strata/schema/compare.h"

namespace strata::planner {
namespace {

std::string bulleted(const std::string& heading, const std::vector<std::string>& items) {
  std::string text = heading;
  for (const auto& item : items) text += "\n  - " + item;
  return text;
}

void refuse_data_loss(const std::vector<Change>& changes) {
  std::vector<std::string> losses;
  for (const auto& change : changes)
    if (auto loss = data_loss(change)) losses.push_back(std::move(*loss));
  if (!losses.empty()) throw DestructiveChange(std::move(losses));
}

// PostgreSQL appends every added column, so a column added in the middle of
// a table (or dropped and added again) cannot take its desired position
// without rebuilding the table. Until the planner rebuilds tables, the
// replayed columns are compared in the desired order.
void order_columns_as(schema::Catalog& catalog, const schema::Catalog& desired) {
  for (auto& [name, table] : catalog.tables) {
    const auto wanted = desired.tables.find(name);
    if (wanted == desired.tables.end() || wanted->second.columns.size() != table.columns.size()) continue;
    std::vector<schema::Column> ordered;
    for (const auto& column : wanted->second.columns)
      if (const schema::Column* found = table.find_column(column.name)) ordered.push_back(*found);
    if (ordered.size() == table.columns.size()) table.columns = std::move(ordered);
  }
}

// previous + plan, replayed through the interpreter, must give desired.
void verify(const schema::Catalog& previous, const schema::Catalog& desired, const Plan& plan) {
  parser::Interpreter interpreter(previous);
  std::vector<parser::Warning> warnings;
  const std::string sql = plan.sql();
  try {
    parser::parse_postgres("plan.sql", sql, [&](parser::Statement&& statement) { interpreter.apply(statement); },
                           warnings);
  } catch (const Error& error) {
    throw VerificationError("the plan does not replay", {error.render()});
  }
  schema::Catalog replayed = std::move(interpreter).release();
  order_columns_as(replayed, desired);
  auto differences = schema::differences(replayed, desired);
  if (!differences.empty())
    throw VerificationError("the plan does not reach the desired schema", std::move(differences));
}

// Each hint renames the last part of its path: undone in the opposite order,
// "a.b.old=new" becomes "a.b.new=old".
std::vector<std::pair<std::string, std::string>> reversed_renames(
    const std::vector<std::pair<std::string, std::string>>& renames) {
  std::vector<std::pair<std::string, std::string>> reversed;
  for (auto hint = renames.rbegin(); hint != renames.rend(); ++hint) {
    const auto dot = hint->first.rfind('.');
    const std::string prefix = dot == std::string::npos ? "" : hint->first.substr(0, dot + 1);
    reversed.emplace_back(prefix + hint->second, hint->first.substr(prefix.size()));
  }
  return reversed;
}

}  // namespace

std::string Plan::sql() const {
  std::string out;
  for (const auto& statement : statements) out += statement.sql + ";\n";
  return out;
}

DestructiveChange::DestructiveChange(std::vector<std::string> losses)
    : Error(bulleted("refusing destructive changes (allow them to plan anyway); they would lose:", losses)),
      losses_(std::move(losses)) {}

VerificationError::VerificationError(std::string what_was_checked, std::vector<std::string> differences)
    : Error(bulleted("internal error: " + what_was_checked + ":", differences)), differences_(std::move(differences)) {}

Plan plan_postgres(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options) {
  const std::vector<Change> changes = order(diff(previous, desired, options), desired);
  if (!options.allow_destructive) refuse_data_loss(changes);
  Plan plan;
  for (const auto& change : changes)
    for (auto& statement : render_postgres(change, options)) plan.statements.push_back(std::move(statement));
  verify(previous, desired, plan);
  return plan;
}

Plan reverse_plan(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options) {
  PlanOptions reverse = options;
  reverse.renames = reversed_renames(options.renames);
  return plan_postgres(desired, previous, reverse);
}

}  // namespace strata::planner
