// The planner's entry point: two catalogs in, the statements that turn the
// first into the second out (PostgreSQL or SQLite), checked offline before
// they are handed over.
#pragma once

#include <string>
#include <vector>

#include "strata/planner/plan_options.h"
#include "strata/planner/statement.h"
#include "strata/schema/catalog.h"
#include "strata/schema/dialect.h"
#include "strata/schema/error.h"

namespace strata::planner {

struct Plan {
  std::vector<PlannedStatement> statements;
  // SQLite: the plan drops or rebuilds a table, which must happen with foreign
  // key enforcement off (DROP TABLE would otherwise delete, or cascade into,
  // the rows of tables that reference it); the runtime turns it off around
  // the transaction and runs PRAGMA foreign_key_check before committing.
  bool sqlite_foreign_keys_off = false;

  bool empty() const { return statements.empty(); }
  // Every statement followed by ";\n".
  std::string sql() const;
};

// A plan would lose data and the options do not allow it; the message lists
// what would be lost.
class DestructiveChange : public Error {
 public:
  explicit DestructiveChange(std::vector<std::string> losses);
  const std::vector<std::string>& losses() const { return losses_; }

 private:
  std::vector<std::string> losses_;
};

// Replaying the plan through the interpreter did not give the desired
// catalog: a planner bug. The message names the differing objects.
class VerificationError : public Error {
 public:
  VerificationError(std::string what_was_checked, std::vector<std::string> differences);
  const std::vector<std::string>& differences() const { return differences_; }

 private:
  std::vector<std::string> differences_;
};

// Existing rows need a value for new NOT NULL columns that have no default;
// the message names each column and how to give one (PlanOptions::backfills).
class MissingBackfill : public Error {
 public:
  explicit MissingBackfill(std::vector<std::string> columns);
  const std::vector<std::string>& columns() const { return columns_; }

 private:
  std::vector<std::string> columns_;
};

// Diffs, orders and renders; refuses destructive changes unless allowed;
// replays `previous` plus the plan through the interpreter and throws
// VerificationError unless that gives `desired`.
Plan plan_postgres(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options);

// The same for SQLite: native ALTER TABLE where SQLite allows it, otherwise
// one 12-step rebuild per table; verified by replaying previous + plan in an
// in-memory SQLite database.
Plan plan_sqlite(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options);

Plan plan_schema_change(schema::Dialect dialect, const schema::Catalog& previous, const schema::Catalog& desired,
                        const PlanOptions& options);

// PostgreSQL refuses to use an enum value that ALTER TYPE ... ADD VALUE
// added until that transaction commits. A plan whose later statements use a
// value it adds is cut before the first
// such use, as often as needed; each step runs as a migration of its own.
// `after` is the schema once the step has run (the last one's is `desired`).
struct PlanStep {
  Plan plan;
  schema::Catalog after;
};
std::vector<PlanStep> split_at_new_enum_value_uses(const schema::Catalog& previous, const schema::Catalog& desired,
                                                   const Plan& plan);
// The indices of the statements where those steps begin (none when the plan
// is one step): each uses, as a string literal or an array literal's
// element, a value that an ALTER TYPE ... ADD VALUE of its step adds.
std::vector<std::size_t> new_enum_value_steps(const Plan& plan);

// The down plan: from `desired` back to `previous`, with the rename hints
// undone.
Plan reverse_plan(schema::Dialect dialect, const schema::Catalog& previous, const schema::Catalog& desired,
                  const PlanOptions& options);

}  // namespace strata::planner
