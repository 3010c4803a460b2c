#include "strata/planner/plan.h"

#include "plan_internal.h"

#include <algorithm>
#include <map>
#include <utility>

#include "strata/parser/interpreter.h"
#include "strata/parser/postgres_parser.h"
#include "strata/parser/rename_hints.h"
#include "strata/planner/diff.h"
#include "strata/planner/order.h"
#include "strata/planner/render_postgres.h"
#include "strata/schema/compare.h"
#include "strata/schema/names.h"
#include "strata/schema/printer.h"

namespace strata::planner {
namespace {

std::string bulleted(const std::string& heading, const std::vector<std::string>& items) {
  std::string text = heading;
  for (const auto& item : items) text += "\n  - " + item;
  return text;
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

std::string column_list(const schema::Table& table) {
  std::string list;
  for (const auto& column : table.columns)
    list += (list.empty() ? "" : ", ") + schema::quote_identifier(column.name);
  return list;
}

// A note on each table whose columns the plan leaves in another order than
// `desired`'s, on the last statement that adds a column to it (else the
// first of the plan; an empty plan changes nothing and says nothing).
// `last_add` is that statement's index per table.
void note_column_order(Plan& plan, const schema::Catalog& result, const schema::Catalog& desired,
                       const std::map<QualifiedName, std::size_t>& last_add) {
  if (plan.empty()) return;
  for (const auto& [name, table] : result.tables) {
    const auto wanted = desired.tables.find(name);
    if (wanted == desired.tables.end() || column_list(table) == column_list(wanted->second)) continue;
    const auto at = last_add.find(name);
    std::string& note = plan.statements.at(at == last_add.end() ? 0 : at->second).note;
    note += (note.empty() ? "" : "; ") + std::string("the columns of ") + schema::qualified_sql(name) +
            " end up in the order " + column_list(table) + ", not " + column_list(wanted->second) +
            ": PostgreSQL adds columns at the end, and strata does not rewrite a table to reorder them";
  }
}

// previous + plan, replayed through the interpreter, must give desired, up
// to the order of columns (schema::with_column_order_of), which the plan
// notes where it differs.
void verify_and_note_column_order(const schema::Catalog& previous, const schema::Catalog& desired, Plan& plan,
                                  const std::map<QualifiedName, std::size_t>& last_add) {
  schema::Catalog result;
  try {
    result = replayed(previous, plan);
  } catch (const Error& error) {
    throw VerificationError("the plan does not replay", {error.render()});
  }
  note_column_order(plan, result, desired, last_add);
  auto differences = schema::differences(schema::with_column_order_of(std::move(result), desired), desired);
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

// A partition of the previous catalog that is the DEFAULT of `partition`'s
// parent: the server checks its rows against a new partition's bounds.
std::optional<QualifiedName> default_partition_beside(const schema::Catalog& previous, const schema::Table& partition) {
  if (!partition.partition_bound || partition.inherits.empty()) return std::nullopt;
  for (const auto& [name, table] : previous.tables)
    if (table.partition_bound == "DEFAULT" && !table.inherits.empty() && table.inherits.front() == partition.inherits.front())
      return name;
  return std::nullopt;
}

// Above a bare SET NOT NULL: nothing fills the rows that hold NULL.
std::string null_rows_note(const std::string& path) {
  return "this fails if a row holds NULL in " + path + ": --backfill " + path +
         "=EXPRESSION fills them first";
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
  std::map<QualifiedName, std::size_t> last_add;  // per table, its last AddColumn's first statement
  for (const auto& change : changes) {
    std::vector<PlannedStatement> statements = render_postgres(change, options);
    const auto* add = std::get_if<AddColumn>(&change);
    if (add != nullptr && !statements.empty()) {
      last_add[add->table] = plan.statements.size();
      if (std::find(missing.begin(), missing.end(), column_path(add->table, add->column.name)) != missing.end())
        statements.front().note = missing_backfill_note(column_path(add->table, add->column.name));
    }
    if (const auto* create = std::get_if<CreateTable>(&change); create != nullptr && !statements.empty())
      if (const auto default_partition = default_partition_beside(previous, create->table))
        statements.front().note = "this fails if the default partition " + schema::qualified_sql(*default_partition) +
                                  " holds rows within the new bounds: move them out first";
    if (const auto* alter = std::get_if<AlterColumn>(&change);
        alter != nullptr && has(alter->changes, ColumnChange::Null) && alter->to.not_null &&
        !alter->to.default_expr && !backfill_of(options, alter->table, alter->to.name) && !statements.empty())
      statements.back().note = null_rows_note(column_path(alter->table, alter->to.name));
    for (auto& statement : statements) plan.statements.push_back(std::move(statement));
  }
  verify_and_note_column_order(previous, desired, plan, last_add);
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

namespace {

// Whether `sql` names enum value `value`: as a string literal ('x'), or as
// an element of an array literal ('{a,x}', '{"x y"}').
bool names_value(const std::string& sql, const std::string& value) {
  if (sql.find(schema::string_literal(value)) != std::string::npos) return true;
  for (const std::string& element : {value, "\"" + value + "\""})
    for (auto at = sql.find(element); at != std::string::npos; at = sql.find(element, at + 1)) {
      const char before = at == 0 ? ' ' : sql[at - 1];
      const char after = at + element.size() < sql.size() ? sql[at + element.size()] : ' ';
      if ((before == '{' || before == ',') && (after == '}' || after == ',')) return true;
    }
  return false;
}

}  // namespace

std::vector<std::size_t> new_enum_value_steps(const Plan& plan) {
  std::vector<std::size_t> starts;
  std::vector<std::string> uncommitted;  // the values the current step adds
  for (std::size_t i = 0; i < plan.statements.size(); ++i) {
    const PlannedStatement& statement = plan.statements[i];
    const bool uses_uncommitted =
        !statement.added_enum_value && std::any_of(uncommitted.begin(), uncommitted.end(), [&](const auto& value) {
          return names_value(statement.sql, value);
        });
    if (uses_uncommitted) {
      starts.push_back(i);
      uncommitted.clear();
    }
    if (statement.added_enum_value) uncommitted.push_back(*statement.added_enum_value);
  }
  return starts;
}

std::vector<PlanStep> split_at_new_enum_value_uses(const schema::Catalog& previous, const schema::Catalog& desired,
                                                   const Plan& plan) {
  std::vector<Plan> cut(1);
  const std::vector<std::size_t> starts = new_enum_value_steps(plan);
  for (std::size_t i = 0, next = 0; i < plan.statements.size(); ++i) {
    if (next < starts.size() && starts[next] == i) {
      cut.emplace_back();
      ++next;
    }
    cut.back().statements.push_back(plan.statements[i]);
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
