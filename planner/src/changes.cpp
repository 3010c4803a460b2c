#include "strata/planner/changes.h"

#include "plan_internal.h"

#include <algorithm>
#include <array>

#include "strata/schema/names.h"
#include "strata/schema/printer.h"
#include "strata/schema/types.h"

namespace strata::planner {
namespace {

using schema::qualified_sql;

std::string column_name(const QualifiedName& table, const std::string& column) {
  return qualified_sql(table) + "." + schema::quote_identifier(column);
}

std::string member_name(const std::string& member, const QualifiedName& table) {
  return member + " on " + qualified_sql(table);
}

struct Describe {
  std::string operator()(const RenameObject& c) const {
    const std::string object = qualified_sql(c.object) + (c.member.empty() ? "" : "." + c.member);
    return "rename " + object + " to " + c.new_name;
  }
  std::string operator()(const CreateSchema& c) const { return "create schema " + c.schema.name; }
  std::string operator()(const DropSchema& c) const { return "drop schema " + c.schema.name; }
  std::string operator()(const CreateExtension& c) const { return "create extension " + c.extension.name; }
  std::string operator()(const DropExtension& c) const { return "drop extension " + c.extension.name; }
  std::string operator()(const UpdateExtension& c) const {
    return "update extension " + c.name + " from version " + c.from_version + " to " + c.to_version;
  }
  std::string operator()(const CreateEnum& c) const { return "create enum " + qualified_sql(c.type.name); }
  std::string operator()(const DropEnum& c) const { return "drop enum " + qualified_sql(c.type.name); }
  std::string operator()(const AddEnumValue& c) const {
    return "add value '" + c.value + "' to enum " + qualified_sql(c.type);
  }
  std::string operator()(const SwapEnum& c) const { return "replace the values of enum " + qualified_sql(c.to.name); }
  std::string operator()(const CreateDomain& c) const { return "create domain " + qualified_sql(c.domain.name); }
  std::string operator()(const DropDomain& c) const { return "drop domain " + qualified_sql(c.domain.name); }
  std::string operator()(const AlterDomain& c) const { return "alter domain " + qualified_sql(c.to.name); }
  std::string operator()(const CreateCompositeType& c) const { return "create type " + qualified_sql(c.type.name); }
  std::string operator()(const DropCompositeType& c) const { return "drop type " + qualified_sql(c.type.name); }
  std::string operator()(const CreateSequence& c) const {
    return "create sequence " + qualified_sql(c.sequence.name);
  }
  std::string operator()(const DropSequence& c) const { return "drop sequence " + qualified_sql(c.sequence.name); }
  std::string operator()(const AlterSequence& c) const { return "alter sequence " + qualified_sql(c.name); }
  std::string operator()(const SetSequenceOwner& c) const {
    return "set the owner of sequence " + qualified_sql(c.sequence);
  }
  std::string operator()(const CreateTable& c) const { return "create table " + qualified_sql(c.table.name); }
  std::string operator()(const DropTable& c) const { return "drop table " + qualified_sql(c.table.name); }
  std::string operator()(const SetTableLogged& c) const {
    return std::string(c.logged ? "set logged " : "set unlogged ") + qualified_sql(c.table);
  }
  std::string operator()(const SetTableRowSecurity& c) const {
    return "set row level security of table " + qualified_sql(c.table);
  }
  std::string operator()(const AddColumn& c) const { return "add column " + column_name(c.table, c.column.name); }
  std::string operator()(const DropColumn& c) const { return "drop column " + column_name(c.table, c.column.name); }
  std::string operator()(const AlterColumn& c) const { return "alter column " + column_name(c.table, c.to.name); }
  std::string operator()(const RebuildTable& c) const {
    std::string reasons;
    for (const auto& reason : c.reasons) reasons += (reasons.empty() ? "" : ", ") + reason;
    return "rebuild table " + qualified_sql(c.to.name) + (reasons.empty() ? "" : " (" + reasons + ")");
  }
  std::string operator()(const AddConstraint& c) const {
    return "add constraint " + member_name(c.constraint.name, c.table);
  }
  std::string operator()(const DropConstraint& c) const {
    return "drop constraint " + member_name(c.constraint.name, c.table);
  }
  std::string operator()(const ValidateConstraint& c) const {
    return "validate constraint " + member_name(c.constraint, c.table);
  }
  std::string operator()(const CreateIndex& c) const { return "create index " + qualified_sql(c.index.name); }
  std::string operator()(const DropIndex& c) const { return "drop index " + qualified_sql(c.index.name); }
  std::string operator()(const CreateView& c) const { return "create view " + qualified_sql(c.view.name); }
  std::string operator()(const DropView& c) const { return "drop view " + qualified_sql(c.view.name); }
  std::string operator()(const CreateFunction& c) const {
    return (c.or_replace ? "replace routine " : "create routine ") + c.function.signature();
  }
  std::string operator()(const DropFunction& c) const { return "drop routine " + c.function.signature(); }
  std::string operator()(const CreateTrigger& c) const {
    return "create trigger " + member_name(c.trigger.name, c.trigger.table);
  }
  std::string operator()(const DropTrigger& c) const {
    return "drop trigger " + member_name(c.trigger.name, c.trigger.table);
  }
  std::string operator()(const CreatePolicy& c) const {
    return "create policy " + member_name(c.policy.name, c.policy.table);
  }
  std::string operator()(const DropPolicy& c) const {
    return "drop policy " + member_name(c.policy.name, c.policy.table);
  }
  std::string operator()(const AlterPolicy& c) const {
    return "alter policy " + member_name(c.to.name, c.to.table);
  }
  std::string operator()(const SetComment& c) const {
    const std::string object = c.member.empty() ? qualified_sql(c.object) + c.arguments : member_name(c.member, c.object);
    return "set the comment of " + (c.object.schema.empty() ? c.object.name : object);
  }
};

// Modifiers that allow at least as much: character varying(20) -> (30),
// numeric(10,2) -> (12,2), or no limit at all.
bool wider_modifiers(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  if (to.empty()) return true;
  if (from.size() != to.size()) return false;
  for (std::size_t i = 0; i < from.size(); ++i) {
    if (from[i].find_first_not_of("0123456789") != std::string::npos ||
        to[i].find_first_not_of("0123456789") != std::string::npos)
      return from[i] == to[i];
    if (std::stoll(to[i]) < std::stoll(from[i])) return false;
  }
  return true;
}

// True when every value of `from` converts to `to` without loss.
bool widens(const schema::TypeRef& from, const schema::TypeRef& to) {
  if (from.array_dims != to.array_dims) return false;
  if (to.is_builtin() && to.modifiers.empty() && (to.name == "text" || to.name == "character varying")) return true;
  if (from.schema == to.schema && from.name == to.name) return wider_modifiers(from.modifiers, to.modifiers);
  if (!from.is_builtin() || !to.is_builtin() || !to.modifiers.empty()) return false;
  const auto from_width = integer_width(from.name);
  const auto to_width = integer_width(to.name);
  if (from_width >= 0 && to_width >= 0) return from_width <= to_width;
  return to.name == "double precision" && (from.name == "real" || from_width == 0 || from_width == 1);
}

// SQLite's type affinity rules (the first that matches): INT -> INTEGER;
// CHAR, CLOB or TEXT -> TEXT; BLOB or no type -> BLOB (values kept as they
// are); REAL, FLOA or DOUB -> REAL; anything else -> NUMERIC. A STRICT
// table's ANY column keeps values as they are too. The SQLite front end
// stores declared types upper-cased (sqlite_catalog.h).
enum class Affinity : std::uint8_t { Integer, Text, Blob, Real, Numeric };

Affinity affinity(const schema::TypeRef& type, bool strict) {
  const std::string& name = type.name;
  const auto contains = [&](std::string_view part) { return name.find(part) != std::string::npos; };
  if (contains("INT")) return Affinity::Integer;
  if (contains("CHAR") || contains("CLOB") || contains("TEXT")) return Affinity::Text;
  if (contains("BLOB") || name.empty() || (strict && name == "ANY")) return Affinity::Blob;
  if (contains("REAL") || contains("FLOA") || contains("DOUB")) return Affinity::Real;
  return Affinity::Numeric;
}

// What a rebuild's copy changes in the values of a column whose affinity
// changes, or nothing when every value comes through as it was.
// (A BLOB-affinity column holds values of any kind.)
std::optional<std::string> affinity_loss(Affinity from, Affinity to) {
  const bool numeric_to = to == Affinity::Integer || to == Affinity::Real || to == Affinity::Numeric;
  if ((from == Affinity::Text || from == Affinity::Blob) && numeric_to)
    return "text that reads as a number becomes one ('007' becomes 7)";
  if (from != Affinity::Text && to == Affinity::Text) return "numbers become text (a REAL keeps 15 significant digits)";
  if (to == Affinity::Real && (from == Affinity::Integer || from == Affinity::Numeric))
    return "integers beyond 2^53 are rounded";
  return std::nullopt;
}

struct DataLoss {
  using Loss = std::optional<std::string>;

