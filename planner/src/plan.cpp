#include "strata/planner/plan.h"

#include "plan_internal.h"

#include <algorithm>
#include <utility>

#include "strata/parser/interpreter.h"
#include "strata/parser/postgres_parser.h"
#include "strata/parser/rename_hints.h"
#include "strata/planner/diff.h"
#include "strata/planner/order.h"
#include "strata/planner/render_postgres.h"
#include "strata/schema/compare.h"
#include "strata/schema/printer.h"

namespace strata::planner {
namespace {

std::string bulleted(const std::string& heading, const std::vector<std::string>& items) {
  std::string text = heading;
  for (const auto& item : items) text += "\n  - " + item;
  return text;
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

// previous + plan, replayed through the interpreter.
schema::Catalog replayed(const schema::Catalog& previous, const Plan& plan) {
  parser::Interpreter interpreter(previous);
  std::vector<parser::Warning> warnings;
  const std::string sql = plan.sql();
  parser::parse_postgres("plan.sql", sql, [&](parser::Statement&& statement) { interpreter.apply(statement); },
                         warnings);
  return std::move(interpreter).release();
}

// previous + plan, replayed through the interpreter, must give desired.
void verify(const schema::Catalog& previous, const schema::Catalog& desired, const Plan& plan) {
  schema::Catalog result;
  try {
    result = replayed(previous, plan);
  } catch (const Error& error) {
    throw VerificationError("the plan does not replay", {error.render()});
  }
  order_columns_as(result, desired);
  auto differences = schema::differences(result, desired);
  if (!differences.empty())
    throw VerificationError("the plan does not reach the desired schema", std::move(differences));
}

// Each hint renames the last part of its path: undone in the opposite order,
// "a.b.old=new" becomes "a.b.new=old".
std::vector<std::pair<std::string, std::string>> reversed_renames(
    const std::vector<std::pair<std::string, std::string>>& renames) {
  std::vector<std::pair<std::string, std::string>> reversed;
  for (auto hint = renames.rbegin(); hint != renames.rend(); ++hint) {
    std::vector<std::string> path = parser::split_rename_path(hint->first);
    std::string old_name = std::exchange(path.back(), hint->second);
    reversed.emplace_back(parser::join_rename_path(path), std::move(old_name));
  }
  return reversed;
}

}  // namespace

void refuse_data_loss(const std::vector<Change>& changes) {
  std::vector<std::string> losses;
  for (const auto& change : changes)
    if (auto loss = data_loss(change)) losses.push_back(std::move(*loss));
  if (!losses.empty()) throw DestructiveChange(std::move(losses));
}

std::string column_path(const QualifiedName& table, const std::string& column) {
  return parser::join_rename_path({table.schema, table.name, column});
}

std::optional<std::string> backfill_of(const PlanOptions& options, const QualifiedName& table,
                                       const std::string& column) {
  const auto found = options.backfills.find(column_path(table, column));
  if (found == options.backfills.end()) return std::nullopt;
  return found->second;
}

bool needs_backfill(const schema::Column& column) {
  return column.not_null && !column.default_expr && !column.identity && !column.generated_expr;
}

std::string missing_backfill_note(const std::string& path) {
  return "existing rows need a value for " + path + ": this fails on a table that has rows until one is written here";
}

std::string Plan::sql() const {
  std::string out;
  for (const auto& statement : statements) out += statement.sql + ";\n";
  return out;
}

DestructiveChange::DestructiveChange(std::vector<std::string> losses)
    : Error(bulleted("refusing destructive changes (allow them to plan anyway); they would lose:", losses)),
      losses_(std::move(losses)) {}

MissingBackfill::MissingBackfill(std::vector<std::string> columns)
    : Error(bulleted("existing rows need a value for these new NOT NULL columns without a default; give one with "
                     "--backfill TABLE.COLUMN=EXPRESSION, or give the column a DEFAULT:",
                     columns)),
      columns_(std::move(columns)) {}

VerificationError::VerificationError(std::string what_was_checked, std::vector<std::string> differences)
    : Error(bulleted("internal error: " + what_was_checked + ":", differences)), differences_(std::move(differences)) {}

Plan plan_postgres(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options) {
  const std::vector<Change> changes = order(diff(previous, desired, options), desired);
  if (!options.allow_destructive) refuse_data_loss(changes);
  std::vector<std::string> missing;
  for (const auto& change : changes)
    if (const auto* add = std::get_if<AddColumn>(&change);
        add != nullptr && needs_backfill(add->column) && !backfill_of(options, add->table, add->column.name))
      missing.push_back(column_path(add->table, add->column.name));
  if (options.require_backfills && !missing.empty()) throw MissingBackfill(std::move(missing));

  Plan plan;
  for (const auto& change : changes) {
    std::vector<PlannedStatement> statements = render_postgres(change, options);
    if (const auto* add = std::get_if<AddColumn>(&change);
        add != nullptr && !statements.empty() &&
        std::find(missing.begin(), missing.end(), column_path(add->table, add->column.name)) != missing.end())
      statements.front().note = missing_backfill_note(column_path(add->table, add->column.name));
    for (auto& statement : statements) plan.statements.push_back(std::move(statement));
  }
  verify(previous, desired, plan);
  return plan;
}

Plan plan_schema_change(schema::Dialect dialect, const schema::Catalog& previous, const schema::Catalog& desired,
                        const PlanOptions& options) {
  switch (dialect) {
    case schema::Dialect::Postgres: return plan_postgres(previous, desired, options);
    case schema::Dialect::Sqlite: return plan_sqlite(previous, desired, options);
  }
  throw Error("unknown dialect");
}

std::vector<PlanStep> split_at_new_enum_value_uses(const schema::Catalog& previous, const schema::Catalog& desired,
                                                   const Plan& plan) {
  std::vector<Plan> cut(1);
  std::vector<std::string> uncommitted;  // literals of the values the current step adds
  for (const auto& statement : plan.statements) {
    const bool uses_uncommitted =
        !statement.added_enum_value && std::any_of(uncommitted.begin(), uncommitted.end(), [&](const auto& literal) {
          return statement.sql.find(literal) != std::string::npos;
        });
    if (uses_uncommitted) {
      cut.emplace_back();
      uncommitted.clear();
    }
    cut.back().statements.push_back(statement);
    if (statement.added_enum_value) uncommitted.push_back(schema::string_literal(*statement.added_enum_value));
  }
  std::vector<PlanStep> steps;
  steps.reserve(cut.size());  // `before` points into it
  const schema::Catalog* before = &previous;
  for (std::size_t i = 0; i < cut.size(); ++i) {
    cut[i].sqlite_foreign_keys_off = plan.sqlite_foreign_keys_off;
    schema::Catalog after = i + 1 == cut.size() ? desired : replayed(*before, cut[i]);
    steps.push_back({std::move(cut[i]), std::move(after)});
    before = &steps.back().after;
  }
  return steps;
}

Plan reverse_plan(schema::Dialect dialect, const schema::Catalog& previous, const schema::Catalog& desired,
                  const PlanOptions& options) {
  PlanOptions reverse = options;
  reverse.renames = reversed_renames(options.renames);
  // Going back, the up plan's values mean nothing, and a dropped NOT NULL
  // column comes back without one: its statement carries a note instead.
  reverse.backfills.clear();
  reverse.require_backfills = false;
  return plan_schema_change(dialect, desired, previous, reverse);
}

}  // namespace strata::planner
