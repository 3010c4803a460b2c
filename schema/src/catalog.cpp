#include "strata/schema/catalog.h"

#include <algorithm>
#include <utility>

#include "strata/schema/types.h"

namespace strata::schema {

const Column* Table::find_column(const std::string& column) const {
  const auto found = std::find_if(columns.begin(), columns.end(),
                                  [&](const Column& c) { return c.name == column; });
  return found == columns.end() ? nullptr : &*found;
}

Column* Table::find_column(const std::string& column) {
  return const_cast<Column*>(std::as_const(*this).find_column(column));
}

const Constraint* Table::find_constraint(const std::string& constraint) const {
  const auto found = std::find_if(constraints.begin(), constraints.end(),
                                  [&](const Constraint& c) { return c.name == constraint; });
  return found == constraints.end() ? nullptr : &*found;
}

std::string Function::signature() const {
  std::string text = name.schema + "." + name.name + "(";
  bool first = true;
  for (const auto& arg : args) {
    if (arg.mode == ArgMode::Out || arg.mode == ArgMode::Table) continue;
    if (!first) text += ", ";
    text += type_sql(arg.type);
    first = false;
  }
  return text + ")";
}

Catalog Catalog::postgres_default() {
  Catalog catalog;
  catalog.schemas["public"] = Schema{"public", "standard public schema"};
  return catalog;
}

bool Catalog::has_relation(const QualifiedName& name) const {
  return tables.contains(name) || views.contains(name) || sequences.contains(name) ||
         indexes.contains(name);
}

bool Catalog::has_type(const QualifiedName& name) const {
  return enums.contains(name) || domains.contains(name) || composite_types.contains(name) ||
         tables.contains(name) || views.contains(name) || sequences.contains(name);
}

}  // namespace strata::schema
