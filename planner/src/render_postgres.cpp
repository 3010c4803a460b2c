#include "strata/planner/render_postgres.h"

#include "plan_internal.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "strata/parser/postgres_parser.h"
#include "strata/schema/error.h"
#include "strata/schema/names.h"
#include "strata/schema/printer.h"
#include "strata/schema/types.h"

namespace strata::planner {
namespace {

using schema::qualified_sql;
using schema::quote_identifier;
using schema::string_literal;
using schema::type_sql;

using Statements = std::vector<std::string>;

std::string alter_table(const QualifiedName& table) { return "ALTER TABLE " + qualified_sql(table) + " "; }

std::string alter_column(const QualifiedName& table, const std::string& column) {
  return alter_table(table) + "ALTER COLUMN " + quote_identifier(column) + " ";
}

// ONLY: the table's own column; a statement on a parent's would reach its
// descendants' too.
std::string alter_own_column(const QualifiedName& table, const std::string& column) {
  return "ALTER TABLE ONLY " + qualified_sql(table) + " ALTER COLUMN " + quote_identifier(column) + " ";
}

std::string on_table(const std::string& name, const QualifiedName& table) {
  return quote_identifier(name) + " ON " + qualified_sql(table);
}

// The SET clauses of ALTER COLUMN ... for every identity option that changes.
Statements identity_option_changes(const schema::SequenceOptions& from, const schema::SequenceOptions& to) {
  Statements settings;
  auto set = [&](const std::optional<std::int64_t>& a, const std::optional<std::int64_t>& b, const char* option) {
    if (a != b && b) settings.push_back(std::string("SET ") + option + " " + std::to_string(*b));
  };
  set(from.increment, to.increment, "INCREMENT BY");
  set(from.min_value, to.min_value, "MINVALUE");
  set(from.max_value, to.max_value, "MAXVALUE");
  set(from.start, to.start, "START WITH");
  set(from.cache, to.cache, "CACHE");
  if (from.cycle != to.cycle) settings.push_back(to.cycle ? "SET CYCLE" : "SET NO CYCLE");
  return settings;
}

// `column::to`; through text when a user type is involved, since PostgreSQL
// has no cast from one enum to another.
std::string cast_sql(const std::string& column, const schema::TypeRef& from, const schema::TypeRef& to) {
  std::string sql = quote_identifier(column) + "::";
  if (!from.is_builtin() || !to.is_builtin()) sql += type_sql({"", "text", {}, from.array_dims}) + "::";
  return sql + type_sql(to);
}

std::string identity_kind_sql(schema::IdentityKind kind) {
  return kind == schema::IdentityKind::Always ? "ALWAYS" : "BY DEFAULT";
}

// The session setting that carries where a column's replaced counter (a
// serial's sequence, an identity) had counted to, from before it is dropped
// to the counter that replaces it: a session's, so that a migration run
// outside a transaction keeps it, cleared once read. Its name is a hash of
// the column's (FNV-1a), one per column.
std::string counter_setting(const QualifiedName& table, const std::string& column) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : qualified_sql(table) + "." + quote_identifier(column)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string key = "strata.next_";
  for (int shift = 60; shift >= 0; shift -= 4) key += kHex[(hash >> shift) & 0xF];
  return string_literal(key);
}

// Notes in counter_setting() the next value of the sequence behind the
// column (its serial's or its identity's), or '' when there is none.
std::string note_counter(const QualifiedName& table, const std::string& column) {
  return "SELECT set_config(" + counter_setting(table, column) +
         ", coalesce((SELECT coalesce(last_value + increment_by, start_value)::text FROM pg_sequences"
         " WHERE format('%I.%I', schemaname, sequencename) = pg_get_serial_sequence(" +
         string_literal(qualified_sql(table)) + ", " + string_literal(column) + ")), ''), false)";
}

std::string clear_counter_note(const QualifiedName& table, const std::string& column) {
  return "SELECT set_config(" + counter_setting(table, column) + ", '', false)";
}

// The value a counter on `column` continues from: past the values the rows
// hold in the direction it counts, not before its start, and past where the
// counter it replaces had counted to (noted by note_counter(), if it was).
std::string next_after_rows(const QualifiedName& table, const std::string& column,
                            const schema::SequenceOptions& counter) {
  const bool ascending = counter.increment.value_or(1) > 0;
  const std::string first = std::to_string(counter.start.value_or(ascending ? 1 : -1));
  const std::string past = ascending ? "max(" + quote_identifier(column) + ") + 1" : "min(" + quote_identifier(column) + ") - 1";
  const std::string noted =
      "coalesce(nullif(current_setting(" + counter_setting(table, column) + ", true), '')::bigint, " + first + ")";
  return std::string("(SELECT ") + (ascending ? "greatest" : "least") + "(coalesce(" + past + ", " + first + "), " +
         first + ", " + noted + ") FROM " + qualified_sql(table) + ")";
}

std::string validate_sql(const QualifiedName& table, const std::string& constraint) {
  return alter_table(table) + "VALIDATE CONSTRAINT " + quote_identifier(constraint);
}

// One function per kind of change; each gives the statements that make it.
class Render {
 public:
  explicit Render(const PlanOptions& options) : options_(options) {}

