// The planner's entry point: two catalogs in, the PostgreSQL statements that
// turn the first into the second out, checked offline before they are handed
// over.
#pragma once

#include <string>
#include <vector>

#include "strata/planner/plan_options.h"
#include "strata/planner/render_postgres.h"
#include "strata/schema/catalog.h"
#include "strata/schema/error.h"

namespace strata::planner {

struct Plan {
  std::vector<PlannedStatement> statements;

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

// Diffs, orders and renders; refuses destructive changes unless allowed;
// replays `previous` plus the plan through the interpreter and throws
// VerificationError unless that gives `desired`.
Plan plan_postgres(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options);

// The down plan: from `desired` back to `previous`, with the rename hints
// undone.
Plan reverse_plan(const schema::Catalog& previous, const schema::Catalog& desired, const PlanOptions& options);

}  // namespace strata::planner