  Loss operator()(const DropTable& c) const { return "table " + qualified_sql(c.table.name) + " and its rows"; }
  Loss operator()(const DropColumn& c) const {
    std::string loss = "column " + column_name(c.table, c.column.name) + " and its values";
    for (std::size_t i = 0; i < c.inherited_by.size(); ++i)
      loss += (i == 0 ? " (also in " : ", ") + qualified_sql(c.inherited_by[i]) + (i + 1 == c.inherited_by.size() ? ")" : "");
    return loss;
  }
  Loss operator()(const DropEnum& c) const { return "enum " + qualified_sql(c.type.name); }
  Loss operator()(const DropDomain& c) const { return "domain " + qualified_sql(c.domain.name); }
  Loss operator()(const DropCompositeType& c) const {
    if (!c.stored) return std::nullopt;
    return "type " + qualified_sql(c.type.name);
  }
  Loss operator()(const SwapEnum& c) const {
    std::string removed;
    for (const auto& value : c.from.values)
      if (std::find(c.to.values.begin(), c.to.values.end(), value) == c.to.values.end())
        removed += (removed.empty() ? "" : ", ") + schema::string_literal(value);
    if (removed.empty()) return std::nullopt;
    return "values " + removed + " of enum " + qualified_sql(c.to.name) + " (rows holding them fail the conversion)";
  }
  Loss operator()(const AlterColumn& c) const {
    if (!has(c.changes, ColumnChange::Type) || widens(c.from.type, c.to.type)) return std::nullopt;
    return "values of column " + column_name(c.table, c.to.name) + " that do not fit when " +
           schema::type_sql(c.from.type) + " narrows to " + schema::type_sql(c.to.type);
  }
  // Columns the new table leaves out or computes from now on, and values
  // that a new type affinity changes.
  Loss operator()(const RebuildTable& c) const {
    std::string lost;
    const auto add = [&](const std::string& loss) { lost += (lost.empty() ? "" : "; ") + loss; };
    for (const auto& column : c.from.columns)
      if (c.to.find_column(column.name) == nullptr) add("column " + column_name(c.to.name, column.name) + " and its values");
    for (const auto& column : c.to.columns) {
      const schema::Column* old = c.from.find_column(column.name);
      if (old == nullptr) continue;
      const std::string name = column_name(c.to.name, column.name);
      if (column.generated_expr && !old->generated_expr) add("the values of column " + name + ", which becomes generated");
      const auto change = affinity_loss(affinity(old->type, c.from.strict), affinity(column.type, c.to.strict));
      if (change && !column.generated_expr)
        add("values of column " + name + ": " + *change + " (" + declared_type(*old, c.from.strict) + " becomes " +
            declared_type(column, c.to.strict) + ")");
    }
    if (lost.empty()) return std::nullopt;
    return lost;
  }

  static std::string declared_type(const schema::Column& column, bool strict) {
    if (column.type.name.empty()) return "no type";
    return column.type.name + (strict && column.type.name == "ANY" ? " in a STRICT table" : "");
  }
  // Every other change creates, alters or drops something that holds no rows.
  template <typename Other>
  Loss operator()(const Other&) const {
    return std::nullopt;
  }
};

}  // namespace

std::string describe(const Change& change) { return std::visit(Describe{}, change); }

std::optional<std::string> data_loss(const Change& change) { return std::visit(DataLoss{}, change); }

// Integer types, each holding every value of the ones before it.
constexpr std::array<std::string_view, 4> kIntegerWidths{"smallint", "integer", "bigint", "numeric"};

std::ptrdiff_t integer_width(const std::string& name) {
  const auto found = std::find(kIntegerWidths.begin(), kIntegerWidths.end(), name);
  return found == kIntegerWidths.end() ? -1 : found - kIntegerWidths.begin();
}

}  // namespace strata::planner