  Statements operator()(const RenameObject& c) const {
    const std::string to = quote_identifier(c.new_name);
    switch (c.kind) {
      case RenameKind::Table: return {alter_table(c.object) + "RENAME TO " + to};
      case RenameKind::Column: return {alter_table(c.object) + "RENAME COLUMN " + quote_identifier(c.member) + " TO " + to};
      case RenameKind::Index: return {"ALTER INDEX " + qualified_sql(c.object) + " RENAME TO " + to};
      case RenameKind::Enum: return {"ALTER TYPE " + qualified_sql(c.object) + " RENAME TO " + to};
      case RenameKind::Sequence: return {"ALTER SEQUENCE " + qualified_sql(c.object) + " RENAME TO " + to};
      case RenameKind::IdentitySequence: {
        // Unless the name is taken (by the sequence itself, say, renamed back).
        const std::string wanted = string_literal(qualified_sql({c.object.schema, c.new_name}));
        return {"DO $strata$ BEGIN IF to_regclass(" + wanted + ") IS NULL THEN EXECUTE format(" +
                string_literal("ALTER SEQUENCE %s RENAME TO %I") + ", pg_get_serial_sequence(" +
                string_literal(qualified_sql(c.object)) + ", " + string_literal(c.member) + "), " +
                string_literal(c.new_name) + "); END IF; END $strata$"};
      }
      case RenameKind::Constraint:
        return {alter_table(c.object) + "RENAME CONSTRAINT " + quote_identifier(c.member) + " TO " + to};
      case RenameKind::EnumValue:
        return {"ALTER TYPE " + qualified_sql(c.object) + " RENAME VALUE " + string_literal(c.member) + " TO " +
                string_literal(c.new_name)};
    }
    return {};
  }
  Statements operator()(const CreateSchema& c) const { return {schema::create_schema_sql(c.schema)}; }
  Statements operator()(const DropSchema& c) const { return {"DROP SCHEMA " + quote_identifier(c.schema.name)}; }
  Statements operator()(const CreateExtension& c) const { return {schema::create_extension_sql(c.extension)}; }
  Statements operator()(const DropExtension& c) const {
    return {"DROP EXTENSION " + quote_identifier(c.extension.name)};
  }
  Statements operator()(const UpdateExtension& c) const {
    return {"ALTER EXTENSION " + quote_identifier(c.name) + " UPDATE TO " + string_literal(c.to_version)};
  }
  Statements operator()(const CreateEnum& c) const { return {schema::create_enum_sql(c.type)}; }
  Statements operator()(const DropEnum& c) const { return {"DROP TYPE " + qualified_sql(c.type.name)}; }

