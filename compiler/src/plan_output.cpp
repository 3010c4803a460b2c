#include "plan_output.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace strata::compiler {
namespace {

// One change of a plan, however many statements carry it out.
struct SummaryItem {
  std::string text;
  bool destructive = false;
  bool outside_transaction = false;
};

struct SummaryGroup {
  std::string_view name;
  std::vector<SummaryItem> items;
  std::unordered_map<std::string, std::size_t> index;  // text -> its item

  SummaryItem& item(std::string text) {
    const auto [found, added] = index.try_emplace(text, items.size());
    if (added) items.push_back(SummaryItem{std::move(text), false, false});
    return items[found->second];
  }
};

// A group lists this many objects, then how many more; destructive ones are
// always listed.
constexpr std::size_t kListedPerGroup = 20;

}  // namespace

void prepend_note(planner::PlannedStatement& statement, const std::string& line) {
  statement.note = line + (statement.note.empty() ? "" : "\n-- " + statement.note);
}

std::string plan_body(const planner::Plan& plan) {
  std::string body;
  const std::string* previous_change = nullptr;
  for (const auto& statement : plan.statements) {
    // Once for the statements of one change (a SQLite rebuild has several).
    if (statement.destructive && (previous_change == nullptr || *previous_change != statement.change))
      body += "-- destructive: " + statement.change + "\n";
    if (!statement.note.empty()) body += "-- " + statement.note + "\n";
    body += statement.sql + ";\n";
    previous_change = &statement.change;
  }
  return body;
}

bool runs_outside_a_transaction(const planner::Plan& plan) {
  return std::any_of(plan.statements.begin(), plan.statements.end(),
                     [](const planner::PlannedStatement& statement) { return !statement.transactional; });
}

void print_plan_summary(const std::string& title, const planner::Plan& plan, std::ostream& out) {
  std::array<SummaryGroup, 3> groups{SummaryGroup{"created", {}}, SummaryGroup{"altered", {}},
                                     SummaryGroup{"dropped", {}}};
  auto& created = groups[0];
  auto& altered = groups[1];
  auto& dropped = groups[2];
  std::size_t destructive = 0;
  std::size_t outside_transaction = 0;
  for (const auto& statement : plan.statements) {
    destructive += statement.destructive ? 1 : 0;
    outside_transaction += statement.transactional ? 0 : 1;
    // Change descriptions start with a verb ("create table public.t", "drop
    // column public.t.c"); created and dropped objects are listed without it.
    const std::string_view change = statement.change;
    const std::string_view verb = change.substr(0, change.find(' '));
    auto& group = verb == "create" ? created : verb == "drop" ? dropped : altered;
    SummaryItem& item =
        group.item(std::string(&group == &altered ? change : change.substr(std::min(change.size(), verb.size() + 1))));
    item.destructive = item.destructive || statement.destructive;
    item.outside_transaction = item.outside_transaction || !statement.transactional;
  }

  const std::size_t count = plan.statements.size();
  out << title << ": " << count << " statement" << (count == 1 ? "" : "s");
  if (destructive > 0) out << ", " << destructive << " destructive";
  if (outside_transaction > 0) out << ", " << outside_transaction << " outside a transaction";
  out << "\n";
  for (const auto& group : groups) {
    if (group.items.empty()) continue;
    out << "  " << group.name << ": ";
    std::size_t listed = 0;
    for (const auto& item : group.items) {
      if (listed >= kListedPerGroup && !item.destructive) continue;
      out << (listed++ == 0 ? "" : ", ") << item.text;
      if (item.destructive) out << " (destructive)";
      if (item.outside_transaction) out << " (outside a transaction)";
    }
    if (listed < group.items.size()) out << " and " << group.items.size() - listed << " more";
    out << "\n";
  }
}

nlohmann::json plan_json(const planner::Plan& plan) {
  nlohmann::json statements = nlohmann::json::array();
  for (const auto& statement : plan.statements)
    statements.push_back({{"sql", statement.sql},
                          {"change", statement.change},
                          {"destructive", statement.destructive},
                          {"transactional", statement.transactional},
                          {"note", statement.note}});
  return {{"statements", statements},
          {"directives",
           {{"no_transaction", runs_outside_a_transaction(plan)},
            {"sqlite_foreign_keys_off", plan.sqlite_foreign_keys_off}}}};
}

nlohmann::json warnings_json(const std::vector<parser::Warning>& warnings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& warning : warnings)
    list.push_back({{"file", warning.location.file},
                    {"line", warning.location.line},
                    {"column", warning.location.column},
                    {"message", warning.message}});
  return list;
}

}  // namespace strata::compiler
