// The typed changes a diff of two catalogs produces: one struct per kind of
// change, each carrying what its rendering needs. Visiting a Change without a
// catch-all makes the compiler name any kind a renderer forgot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "strata/schema/catalog.h"

namespace strata::planner {

using schema::QualifiedName;

// A rename from a hint (renames are never guessed): it comes first, and the
// diff compares the renamed previous catalog with the desired one.
// IdentitySequence: the sequence behind an identity column of a renamed
// table or column, which the server leaves under its old name (users_id_seq)
// where a fresh build names it after the new one (people_id_seq). The model
// does not hold that name, so the rename asks the server for the sequence.
enum class RenameKind : std::uint8_t { Table, Column, Index, Constraint, Enum, EnumValue, Sequence, IdentitySequence };
struct RenameObject {
  RenameKind kind = RenameKind::Table;
  QualifiedName object;  // the table, index, enum or sequence; an identity's table
  std::string member;    // the column, constraint or enum value; an identity's column
  std::string new_name;
};

struct CreateSchema {
  schema::Schema schema;
};
struct DropSchema {
  schema::Schema schema;
};

struct CreateExtension {
  schema::Extension extension;
};
struct DropExtension {
  schema::Extension extension;
};
// ALTER EXTENSION ... UPDATE TO: the objects that depend on the extension
// (columns of its types, indexes with its operator classes) stay, where DROP
// and CREATE would take them with it.
struct UpdateExtension {
  std::string name;
  std::string from_version;
  std::string to_version;
};

struct CreateEnum {
  schema::Enum type;
};
struct DropEnum {
  schema::Enum type;
};
// ALTER TYPE ... ADD VALUE: PostgreSQL refuses to use the new value before the
// transaction that added it commits.
struct AddEnumValue {
  QualifiedName type;
  std::string value;
  std::optional<std::string> neighbour;  // absent: appended at the end
  bool after = false;                    // AFTER neighbour; otherwise BEFORE
};
// A column whose type is (an array of) an enum being swapped.
struct EnumColumn {
  QualifiedName table;
  std::string column;
  int array_dims = 0;
  bool had_default = false;                     // dropped before the swap
  std::optional<std::string> restored_default;  // set again after it
  bool converted_with_parent = false;           // a parent's ALTER COLUMN TYPE reaches it
};
// A domain over an enum being swapped (its base type the enum or an array of
// it). A domain's base type cannot change, so a twin over the new type takes
// its columns and then its name; its default, NOT NULL and checks (the
// desired ones) come back after the renames, when what they name is the new
// type.
struct EnumDomain {
  schema::Domain domain;            // the desired definition
  std::vector<EnumColumn> columns;  // columns of the domain, or arrays of it
  std::string twin_name;            // the twin's name until it takes the domain's
};
// Values removed or reordered: the new type is created under a temporary
// name, every column converted through text, the old type dropped and the
// new one renamed. Routines and composite types that use the enum are dropped
// before and created again after (separate changes).
struct SwapEnum {
  schema::Enum from;
  schema::Enum to;
  std::vector<EnumColumn> columns;
  std::vector<EnumDomain> domains;
  std::string temporary_name;  // the new type's name until the old one is gone
};

struct CreateDomain {
  schema::Domain domain;
};
struct DropDomain {
  schema::Domain domain;
};
// Default, NOT NULL and named checks change in place (columns of the domain
// keep it); a new base type or collation is DROP and CREATE.
struct AlterDomain {
  schema::Domain from;
  schema::Domain to;
};
struct CreateCompositeType {
  schema::CompositeType type;
};
struct DropCompositeType {
  schema::CompositeType type;
  bool stored = true;  // false: no column holds values of it (an enum swap has it created again)
};

// A drop carries the object it drops: its dependencies order the drops.

// Created without its owner: OWNED BY needs the column, which may come later.
struct CreateSequence {
  schema::Sequence sequence;
};
struct DropSequence {
  schema::Sequence sequence;
};
struct AlterSequence {
  QualifiedName name;
  schema::SequenceOptions options;
};
struct SetSequenceOwner {
  QualifiedName sequence;
  std::optional<schema::ColumnRef> owner;  // absent: OWNED BY NONE
  // A new sequence taking over a column that may hold values (an identity
  // turned back into a serial): its options, so that it continues past the
  // values in the direction it counts.
  std::optional<schema::SequenceOptions> continue_after_rows;
};

// Created without its foreign keys: they are separate AddConstraint changes.
struct CreateTable {
  schema::Table table;
};
struct DropTable {
  schema::Table table;
};
struct SetTableLogged {
  QualifiedName table;
  bool logged = true;
};
// ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY: only what changes.
struct SetTableRowSecurity {
  QualifiedName table;
  std::optional<bool> enabled;
  std::optional<bool> forced;
};

struct AddColumn {
  QualifiedName table;
  schema::Column column;
  // SQLite, which cannot add a constraint later: the column's one-column
  // foreign key, written inline. PostgreSQL adds it as an AddConstraint.
  std::optional<schema::Constraint> foreign_key;
};
struct DropColumn {
  QualifiedName table;
  schema::Column column;
  // Tables inheriting from `table` that only inherit the column: the server
  // drops theirs with it, and their values with it.
  std::vector<QualifiedName> inherited_by;
};

// What changed about a column; a bitmask.
enum class ColumnChange : std::uint8_t {
  None = 0,
  Type = 1 << 0,
  Null = 1 << 1,
  Default = 1 << 2,
  Identity = 1 << 3,
  Generated = 1 << 4,
  Collation = 1 << 5,
};
constexpr ColumnChange operator|(ColumnChange a, ColumnChange b) {
  return static_cast<ColumnChange>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr bool has(ColumnChange set, ColumnChange flag) {
  return (static_cast<std::uint8_t>(set) & static_cast<std::uint8_t>(flag)) != 0;
}

struct AlterColumn {
  QualifiedName table;
  schema::Column from;
  schema::Column to;
  ColumnChange changes = ColumnChange::None;
  // An identity replacing a serial's sequence, or the other way round: the
  // change that takes the old counter off notes where it had counted to, and
  // the new counter continues from there (the old one is dropped between).
  bool counter_replaced = false;
};

// SQLite: a table that ALTER TABLE cannot bring into shape is rebuilt in the
// documented 12 steps: the new definition under a temporary name, the rows
// copied through an explicit column map, the old table dropped and the new
// one renamed. Its indexes, triggers and the views that read it come back as
// separate changes.
struct CopiedColumn {
  std::string column;      // a column of `to`
  std::string expression;  // SQL over a row of the old table: "name", "coalesce(age, 0)"
};
struct RebuildTable {
  schema::Table from;
  schema::Table to;
  std::string temporary_name;
  std::vector<CopiedColumn> copied;  // a column of `to` not listed takes its default
  std::vector<std::string> reasons;  // what changed, for the reviewer: "type of column age"
};

struct AddConstraint {
  QualifiedName table;
  schema::Constraint constraint;
};
struct DropConstraint {
  QualifiedName table;
  schema::Constraint constraint;
};
// A NOT VALID constraint that is to hold for every row: VALIDATE CONSTRAINT
// checks the rows there without locking out writes, as adding it again would.
struct ValidateConstraint {
  QualifiedName table;
  std::string constraint;
};

struct CreateIndex {
  schema::Index index;
};
struct DropIndex {
  schema::Index index;
};

struct CreateView {
  schema::View view;
};
struct DropView {
  schema::View view;
};

// Changed routines whose signature and result stay the same use CREATE OR
// REPLACE, which keeps whatever depends on them.
struct CreateFunction {
  schema::Function function;
  bool or_replace = false;
};
struct DropFunction {
  schema::Function function;
};

struct CreateTrigger {
  schema::Trigger trigger;
};
struct DropTrigger {
  schema::Trigger trigger;
};

struct CreatePolicy {
  schema::Policy policy;
};
struct DropPolicy {
  schema::Policy policy;
};
// ALTER POLICY: new roles, USING or WITH CHECK expressions (one that goes
// away, a new command or permissiveness need DROP and CREATE).
struct AlterPolicy {
  schema::Policy from;
  schema::Policy to;
};

// The object a COMMENT ON addresses.
enum class CommentTarget : std::uint8_t {
  Schema, Extension, Type, Domain, Sequence, Table, Column, Constraint, Index, View, MaterializedView, Function,
  Procedure, Trigger, Policy,
};
struct SetComment {
  CommentTarget target = CommentTarget::Table;
  QualifiedName object;   // schema and extension names are in `name` with an empty schema
  std::string member;     // the column, constraint, trigger or policy name
  std::string arguments;  // a routine's "(type, type)"
  std::optional<std::string> text;  // absent: IS NULL
};

using Change = std::variant<RenameObject, CreateSchema, DropSchema, CreateExtension, DropExtension, UpdateExtension, CreateEnum, DropEnum,
                            AddEnumValue, SwapEnum, CreateDomain, DropDomain, AlterDomain, CreateCompositeType, DropCompositeType,
                            CreateSequence, DropSequence, AlterSequence, SetSequenceOwner, CreateTable, DropTable,
                            SetTableLogged, SetTableRowSecurity, AddColumn, DropColumn, AlterColumn, RebuildTable, AddConstraint,
                            DropConstraint, ValidateConstraint, CreateIndex, DropIndex, CreateView, DropView, CreateFunction, DropFunction,
                            CreateTrigger, DropTrigger, CreatePolicy, DropPolicy, AlterPolicy, SetComment>;

// "drop column public.t.c": names the change in plans and messages.
std::string describe(const Change& change);

// What a destructive change would lose ("the rows of table public.t"), or
// nothing when the change loses no data.
std::optional<std::string> data_loss(const Change& change);

}  // namespace strata::planner