  Statements operator()(const AddEnumValue& c) const {
    std::string sql = "ALTER TYPE " + qualified_sql(c.type) + " ADD VALUE " + string_literal(c.value);
    if (c.neighbour) sql += (c.after ? " AFTER " : " BEFORE ") + string_literal(*c.neighbour);
    return {sql};
  }

  // Each converted column goes through text: '(old value)'::text::new_type.
  // A domain's twin gets the desired default, NOT NULL and checks once it has
  // the domain's name, so that their expressions name the final types; but
  // the server refuses ALTER DOMAIN ... ADD CONSTRAINT and SET NOT NULL while
  // a column holds an array of the domain, so such a twin is created with
  // them. Columns get their defaults back last.
  Statements operator()(const SwapEnum& c) const {
    schema::Enum replacement = c.to;
    replacement.name.name = c.temporary_name;
    Statements out{schema::create_enum_sql(replacement)};
    const auto constrained_at_creation = [](const EnumDomain& domain) {
      return std::any_of(domain.columns.begin(), domain.columns.end(),
                         [](const EnumColumn& column) { return column.array_dims > 0; });
    };
    for (const auto& domain : c.domains) {
      schema::Domain twin{{domain.domain.name.schema, domain.twin_name},
                          {replacement.name.schema, replacement.name.name, {}, domain.domain.base_type.array_dims}};
      if (constrained_at_creation(domain)) {
        twin.not_null = domain.domain.not_null;
        twin.checks = domain.domain.checks;
        // Its values are of the new enum, which still has the temporary name.
        for (auto& check : twin.checks)
          check.expression = parser::rename_type_in_expression(check.expression, c.to.name, replacement.name.name);
      }
      out.push_back(schema::create_domain_sql(twin));
    }
    // Each table's own default: its children have theirs.
    const auto drop_defaults = [&](const std::vector<EnumColumn>& columns) {
      for (const auto& column : columns)
        if (column.had_default) out.push_back(alter_own_column(column.table, column.column) + "DROP DEFAULT");
    };
    drop_defaults(c.columns);
    for (const auto& domain : c.domains) drop_defaults(domain.columns);
    for (const auto& column : c.columns) {
      if (column.converted_with_parent) continue;
      const schema::TypeRef old_type{c.from.name.schema, c.from.name.name, {}, column.array_dims};
      const schema::TypeRef new_type{replacement.name.schema, replacement.name.name, {}, column.array_dims};
      out.push_back(alter_column(column.table, column.column) + "TYPE " + type_sql(new_type) + " USING " +
                    cast_sql(column.column, old_type, new_type));
    }
    for (const auto& domain : c.domains) {
      const QualifiedName& name = domain.domain.name;
      for (const auto& column : domain.columns) {
        if (column.converted_with_parent) continue;
        // text, the new enum, then the twin: a domain takes no cast from text of its own.
        const int dims = column.array_dims + domain.domain.base_type.array_dims;
        const schema::TypeRef old_type{name.schema, name.name, {}, column.array_dims};
        const schema::TypeRef new_enum{replacement.name.schema, replacement.name.name, {}, dims};
        const schema::TypeRef twin{name.schema, domain.twin_name, {}, column.array_dims};
        out.push_back(alter_column(column.table, column.column) + "TYPE " + type_sql(twin) + " USING " +
                      cast_sql(column.column, old_type, new_enum) + "::" + type_sql(twin));
      }
      out.push_back("DROP DOMAIN " + qualified_sql(name));
    }
    out.push_back("DROP TYPE " + qualified_sql(c.from.name));
    out.push_back("ALTER TYPE " + qualified_sql(replacement.name) + " RENAME TO " + quote_identifier(c.to.name.name));
    for (const auto& domain : c.domains) {
      const schema::Domain& wanted = domain.domain;
      const std::string prefix = "ALTER DOMAIN " + qualified_sql(wanted.name) + " ";
      out.push_back("ALTER DOMAIN " + qualified_sql({wanted.name.schema, domain.twin_name}) +
                    " RENAME TO " + quote_identifier(wanted.name.name));
      if (wanted.default_expr) out.push_back(prefix + "SET DEFAULT " + *wanted.default_expr);
      if (constrained_at_creation(domain)) continue;
      if (wanted.not_null) out.push_back(prefix + "SET NOT NULL");
      for (const auto& check : wanted.checks)
        out.push_back(prefix + "ADD CONSTRAINT " + quote_identifier(check.name) + " CHECK (" + check.expression + ")");
    }
    const auto restore_defaults = [&](const std::vector<EnumColumn>& columns) {
      for (const auto& column : columns)
        if (column.restored_default)
          out.push_back(alter_own_column(column.table, column.column) + "SET DEFAULT " + *column.restored_default);
    };
    restore_defaults(c.columns);
    for (const auto& domain : c.domains) restore_defaults(domain.columns);
    return out;
  }

