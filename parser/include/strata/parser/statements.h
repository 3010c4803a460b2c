// The project's own statement types: what the PostgreSQL front end makes of a
// parse tree. Nothing outside parser/ sees libpg_query's nodes.
//
// Object names here are as written: a QualifiedName with an empty schema is
// unqualified and is resolved against search_path by the interpreter. Types
// with an empty schema are built-in when their name is a canonical built-in
// name, and user types to look up otherwise.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "strata/schema/catalog.h"
#include "strata/schema/error.h"

namespace strata::parser {

using schema::QualifiedName;

// A constraint as written in CREATE TABLE or ALTER TABLE ... ADD. An empty
// name means the server chooses one (t_pkey, t_col_key, ...).
struct ConstraintDefinition {
  schema::Constraint constraint;
  // The distinct columns a CHECK expression reads: PostgreSQL names an unnamed
  // check t_col_check when it reads exactly one column, t_check otherwise.
  std::vector<std::string> check_columns;
  bool not_valid = false;
};

// A column as written: the type may be a serial pseudo-type, which the
// interpreter expands into an integer column, a sequence and a default.
struct ColumnDefinition {
  schema::Column column;
  std::optional<std::string> serial;  // "smallserial" | "serial" | "bigserial"
  SourceLocation location;
};

struct CreateSchema {
  std::string name;
  bool if_not_exists = false;
};

struct CreateExtension {
  schema::Extension extension;
  bool if_not_exists = false;
};

// ALTER EXTENSION ... UPDATE [TO version]: the server runs the extension's
// update scripts; the objects that depend on it stay.
struct AlterExtension {
  std::string name;
  std::optional<std::string> version;  // absent: the default version of the installed control file
};

struct CreateTable {
  QualifiedName name;
  std::vector<ColumnDefinition> columns;
  std::vector<ConstraintDefinition> constraints;  // column and table constraints, in order
  std::vector<QualifiedName> inherits;
  std::optional<std::string> partition_by;
  std::optional<std::string> partition_bound;  // PARTITION OF inherits[0]
  bool unlogged = false;
  bool if_not_exists = false;
};

struct CreateIndex {
  schema::Index index;  // an empty name means the server chooses one
  std::vector<std::string> element_names;  // for name choice: column names, "expr" for expressions
  bool if_not_exists = false;
  bool concurrently = false;
};

struct CreateEnum {
  schema::Enum type;
};

struct CreateDomain {
  schema::Domain domain;
};

struct CreateCompositeType {
  schema::CompositeType type;
};

struct CreateSequence {
  QualifiedName name;
  schema::SequenceOptions options;  // as written; the interpreter resolves defaults
  std::optional<schema::ColumnRef> owned_by;
  bool if_not_exists = false;
};

struct AlterSequence {
  QualifiedName name;
  schema::SequenceOptions options;  // only the options written
  std::optional<bool> cycle;        // CYCLE or NO CYCLE, when written
  std::optional<schema::ColumnRef> owned_by;
  bool owned_by_none = false;
  bool restart = false;
  bool if_exists = false;
};

struct CreateView {
  schema::View view;
  bool or_replace = false;
  bool if_not_exists = false;
};

struct CreateFunction {
  schema::Function function;
  bool or_replace = false;
};

struct CreateTrigger {
  schema::Trigger trigger;
  bool or_replace = false;
};

struct CreatePolicy {
  schema::Policy policy;  // roles as written: empty means PUBLIC
};

// ALTER POLICY: only what is written changes.
struct AlterPolicy {
  std::string name;
  QualifiedName table;
  std::optional<std::vector<std::string>> roles;
  std::optional<std::string> using_expr;
  std::optional<std::string> check_expr;
};

// ---- ALTER TABLE subcommands ---------------------------------------------------

struct AddColumn {
  ColumnDefinition column;
  std::vector<ConstraintDefinition> constraints;
  bool if_not_exists = false;
};
struct DropColumn {
  std::string column;
  bool if_exists = false;
  bool cascade = false;
};
struct AlterColumnType {
  std::string column;
  schema::TypeRef type;
  std::optional<std::string> collation;
  std::optional<std::string> using_expr;
};
struct SetColumnDefault {
  std::string column;
  std::optional<std::string> default_expr;  // empty: DROP DEFAULT
};
struct SetColumnNotNull {
  std::string column;
  bool not_null = true;
};
struct AddIdentity {
  std::string column;
  schema::Identity identity;
};
struct SetIdentity {
  std::string column;
  std::optional<schema::IdentityKind> kind;
  schema::SequenceOptions options;  // only the options written
  std::optional<bool> cycle;        // CYCLE or NO CYCLE, when written
};
struct DropIdentity {
  std::string column;
  bool if_exists = false;
};
struct DropExpression {
  std::string column;
  bool if_exists = false;
};
struct AddConstraint {
  ConstraintDefinition constraint;
};
struct DropConstraint {
  std::string name;
  bool if_exists = false;
  bool cascade = false;
};
struct ValidateConstraint {
  std::string name;
};
struct SetLogged {
  bool logged = true;
};
struct SetRowSecurity {
  std::optional<bool> enabled;  // ENABLE / DISABLE
  std::optional<bool> forced;   // FORCE / NO FORCE
};
struct AddInherit {
  QualifiedName parent;
};
struct DropInherit {
  QualifiedName parent;
};

using AlterTableAction =
    std::variant<AddColumn, DropColumn, AlterColumnType, SetColumnDefault, SetColumnNotNull, AddIdentity,
                 SetIdentity, DropIdentity, DropExpression, AddConstraint, DropConstraint, ValidateConstraint,
                 SetLogged, SetRowSecurity, AddInherit, DropInherit>;

struct AlterTable {
  QualifiedName name;
  std::vector<AlterTableAction> actions;
  bool if_exists = false;
  bool only = false;  // ALTER TABLE ONLY: what would reach the children stays on this table
};

// ---- other ALTERs ---------------------------------------------------------------

struct AddEnumValue {
  QualifiedName type;
  std::string value;
  std::optional<std::string> neighbour;
  bool after = false;  // true: AFTER neighbour; false: BEFORE neighbour
  bool if_not_exists = false;
};

struct RenameEnumValue {
  QualifiedName type;
  std::string from;
  std::string to;
};

enum class DomainAlteration : std::uint8_t { SetDefault, DropDefault, SetNotNull, DropNotNull, AddCheck, DropCheck,
                                             ValidateCheck };

struct AlterDomain {
  QualifiedName name;
  DomainAlteration alteration = DomainAlteration::SetDefault;
  std::optional<std::string> default_expr;
  std::optional<schema::DomainCheck> check;  // for AddCheck; an empty name means the server chooses one
  std::string constraint_name;               // for DropCheck and ValidateCheck
  bool if_exists = false;
};

// The kinds of object DROP, RENAME and COMMENT address.
enum class ObjectKind : std::uint8_t {
  Schema, Extension, Table, View, MaterializedView, Index, Sequence, Type, Domain, Function, Procedure,
  Trigger, Policy, Column, Constraint, DomainConstraint, EnumValue,
};

// A reference to one object: for functions the argument types select the
// overload; for columns, constraints and triggers `parent` is the table.
struct ObjectRef {
  ObjectKind kind = ObjectKind::Table;
  QualifiedName name;
  QualifiedName parent;
  std::optional<std::vector<schema::TypeRef>> argument_types;  // absent: "the only one with this name"
};

struct Drop {
  std::vector<ObjectRef> objects;
  bool if_exists = false;
  bool cascade = false;
};

struct Rename {
  ObjectRef object;
  std::string new_name;
  bool if_exists = false;
};

struct Comment {
  ObjectRef object;
  std::optional<std::string> text;  // absent: COMMENT ... IS NULL
};

struct SetSearchPath {
  std::vector<std::string> schemas;  // empty: RESET / DEFAULT
};

// A statement that does not change the schema (INSERT, UPDATE, DELETE, SELECT,
// DO, transaction control, session settings): replaying a migration passes
// over it. `what` names it for messages.
struct PassOver {
  std::string what;
};

using StatementBody =
    std::variant<CreateSchema, CreateExtension, AlterExtension, CreateTable, CreateIndex, CreateEnum, CreateDomain,
                 CreateCompositeType, CreateSequence, AlterSequence, CreateView, CreateFunction, CreateTrigger,
                 CreatePolicy, AlterPolicy, AlterTable, AddEnumValue, RenameEnumValue, AlterDomain, Drop, Rename, Comment,
                 SetSearchPath, PassOver>;

// Something the user should know that does not stop the run: an object kind
// strata does not manage (privileges, ownership), or a statement whose effect
// on the schema cannot be known offline.
struct Warning {
  SourceLocation location;
  std::string message;
};

struct Statement {
  StatementBody body;
  SourceLocation location;  // where the statement starts
  std::string source_line;  // its first line, for error displays
};

}  // namespace strata::parser
