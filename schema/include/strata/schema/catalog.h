// The dialect-neutral schema model: one type per kind of database object.
//
// Every name held here is canonical: identifiers are stored as the database
// stores them (unquoted identifiers folded to lower case), every object name is
// schema-qualified, and expressions are held in the canonical text produced by
// the front end, so that two catalogs describing the same schema compare equal
// with operator==.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace strata::schema {

// An optional value kept on the heap, for a large member that few objects
// have (a column's identity): absent, it costs one pointer. Copies are deep.
template <typename T>
class HeapOptional {
 public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}  // NOLINT: converts as std::optional does
  HeapOptional(T value) : value_(std::make_unique<T>(std::move(value))) {}  // NOLINT: likewise
  HeapOptional(const HeapOptional& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  HeapOptional(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(const HeapOptional& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  HeapOptional& operator=(HeapOptional&&) noexcept = default;
  ~HeapOptional() = default;

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }
  void reset() { value_.reset(); }

  friend bool operator==(const HeapOptional& a, const HeapOptional& b) {
    return a.has_value() == b.has_value() && (!a.has_value() || *a == *b);
  }

 private:
  std::unique_ptr<T> value_;
};

// A schema-qualified object name. While a statement is being translated the
// schema may still be empty ("not yet resolved against search_path"); every
// name stored in a Catalog has its schema filled in.
struct QualifiedName {
  std::string schema;
  std::string name;

  auto operator<=>(const QualifiedName&) const = default;
};

// A column, attribute or argument type. Built-in types have an empty schema and
// their canonical SQL name ("integer", "character varying", "timestamp with
// time zone"); user types (enums, domains, composites) are qualified.
struct TypeRef {
  std::string schema;
  std::string name;
  std::vector<std::string> modifiers;  // typmods as written: {"10", "2"}
  int array_dims = 0;

  bool operator==(const TypeRef&) const = default;
  bool is_builtin() const { return schema.empty(); }
};

struct SequenceOptions {
  std::optional<TypeRef> data_type;  // AS smallint|integer|bigint
  std::optional<std::int64_t> increment;
  std::optional<std::int64_t> min_value;
  std::optional<std::int64_t> max_value;
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> cache;
  bool cycle = false;

  bool operator==(const SequenceOptions&) const = default;
};

enum class IdentityKind : std::uint8_t { Always, ByDefault };

struct Identity {
  IdentityKind kind = IdentityKind::ByDefault;
  SequenceOptions options;

  bool operator==(const Identity&) const = default;
};

// Whether a table defines a column itself (PostgreSQL's attislocal) or has it
// only because a parent has it: CREATE TABLE ... INHERITS without defining it
// again, a parent's ADD COLUMN, every column of a partition. It decides what
// a parent's DROP COLUMN does: a column the child only inherits goes with it,
// a local one stays.
//
// Catalogs compare equal whatever it holds: PostgreSQL turns an inherited
// column into a local one only by taking the table out of its parent (which
// turns all of them), and a local one into an inherited one only by dropping
// it, so a plan does not change it for its own sake. What it decides, the
// columns a drop leaves, is compared as every column is. The live inspector
// reads it from pg_attribute.attislocal.
struct ColumnOrigin {
  bool local = true;

  bool operator==(const ColumnOrigin&) const { return true; }
};

struct Column {
  std::string name;
  TypeRef type;
  std::optional<std::string> collation;
  bool not_null = false;
  std::optional<std::string> default_expr;
  HeapOptional<Identity> identity;
  std::optional<std::string> generated_expr;  // GENERATED ALWAYS AS (...)
  bool generated_stored = true;               // STORED; SQLite also has VIRTUAL columns
  std::optional<std::string> comment;
  ColumnOrigin origin;

  bool operator==(const Column&) const = default;
};

// ---- constraints: one body type per kind ----------------------------------

struct PrimaryKey {
  std::vector<std::string> columns;
  std::vector<std::string> include;
  bool autoincrement = false;  // SQLite: INTEGER PRIMARY KEY AUTOINCREMENT

  bool operator==(const PrimaryKey&) const = default;
};

struct UniqueKey {
  std::vector<std::string> columns;
  std::vector<std::string> include;
  bool nulls_not_distinct = false;

  bool operator==(const UniqueKey&) const = default;
};

struct Check {
  std::string expression;
  bool no_inherit = false;

  bool operator==(const Check&) const = default;
};

enum class ReferentialAction : std::uint8_t { NoAction, Restrict, Cascade, SetNull, SetDefault };
enum class MatchType : std::uint8_t { Simple, Full, Partial };

struct ForeignKey {
  std::vector<std::string> columns;
  QualifiedName referenced_table;
  std::vector<std::string> referenced_columns;  // resolved to the referenced key when omitted
  ReferentialAction on_delete = ReferentialAction::NoAction;
  ReferentialAction on_update = ReferentialAction::NoAction;
  MatchType match = MatchType::Simple;

  bool operator==(const ForeignKey&) const = default;
};

struct ExclusionElement {
  std::string element;  // a column name or a parenthesised expression
  std::string op;       // the operator, e.g. "&&" or "="

  bool operator==(const ExclusionElement&) const = default;
};

struct Exclusion {
  std::string method = "gist";
  std::vector<ExclusionElement> elements;
  std::vector<std::string> include;
  std::optional<std::string> where;

  bool operator==(const Exclusion&) const = default;
};

using ConstraintBody = std::variant<PrimaryKey, UniqueKey, Check, ForeignKey, Exclusion>;

struct Constraint {
  std::string name;
  ConstraintBody body;
  bool deferrable = false;
  bool initially_deferred = false;
  // A CHECK or foreign key added NOT VALID and not validated since: the rows
  // that were there are not known to pass it.
  bool not_valid = false;
  std::optional<std::string> comment;

  bool operator==(const Constraint&) const = default;
};

// ---- tables and indexes ------------------------------------------------------

struct Table {
  QualifiedName name;
  std::vector<Column> columns;
  std::vector<Constraint> constraints;
  std::vector<QualifiedName> inherits;
  std::optional<std::string> partition_by;  // "RANGE (created_at)"
  // A partition: its parent is the one table in `inherits`.
  std::optional<std::string> partition_bound;  // "FOR VALUES FROM (1) TO (10)", "DEFAULT"
  bool unlogged = false;
  bool row_security = false;        // ENABLE ROW LEVEL SECURITY
  bool force_row_security = false;  // FORCE ROW LEVEL SECURITY
  bool without_rowid = false;  // SQLite
  bool strict = false;         // SQLite
  std::optional<std::string> comment;

  bool operator==(const Table&) const = default;

  const Column* find_column(const std::string& column) const;
  Column* find_column(const std::string& column);
  const Constraint* find_constraint(const std::string& constraint) const;
};

enum class SortOrder : std::uint8_t { Default, Asc, Desc };
enum class NullsOrder : std::uint8_t { Default, First, Last };

struct IndexElement {
  std::string column;      // set for a plain column
  std::string expression;  // set for an expression element
  std::optional<std::string> collation;
  std::optional<std::string> opclass;
  SortOrder order = SortOrder::Default;
  NullsOrder nulls = NullsOrder::Default;

  bool operator==(const IndexElement&) const = default;
};

struct Index {
  QualifiedName name;  // an index lives in its table's schema
  QualifiedName table;
  bool unique = false;
  std::string method = "btree";
  std::vector<IndexElement> elements;
  std::vector<std::string> include;
  std::optional<std::string> where;
  bool nulls_not_distinct = false;
  std::vector<std::string> options;  // storage parameters, sorted: "fillfactor=70"
  std::optional<std::string> comment;

  bool operator==(const Index&) const = default;
};

// ---- types -------------------------------------------------------------------

struct Enum {
  QualifiedName name;
  std::vector<std::string> values;
  std::optional<std::string> comment;

  bool operator==(const Enum&) const = default;
};

struct DomainCheck {
  std::string name;
  std::string expression;

  bool operator==(const DomainCheck&) const = default;
};

struct Domain {
  QualifiedName name;
  TypeRef base_type;
  std::optional<std::string> collation;
  bool not_null = false;
  std::optional<std::string> default_expr;
  std::vector<DomainCheck> checks;
  std::optional<std::string> comment;

  bool operator==(const Domain&) const = default;
};

struct CompositeAttribute {
  std::string name;
  TypeRef type;
  std::optional<std::string> collation;

  bool operator==(const CompositeAttribute&) const = default;
};

struct CompositeType {
  QualifiedName name;
  std::vector<CompositeAttribute> attributes;
  std::optional<std::string> comment;

  bool operator==(const CompositeType&) const = default;
};

struct ColumnRef {
  QualifiedName table;
  std::string column;

  auto operator<=>(const ColumnRef&) const = default;
};

struct Sequence {
  QualifiedName name;
  SequenceOptions options;
  std::optional<ColumnRef> owned_by;
  std::optional<std::string> comment;

  bool operator==(const Sequence&) const = default;
};

// ---- views, routines, triggers -------------------------------------------------

// Objects a view or routine body reads, found from its parse tree; they give
// the order in which such objects are created and dropped.
struct Dependencies {
  std::vector<QualifiedName> relations;
  std::vector<QualifiedName> functions;

  bool operator==(const Dependencies&) const = default;
};

struct View {
  QualifiedName name;
  std::string query;  // canonical deparsed SELECT
  std::vector<std::string> column_names;
  bool materialized = false;
  std::vector<std::string> options;  // reloptions, "security_barrier=true"
  std::optional<std::string> check_option;  // "local" | "cascaded"
  Dependencies depends_on;
  std::optional<std::string> comment;

  bool operator==(const View&) const = default;
};

enum class ArgMode : std::uint8_t { In, Out, InOut, Variadic, Table };

struct FunctionArg {
  ArgMode mode = ArgMode::In;
  std::string name;
  TypeRef type;
  std::optional<std::string> default_expr;

  bool operator==(const FunctionArg&) const = default;
};

enum class RoutineKind : std::uint8_t { Function, Procedure };

struct Function {
  QualifiedName name;
  RoutineKind kind = RoutineKind::Function;
  std::vector<FunctionArg> args;
  std::optional<TypeRef> returns;  // absent for procedures and RETURNS TABLE
  bool returns_set = false;
  std::string language = "sql";
  std::string body;                   // the body text, or its canonical form for SQL bodies
  std::vector<std::string> options;   // canonical attribute list: "STABLE", "STRICT", "SECURITY DEFINER"
  Dependencies depends_on;
  std::optional<std::string> comment;

  bool operator==(const Function&) const = default;

  // "name(type, type)": input argument types identify a routine in PostgreSQL.
  std::string signature() const;
};

enum class TriggerTiming : std::uint8_t { Before, After, InsteadOf };

struct Trigger {
  std::string name;
  QualifiedName table;
  TriggerTiming timing = TriggerTiming::After;
  std::vector<std::string> events;  // "INSERT", "UPDATE", "UPDATE OF a, b", "DELETE", "TRUNCATE"
  bool for_each_row = false;
  std::optional<std::string> when;
  QualifiedName function;
  std::vector<std::string> function_args;
  bool constraint_trigger = false;
  bool deferrable = false;
  bool initially_deferred = false;
  // SQLite: the relations its WHEN and body name (a trigger must go before a
  // table it reads is rebuilt). PostgreSQL triggers read through `function`.
  Dependencies depends_on;
  std::optional<std::string> comment;

  bool operator==(const Trigger&) const = default;
};

// A row-level security policy of a table.
struct Policy {
  std::string name;
  QualifiedName table;
  bool permissive = true;
  std::string command = "ALL";     // ALL | SELECT | INSERT | UPDATE | DELETE
  std::vector<std::string> roles;  // sorted; "public" for PUBLIC
  std::optional<std::string> using_expr;
  std::optional<std::string> check_expr;
  std::optional<std::string> comment;

  bool operator==(const Policy&) const = default;
};

struct Extension {
  std::string name;
  std::optional<std::string> schema;
  std::optional<std::string> version;
  std::optional<std::string> comment;

  bool operator==(const Extension&) const = default;
};

struct Schema {
  std::string name;
  std::optional<std::string> comment;

  bool operator==(const Schema&) const = default;
};

struct TriggerKey {
  QualifiedName table;
  std::string name;

  auto operator<=>(const TriggerKey&) const = default;
};

// A whole database schema. Maps keep a deterministic order for printing and
// comparison; functions are keyed by their signature.
struct Catalog {
  std::map<std::string, Schema> schemas;
  std::map<std::string, Extension> extensions;
  std::map<QualifiedName, Enum> enums;
  std::map<QualifiedName, Domain> domains;
  std::map<QualifiedName, CompositeType> composite_types;
  std::map<QualifiedName, Sequence> sequences;
  std::map<QualifiedName, Table> tables;
  std::map<QualifiedName, Index> indexes;
  std::map<QualifiedName, View> views;
  std::map<std::string, Function> functions;
  std::map<TriggerKey, Trigger> triggers;
  std::map<TriggerKey, Policy> policies;  // keyed like triggers: table and name

  bool operator==(const Catalog&) const = default;

  // A catalog as a fresh PostgreSQL database starts: the public schema only.
  static Catalog postgres_default();

  // Relations (tables, views, sequences, indexes) share one namespace per schema.
  bool has_relation(const QualifiedName& name) const;
  // Types (enums, domains, composites, and the row types of relations) share one too.
  bool has_type(const QualifiedName& name) const;
};

}  // namespace strata::schema