  Statements operator()(const CreateDomain& c) const { return {schema::create_domain_sql(c.domain)}; }
  Statements operator()(const DropDomain& c) const { return {"DROP DOMAIN " + qualified_sql(c.domain.name)}; }
  // Checks that go or change first, so that a renamed expression can reuse its name.
  Statements operator()(const AlterDomain& c) const {
    const std::string prefix = "ALTER DOMAIN " + qualified_sql(c.to.name) + " ";
    const auto has_check = [](const schema::Domain& domain, const schema::DomainCheck& check) {
      return std::find(domain.checks.begin(), domain.checks.end(), check) != domain.checks.end();
    };
    Statements out;
    for (const auto& check : c.from.checks)
      if (!has_check(c.to, check)) out.push_back(prefix + "DROP CONSTRAINT " + quote_identifier(check.name));
    if (c.from.default_expr != c.to.default_expr)
      out.push_back(prefix + (c.to.default_expr ? "SET DEFAULT " + *c.to.default_expr : std::string("DROP DEFAULT")));
    if (c.from.not_null != c.to.not_null) out.push_back(prefix + (c.to.not_null ? "SET NOT NULL" : "DROP NOT NULL"));
    for (const auto& check : c.to.checks)
      if (!has_check(c.from, check))
        out.push_back(prefix + "ADD CONSTRAINT " + quote_identifier(check.name) + " CHECK (" + check.expression + ")");
    return out;
  }
  Statements operator()(const CreateCompositeType& c) const { return {schema::create_composite_sql(c.type)}; }
  Statements operator()(const DropCompositeType& c) const { return {"DROP TYPE " + qualified_sql(c.type.name)}; }

  Statements operator()(const CreateSequence& c) const { return {schema::create_sequence_sql(c.sequence)}; }
  Statements operator()(const DropSequence& c) const {
    return {"DROP SEQUENCE " + qualified_sql(c.sequence.name)};
  }
  Statements operator()(const AlterSequence& c) const {
    return {"ALTER SEQUENCE " + qualified_sql(c.name) + " " + schema::sequence_options_sql(c.options)};
  }
  Statements operator()(const SetSequenceOwner& c) const {
    Statements out{"ALTER SEQUENCE " + qualified_sql(c.sequence) + " OWNED BY " +
                   (c.owner ? qualified_sql(c.owner->table) + "." + quote_identifier(c.owner->column) : "NONE")};
    if (c.owner && c.continue_after_rows) {
      out.push_back("SELECT setval(" + string_literal(qualified_sql(c.sequence)) + ", " +
                    next_after_rows(c.owner->table, c.owner->column, *c.continue_after_rows) + ", false)");
      out.push_back(clear_counter_note(c.owner->table, c.owner->column));
    }
    return out;
  }

