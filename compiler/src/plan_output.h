// How a plan is shown: the SQL text of a migration or a diff, the short
// summary `plan` prints, and the documents of --format json. Shared by plan
// and diff so that both show a plan the same way.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "strata/parser/statements.h"
#include "strata/planner/plan.h"

namespace strata::compiler {

// Every statement followed by ";", for the reviewer after a comment naming
// each destructive change and another with the statement's note, if any.
// Adds a line to the note written above `statement`, before any it has.
void prepend_note(planner::PlannedStatement& statement, const std::string& line);

std::string plan_body(const planner::Plan& plan);

// True when some statement must run outside a transaction block.
bool runs_outside_a_transaction(const planner::Plan& plan);

// "TITLE: N statements, D destructive, T outside a transaction", then the
// changes grouped as created / altered / dropped, the destructive and the
// non-transactional ones flagged.
void print_plan_summary(const std::string& title, const planner::Plan& plan, std::ostream& out);

// {"statements": [{"sql", "change", "destructive", "transactional", "note"}...],
//  "directives": {"no_transaction", "sqlite_foreign_keys_off"}}
nlohmann::json plan_json(const planner::Plan& plan);

// [{"file", "line", "column", "message"}...]
nlohmann::json warnings_json(const std::vector<parser::Warning>& warnings);

}  // namespace strata::compiler