  Statements operator()(const CreateTable& c) const {
    // A partition's constraints are its own ones already (diff leaves out
    // those it inherits), so no catalog is needed to tell them apart.
    if (c.table.partition_bound) return {schema::create_partition_sql(c.table, schema::Catalog{})};
    return {schema::create_table_sql(c.table)};
  }
  Statements operator()(const DropTable& c) const { return {"DROP TABLE " + qualified_sql(c.table.name)}; }
  Statements operator()(const SetTableLogged& c) const {
    return {alter_table(c.table) + (c.logged ? "SET LOGGED" : "SET UNLOGGED")};
  }
  Statements operator()(const SetTableRowSecurity& c) const {
    Statements out;
    if (c.enabled) out.push_back(alter_table(c.table) + (*c.enabled ? "ENABLE" : "DISABLE") + " ROW LEVEL SECURITY");
    if (c.forced) out.push_back(alter_table(c.table) + (*c.forced ? "FORCE" : "NO FORCE") + " ROW LEVEL SECURITY");
    return out;
  }

  // With a backfill value: added nullable, filled in, then made NOT NULL, so
  // that a table with rows takes the column.
  Statements operator()(const AddColumn& c) const {
    const auto backfill = backfill_of(options_, c.table, c.column.name);
    if (!backfill) return {alter_table(c.table) + "ADD COLUMN " + schema::column_sql(c.column)};
    schema::Column nullable = c.column;
    nullable.not_null = false;
    Statements out{alter_table(c.table) + "ADD COLUMN " + schema::column_sql(nullable),
                   "UPDATE " + qualified_sql(c.table) + " SET " + quote_identifier(c.column.name) + " = " + *backfill};
    if (c.column.not_null) out.push_back(alter_column(c.table, c.column.name) + "SET NOT NULL");
    return out;
  }
  Statements operator()(const DropColumn& c) const {
    return {alter_table(c.table) + "DROP COLUMN " + quote_identifier(c.column.name)};
  }

  // In an order that keeps each step valid: what goes away first (an
  // expression, an identity, a default that may not survive the new type),
  // then the type, then what comes.
  Statements operator()(const AlterColumn& c) const {
    const std::string prefix = alter_column(c.table, c.to.name);
    const bool retyped = has(c.changes, ColumnChange::Type) || has(c.changes, ColumnChange::Collation);
    const bool default_changes = c.from.default_expr != c.to.default_expr;
    Statements out;
    const bool counter_goes = (c.from.identity && !c.to.identity) || (c.from.default_expr && !c.to.default_expr);
    if (c.counter_replaced && counter_goes) out.push_back(note_counter(c.table, c.from.name));
    if (c.from.generated_expr && !c.to.generated_expr) out.push_back(prefix + "DROP EXPRESSION");
    if (c.from.identity && !c.to.identity) out.push_back(prefix + "DROP IDENTITY");
    if (c.from.default_expr && (default_changes || retyped)) out.push_back(prefix + "DROP DEFAULT");
    // A narrower type takes the identity's bounds first, so that they fit it.
    const bool identity_narrowed = c.from.identity && c.to.identity && has(c.changes, ColumnChange::Type) &&
                                   integer_width(c.to.type.name) < integer_width(c.from.type.name);
    if (identity_narrowed) {
      schema::SequenceOptions wanted = c.to.identity->options;
      wanted.data_type = c.from.identity->options.data_type;
      for (const auto& setting : identity_option_changes(c.from.identity->options, wanted))
        out.push_back(prefix + setting);
    }
    if (retyped) {
      std::string sql = prefix + "TYPE " + type_sql(c.to.type);
      if (c.to.collation) sql += " COLLATE " + quote_identifier(*c.to.collation);
      if (has(c.changes, ColumnChange::Type)) sql += " USING " + cast_sql(c.to.name, c.from.type, c.to.type);
      out.push_back(sql);
    }
    if (c.to.default_expr && (default_changes || retyped)) out.push_back(prefix + "SET DEFAULT " + *c.to.default_expr);
    if (has(c.changes, ColumnChange::Null)) {
      // Rows may hold NULL here: the given backfill value or the default
      // fills them in first. (Without either, SET NOT NULL fails on such rows.)
      const auto fill = c.to.not_null ? backfill_of(options_, c.table, c.to.name) : std::nullopt;
      if (fill || (c.to.not_null && c.to.default_expr))
        out.push_back("UPDATE " + qualified_sql(c.table) + " SET " + quote_identifier(c.to.name) + " = " +
                      (fill ? *fill : *c.to.default_expr) + " WHERE " + quote_identifier(c.to.name) + " IS NULL");
      out.push_back(prefix + (c.to.not_null ? "SET NOT NULL" : "DROP NOT NULL"));
    }
    if (c.to.identity) {
      if (!c.from.identity) {
        schema::SequenceOptions options = c.to.identity->options;
        options.data_type.reset();
        out.push_back(prefix + "ADD GENERATED " + identity_kind_sql(c.to.identity->kind) + " AS IDENTITY (" +
                      schema::sequence_options_sql(options) + ")");
        // The new sequence would give out the numbers the rows already there
        // hold (a serial column's, say): it continues after them instead.
        const schema::SequenceOptions& resolved = c.to.identity->options;
        // (RESTART names the identity's own sequence; a serial column's old
        // one is still there until its drop.)
        std::string pattern;  // format()'s: a % of a name doubled
        for (const char letter : prefix) pattern += letter == '%' ? std::string("%%") : std::string(1, letter);
        const std::string restart = string_literal(pattern + "RESTART WITH %s");
        out.push_back("DO $strata$ BEGIN EXECUTE format(" + restart + ", " + next_after_rows(c.table, c.to.name, resolved) +
                      "); END $strata$");
        out.push_back(clear_counter_note(c.table, c.to.name));
      } else if (*c.from.identity != *c.to.identity) {
        // The type change above has retyped the identity's sequence already
        // (and a narrowing one came after the bounds were set).
        schema::SequenceOptions from = c.from.identity->options;
        if (identity_narrowed) from = c.to.identity->options;
        if (has(c.changes, ColumnChange::Type)) from = schema::retyped_sequence_options(from, c.to.type);
        Statements settings = identity_option_changes(from, c.to.identity->options);
        if (c.from.identity->kind != c.to.identity->kind)
          settings.insert(settings.begin(), "SET GENERATED " + identity_kind_sql(c.to.identity->kind));
        for (const auto& setting : settings) out.push_back(prefix + setting);
      }
    }
    return out;
  }

  Statements operator()(const RebuildTable& c) const {
    throw Error("internal error: " + describe(c) + ": PostgreSQL tables are altered in place, never rebuilt");
  }

  Statements operator()(const AddConstraint& c) const {
    const bool validated_apart = options_.foreign_keys_not_valid && !c.constraint.not_valid &&
                                 std::holds_alternative<schema::ForeignKey>(c.constraint.body);
    if (!validated_apart) return {schema::add_constraint_sql(c.table, c.constraint)};
    schema::Constraint unvalidated = c.constraint;
    unvalidated.not_valid = true;
    return {schema::add_constraint_sql(c.table, unvalidated), validate_sql(c.table, c.constraint.name)};
  }
  Statements operator()(const ValidateConstraint& c) const { return {validate_sql(c.table, c.constraint)}; }
  Statements operator()(const DropConstraint& c) const {
    return {alter_table(c.table) + "DROP CONSTRAINT " + quote_identifier(c.constraint.name)};
  }

  Statements operator()(const CreateIndex& c) const {
    std::string sql = schema::create_index_sql(c.index);
    if (options_.concurrent_indexes) sql.insert(sql.find("INDEX ") + 6, "CONCURRENTLY ");
    return {sql};
  }
  Statements operator()(const DropIndex& c) const {
    return {std::string("DROP INDEX ") + (options_.concurrent_indexes ? "CONCURRENTLY " : "") +
            qualified_sql(c.index.name)};
  }

  Statements operator()(const CreateView& c) const { return {schema::create_view_sql(c.view)}; }
  Statements operator()(const DropView& c) const {
    return {std::string(c.view.materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ") +
            qualified_sql(c.view.name)};
  }

  Statements operator()(const CreateFunction& c) const {
    std::string sql = schema::create_function_sql(c.function);
    if (c.or_replace) sql.insert(std::string("CREATE ").size(), "OR REPLACE ");
    return {sql};
  }
  Statements operator()(const DropFunction& c) const {
    return {std::string(c.function.kind == schema::RoutineKind::Procedure ? "DROP PROCEDURE " : "DROP FUNCTION ") +
            qualified_sql(c.function.name) + routine_arguments(c.function)};
  }

  Statements operator()(const CreateTrigger& c) const { return {schema::create_trigger_sql(c.trigger)}; }
  Statements operator()(const DropTrigger& c) const {
    return {"DROP TRIGGER " + on_table(c.trigger.name, c.trigger.table)};
  }
  Statements operator()(const CreatePolicy& c) const { return {schema::create_policy_sql(c.policy)}; }
  Statements operator()(const DropPolicy& c) const { return {"DROP POLICY " + on_table(c.policy.name, c.policy.table)}; }
  Statements operator()(const AlterPolicy& c) const {
    std::string sql = "ALTER POLICY " + on_table(c.to.name, c.to.table);
    if (c.from.roles != c.to.roles) sql += " TO " + schema::policy_roles_sql(c.to);
    if (c.from.using_expr != c.to.using_expr) sql += " USING (" + *c.to.using_expr + ")";
    if (c.from.check_expr != c.to.check_expr) sql += " WITH CHECK (" + *c.to.check_expr + ")";
    return {sql};
  }

  Statements operator()(const SetComment& c) const {
    return {"COMMENT ON " + comment_object(c) + " IS " + (c.text ? string_literal(*c.text) : "NULL")};
  }

 private:
  static std::string comment_object(const SetComment& c) {
    switch (c.target) {
      case CommentTarget::Schema: return "SCHEMA " + quote_identifier(c.object.name);
      case CommentTarget::Extension: return "EXTENSION " + quote_identifier(c.object.name);
      case CommentTarget::Type: return "TYPE " + qualified_sql(c.object);
      case CommentTarget::Domain: return "DOMAIN " + qualified_sql(c.object);
      case CommentTarget::Sequence: return "SEQUENCE " + qualified_sql(c.object);
      case CommentTarget::Table: return "TABLE " + qualified_sql(c.object);
      case CommentTarget::Column: return "COLUMN " + qualified_sql(c.object) + "." + quote_identifier(c.member);
      case CommentTarget::Constraint: return "CONSTRAINT " + on_table(c.member, c.object);
      case CommentTarget::Index: return "INDEX " + qualified_sql(c.object);
      case CommentTarget::View: return "VIEW " + qualified_sql(c.object);
      case CommentTarget::MaterializedView: return "MATERIALIZED VIEW " + qualified_sql(c.object);
      case CommentTarget::Function: return "FUNCTION " + qualified_sql(c.object) + c.arguments;
      case CommentTarget::Procedure: return "PROCEDURE " + qualified_sql(c.object) + c.arguments;
      case CommentTarget::Trigger: return "TRIGGER " + on_table(c.member, c.object);
      case CommentTarget::Policy: return "POLICY " + on_table(c.member, c.object);
    }
    return {};
  }

  const PlanOptions& options_;
};

}  // namespace

std::string routine_arguments(const schema::Function& function) {
  // signature() is "schema.name(types)", the name parts unquoted.
  return function.signature().substr(function.name.schema.size() + 1 + function.name.name.size());
}

std::vector<PlannedStatement> render_postgres(const Change& change, const PlanOptions& options) {
  const std::string description = describe(change);
  const bool destructive = data_loss(change).has_value();
  const bool concurrent = options.concurrent_indexes &&
                          (std::holds_alternative<CreateIndex>(change) || std::holds_alternative<DropIndex>(change));
  const auto* added_value = std::get_if<AddEnumValue>(&change);
  std::vector<PlannedStatement> out;
  for (auto& sql : std::visit(Render(options), change))
    out.push_back({std::move(sql), description, !concurrent, destructive,
                   added_value != nullptr ? std::optional<std::string>(added_value->value) : std::nullopt, ""});
  return out;
}

}  // namespace strata::planner
