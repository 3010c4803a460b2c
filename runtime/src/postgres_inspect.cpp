#include "strata/runtime/postgres_inspect.h"

#include "strata/parser/postgres_parser.h"
#include "strata/schema/trigger_type.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata::runtime {
namespace {

using schema::QualifiedName;
using schema::TypeRef;

// ---- SQL fragments shared by the queries --------------------------------------
// One query per kind of object, never one per object: a database of 5,000
// tables must read in a few round trips.

// Namespaces that hold user objects; `n` is a pg_namespace alias.
std::string user_namespace(const std::string& n) {
  return n + ".nspname NOT IN ('pg_catalog', 'information_schema') AND " + n + ".nspname !~ '^pg_(toast|temp)'";
}

// Objects created by CREATE EXTENSION belong to the extension.
std::string not_in_extension(const std::string& catalog, const std::string& oid) {
  return "NOT EXISTS (SELECT FROM pg_depend extension_member WHERE extension_member.classid = '" + catalog +
         "'::regclass AND extension_member.objid = " + oid + " AND extension_member.deptype = 'e')";
}

// A relation `c` in namespace `n` that holds user objects.
std::string user_relation(const std::string& c, const std::string& n) {
  return user_namespace(n) + " AND " + not_in_extension("pg_class", c + ".oid");
}

// Ordinary and partitioned tables, for a pg_class alias `c`.
const std::string kTableKinds = "c.relkind IN ('r', 'p')";

// Makes `d.description` the comment on the object, or NULL.
std::string comment_join(const std::string& catalog, const std::string& oid, const std::string& subid = "0") {
  return " LEFT JOIN pg_description d ON d.objoid = " + oid + " AND d.classoid = '" + catalog +
         "'::regclass AND d.objsubid = " + subid + " ";
}

// The name of collation `oid`, qualified outside pg_catalog.
std::string collation_name(const std::string& oid) {
  return "(SELECT CASE WHEN coll_ns.nspname = 'pg_catalog' THEN coll.collname::text"
         " ELSE coll_ns.nspname || '.' || coll.collname END"
         " FROM pg_collation coll JOIN pg_namespace coll_ns ON coll_ns.oid = coll.collnamespace"
         " WHERE coll.oid = " +
         oid + ")";
}

// The parts of a TypeRef for type `oid` with modifier `typmod`, as columns
// <prefix>_schema, _name, _plain, _formatted and _array (read by Row::type).
struct TypeSql {
  std::string select;
  std::string join;
};

TypeSql type_sql(const std::string& prefix, const std::string& oid, const std::string& typmod) {
  // An array type is described by its element type: format_type() applies
  // an array's typmod to the element ("character varying(10)[]").
  return {
      prefix + ".type_schema AS " + prefix + "_schema, " + prefix + ".type_name AS " + prefix + "_name, " + prefix +
          ".plain AS " + prefix + "_plain, " + prefix + ".formatted AS " + prefix + "_formatted, " + prefix +
          ".is_array AS " + prefix + "_array",
      " LEFT JOIN LATERAL (SELECT"
      " CASE WHEN element_ns.nspname = 'pg_catalog' THEN '' ELSE element_ns.nspname::text END AS type_schema,"
      " CASE WHEN element_ns.nspname = 'pg_catalog' THEN format_type(element.oid, NULL)"
      " ELSE element.typname::text END AS type_name,"
      " format_type(element.oid, NULL) AS plain,"
      " format_type(element.oid, " +
          typmod +
          ") AS formatted,"
          " outer_type.typsubscript = 'array_subscript_handler'::regproc AS is_array"
          " FROM pg_type outer_type"
          " JOIN pg_type element ON element.oid = CASE WHEN outer_type.typsubscript ="
          " 'array_subscript_handler'::regproc THEN outer_type.typelem ELSE outer_type.oid END"
          " JOIN pg_namespace element_ns ON element_ns.oid = element.typnamespace"
          " WHERE outer_type.oid = " +
          oid + ") " + prefix + " ON true "};
}

// Sequence options from pg_sequence `s` as columns seq_* (read by
// Row::sequence_options).
std::string sequence_columns(const std::string& s) {
  return "format_type(" + s + ".seqtypid, NULL) AS seq_type, " + s + ".seqincrement AS seq_increment, " + s +
         ".seqmin AS seq_min, " + s + ".seqmax AS seq_max, " + s + ".seqstart AS seq_start, " + s +
         ".seqcache AS seq_cache, " + s + ".seqcycle AS seq_cycle";
}

// ---- reading text values -----------------------------------------------------

[[noreturn]] void unexpected(const std::string& what, std::string_view text) {
  throw DatabaseError("unexpected " + what + " in the catalog: \"" + std::string(text) + "\"");
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// A one-dimensional array in array_out's text form: {a,"b c","d\"e"}.
std::vector<std::string> parse_text_array(std::string_view text) {
  std::string_view body = text;
  if (body.starts_with('[')) body.remove_prefix(body.find('=') + 1);  // "[0:1]=" for a lower bound other than 1
  if (body.size() < 2 || body.front() != '{' || body.back() != '}') unexpected("array", text);
  body = body.substr(1, body.size() - 2);

  std::vector<std::string> elements;
  std::size_t at = 0;
  while (at < body.size()) {
    std::string element;
    if (body[at] == '"') {
      for (++at; at < body.size() && body[at] != '"'; ++at) {
        if (body[at] == '\\') ++at;
        if (at < body.size()) element += body[at];
      }
      ++at;  // the closing quote
    } else {
      const std::size_t end = std::min(body.find(',', at), body.size());
      element = body.substr(at, end - at);
      if (element == "NULL") unexpected("NULL array element", text);
      at = end;
    }
    elements.push_back(std::move(element));
    if (at < body.size() && body[at++] != ',') unexpected("array", text);
  }
  return elements;
}

// bytea in hex output form ("\x6100") as bytes.
std::string decode_bytea(std::string_view text) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) unexpected("bytea", text);
  const auto nibble = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    unexpected("bytea", text);
  };
  std::string bytes;
  for (std::size_t at = 2; at < text.size(); at += 2)
    bytes += static_cast<char>(nibble(text[at]) * 16 + nibble(text[at + 1]));
  return bytes;
}

// The modifiers format_type() adds to a type's plain name: it inserts them at
// one place ("numeric(10,2)", "timestamp(3) with time zone",
// "interval day to second(3)").
std::vector<std::string> modifiers_of(std::string_view plain, std::string_view formatted) {
  if (formatted.size() <= plain.size()) return {};
  std::size_t prefix = 0;
  while (prefix < plain.size() && plain[prefix] == formatted[prefix]) ++prefix;
  const std::size_t inserted_length = formatted.size() - plain.size();
  if (formatted.substr(prefix + inserted_length) != plain.substr(prefix)) return {};
  const std::string_view inserted = formatted.substr(prefix, inserted_length);

  std::vector<std::string> modifiers;
  const std::size_t open = inserted.find('(');
  if (const std::string_view fields = trim(inserted.substr(0, open)); !fields.empty()) modifiers.emplace_back(fields);
  if (open != std::string_view::npos) {
    const std::string_view list = inserted.substr(open + 1, inserted.rfind(')') - open - 1);
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      modifiers.emplace_back(trim(list.substr(start, comma - start)));
      start = comma + 1;
    }
  }
  return modifiers;
}

// One row of a query result, read by column name.
class Row {
 public:
  Row(const QueryResult& result, int row) : result_(result), row_(row) {}

  bool is_null(std::string_view column) const { return result_.is_null(row_, column); }
  std::string text(std::string_view column) const { return std::string(result_.value(row_, column)); }
  std::optional<std::string> optional_text(std::string_view column) const {
    return result_.optional_value(row_, column);
  }
  bool flag(std::string_view column) const { return result_.value(row_, column) == "t"; }
  char character(std::string_view column) const {
    const std::string_view value = result_.value(row_, column);
    return value.empty() ? '\0' : value.front();
  }
  std::int64_t integer(std::string_view column) const {
    const std::string_view value = result_.value(row_, column);
    std::int64_t parsed = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (error != std::errc{} || end != value.data() + value.size()) unexpected("integer", value);
    return parsed;
  }
  std::vector<std::string> text_array(std::string_view column) const {
    return is_null(column) ? std::vector<std::string>{} : parse_text_array(result_.value(row_, column));
  }
  QualifiedName name(std::string_view schema_column, std::string_view name_column) const {
    return {text(schema_column), text(name_column)};
  }

  // An expression in the front end's canonical text, so that a database
  // compares equal with the files it was built from.
  std::string expression(std::string_view column) const { return parser::canonical_expression(text(column)); }
  std::optional<std::string> optional_expression(std::string_view column) const {
    if (is_null(column)) return std::nullopt;
    return expression(column);
  }
  // A default of an object of type `type` (of `catalog`), without the cast
  // to that type the server adds to a string literal.
  std::optional<std::string> optional_default(std::string_view column, const TypeRef& type,
                                              const schema::Catalog& catalog) const {
    if (is_null(column)) return std::nullopt;
    return parser::without_cast_to(expression(column), type, catalog);
  }

  // The columns type_sql(prefix, ...) selects.
  TypeRef type(const std::string& prefix) const {
    if (is_null(prefix + "_name")) unexpected("type reference", "(none)");
    return TypeRef{text(prefix + "_schema"), text(prefix + "_name"),
                   modifiers_of(result_.value(row_, prefix + "_plain"), result_.value(row_, prefix + "_formatted")),
                   flag(prefix + "_array") ? 1 : 0};
  }

  // The columns sequence_columns() selects.
  schema::SequenceOptions sequence_options() const {
    schema::SequenceOptions options;
    options.data_type = TypeRef{"", text("seq_type"), {}, 0};
    options.increment = integer("seq_increment");
    options.min_value = integer("seq_min");
    options.max_value = integer("seq_max");
    options.start = integer("seq_start");
    options.cache = integer("seq_cache");
    options.cycle = flag("seq_cycle");
    return options;
  }

 private:
  const QueryResult& result_;
  int row_;
};

template <typename Visit>
void for_each_row(PostgresConnection& connection, const std::string& sql, Visit visit) {
  const QueryResult result = connection.query(sql);
  for (int row = 0; row < result.rows(); ++row) visit(Row(result, row));
}

schema::Table& table_in(schema::Catalog& catalog, const QualifiedName& name) {
  const auto found = catalog.tables.find(name);
  if (found == catalog.tables.end()) throw DatabaseError("catalog changed while inspected: no table " + name.schema + "." + name.name);
  return found->second;
}

// ---- the inspection session ---------------------------------------------------

// One read-only snapshot, and settings that make the server's printed text
// independent of the session: with an empty search_path every name outside
// pg_catalog is printed qualified.
class InspectionScope {
 public:
  explicit InspectionScope(PostgresConnection& connection)
      : connection_(connection), own_transaction_(!connection.in_transaction()) {
    connection_.exec(own_transaction_ ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "SAVEPOINT strata_inspect");
    // SET LOCAL ends with the transaction, or with ROLLBACK TO the savepoint.
    connection_.exec(
        "SET LOCAL search_path = ''; SET LOCAL quote_all_identifiers = off; SET LOCAL DateStyle = 'ISO, MDY';"
        " SET LOCAL IntervalStyle = 'postgres'; SET LOCAL TimeZone = 'UTC'; SET LOCAL extra_float_digits = 1;"
        " SET LOCAL bytea_output = 'hex';"
        // compiling the large catalog queries would cost more than running them
        " SET LOCAL jit = off");
  }
  ~InspectionScope() {
    try {
      connection_.exec(own_transaction_ ? "ROLLBACK"
                                        : "ROLLBACK TO SAVEPOINT strata_inspect; RELEASE SAVEPOINT strata_inspect");
    } catch (const DatabaseError&) {
      // A broken connection has no session left to restore.
    }
  }
  InspectionScope(const InspectionScope&) = delete;
  InspectionScope& operator=(const InspectionScope&) = delete;

 private:
  PostgresConnection& connection_;
  bool own_transaction_;
};

// ---- one reader per kind of object ----------------------------------------------

void read_schemas(PostgresConnection& connection, schema::Catalog& catalog) {
  for_each_row(connection,
               "SELECT n.nspname AS name, d.description AS comment FROM pg_namespace n" +
                   comment_join("pg_namespace", "n.oid") + "WHERE " + user_namespace("n") + " AND " +
                   not_in_extension("pg_namespace", "n.oid"),
               [&](const Row& row) {
                 const std::string name = row.text("name");
                 catalog.schemas[name] = schema::Schema{name, row.optional_text("comment")};
               });
}

void read_extensions(PostgresConnection& connection, schema::Catalog& catalog) {
  // CREATE EXTENSION comments the extension with its control file's comment:
  // that one is the extension's own, not the user's, and is left out.
  for_each_row(connection,
               "SELECT x.extname AS name, n.nspname AS schema, x.extversion AS version,"
               " CASE WHEN d.description IS DISTINCT FROM (SELECT available.comment FROM pg_available_extensions"
               " available WHERE available.name = x.extname) THEN d.description END AS comment"
               " FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace" +
                   comment_join("pg_extension", "x.oid") + "WHERE x.extname <> 'plpgsql'",
               [&](const Row& row) {
                 const std::string name = row.text("name");
                 catalog.extensions[name] = schema::Extension{name, row.text("schema"), row.text("version"),
                                                              row.optional_text("comment")};
               });
}

void read_enums(PostgresConnection& connection, schema::Catalog& catalog) {
  for_each_row(connection,
               "SELECT n.nspname AS schema, t.typname AS name,"
               " ARRAY(SELECT l.enumlabel FROM pg_enum l WHERE l.enumtypid = t.oid ORDER BY l.enumsortorder) AS labels,"
               " d.description AS comment"
               " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace" +
                   comment_join("pg_type", "t.oid") + "WHERE t.typtype = 'e' AND " + user_namespace("n") + " AND " +
                   not_in_extension("pg_type", "t.oid"),
               [&](const Row& row) {
                 const QualifiedName name = row.name("schema", "name");
                 catalog.enums[name] = schema::Enum{name, row.text_array("labels"), row.optional_text("comment")};
               });
}

void read_domains(PostgresConnection& connection, schema::Catalog& catalog) {
  const std::string domain_filter =
      "t.typtype = 'd' AND " + user_namespace("n") + " AND " + not_in_extension("pg_type", "t.oid");
  const TypeSql base = type_sql("base", "t.typbasetype", "t.typtypmod");
  for_each_row(connection,
               "SELECT n.nspname AS schema, t.typname AS name, " + base.select +
                   ", CASE WHEN t.typcollation <> base_type.typcollation THEN " + collation_name("t.typcollation") +
                   " END AS collation, t.typnotnull AS not_null, pg_get_expr(t.typdefaultbin, 0) AS default_expr,"
                   " d.description AS comment"
                   " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                   " JOIN pg_type base_type ON base_type.oid = t.typbasetype" +
                   base.join + comment_join("pg_type", "t.oid") + "WHERE " + domain_filter,
               [&](const Row& row) {
                 schema::Domain domain;
                 domain.name = row.name("schema", "name");
                 domain.base_type = row.type("base");
                 domain.collation = row.optional_text("collation");
                 domain.not_null = row.flag("not_null");
                 domain.default_expr = row.optional_default("default_expr", domain.base_type, catalog);
                 domain.comment = row.optional_text("comment");
                 catalog.domains[domain.name] = std::move(domain);
               });
  for_each_row(connection,
               "SELECT n.nspname AS schema, t.typname AS name, c.conname AS check_name,"
               " pg_get_expr(c.conbin, 0) AS expression"
               " FROM pg_constraint c JOIN pg_type t ON t.oid = c.contypid"
               " JOIN pg_namespace n ON n.oid = t.typnamespace"
               " WHERE c.contype = 'c' AND " +
                   domain_filter + " ORDER BY n.nspname, t.typname, c.conname",
               [&](const Row& row) {
                 catalog.domains.at(row.name("schema", "name"))
                     .checks.push_back(schema::DomainCheck{row.text("check_name"), row.expression("expression")});
               });
}

void read_composite_types(PostgresConnection& connection, schema::Catalog& catalog) {
  const TypeSql attribute_type = type_sql("ty", "a.atttypid", "a.atttypmod");
  for_each_row(
      connection,
      "SELECT n.nspname AS schema, t.typname AS name, d.description AS comment, a.attname AS attribute, " +
          attribute_type.select + ", CASE WHEN a.attcollation <> at.typcollation THEN " +
          collation_name("a.attcollation") +
          " END AS collation"
          " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
          " JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'"
          " LEFT JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped"
          " LEFT JOIN pg_type at ON at.oid = a.atttypid" +
          attribute_type.join + comment_join("pg_type", "t.oid") + "WHERE t.typtype = 'c' AND " +
          user_namespace("n") + " AND " + not_in_extension("pg_type", "t.oid") +
          " ORDER BY n.nspname, t.typname, a.attnum",
      [&](const Row& row) {
        const QualifiedName name = row.name("schema", "name");
        schema::CompositeType& type = catalog.composite_types[name];
        type.name = name;
        type.comment = row.optional_text("comment");
        if (row.is_null("attribute")) return;  // CREATE TYPE t AS ()
        type.attributes.push_back(
            schema::CompositeAttribute{row.text("attribute"), row.type("ty"), row.optional_text("collation")});
      });
}

void read_sequences(PostgresConnection& connection, schema::Catalog& catalog) {
  // A sequence's owner is an 'a' (OWNED BY, serial) or 'i' (identity)
  // dependency on a column; identity sequences are their column's business.
  for_each_row(connection,
               "SELECT n.nspname AS schema, c.relname AS name, " + sequence_columns("s") +
                   ", owner_ns.nspname AS owner_schema, owner_table.relname AS owner_table,"
                   " owner_column.attname AS owner_column, d.description AS comment"
                   " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                   " JOIN pg_sequence s ON s.seqrelid = c.oid"
                   " LEFT JOIN pg_depend owner ON owner.classid = 'pg_class'::regclass AND owner.objid = c.oid"
                   " AND owner.refclassid = 'pg_class'::regclass AND owner.refobjsubid > 0"
                   " AND owner.deptype IN ('a', 'i')"
                   " LEFT JOIN pg_class owner_table ON owner_table.oid = owner.refobjid"
                   " LEFT JOIN pg_namespace owner_ns ON owner_ns.oid = owner_table.relnamespace"
                   " LEFT JOIN pg_attribute owner_column ON owner_column.attrelid = owner.refobjid"
                   " AND owner_column.attnum = owner.refobjsubid" +
                   comment_join("pg_class", "c.oid") +
                   "WHERE c.relkind = 'S' AND owner.deptype IS DISTINCT FROM 'i' AND " + user_relation("c", "n"),
               [&](const Row& row) {
                 schema::Sequence sequence;
                 sequence.name = row.name("schema", "name");
                 sequence.options = row.sequence_options();
                 if (!row.is_null("owner_column"))
                   sequence.owned_by = schema::ColumnRef{row.name("owner_schema", "owner_table"), row.text("owner_column")};
                 sequence.comment = row.optional_text("comment");
                 catalog.sequences[sequence.name] = std::move(sequence);
               });
}

void read_tables(PostgresConnection& connection, schema::Catalog& catalog) {
  for_each_row(connection,
               "SELECT n.nspname AS schema, c.relname AS name, c.relpersistence = 'u' AS unlogged,"
               " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,"
               " CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,"
               " c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,"
               " d.description AS comment"
               " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" +
                   comment_join("pg_class", "c.oid") + "WHERE " + kTableKinds + " AND " + user_relation("c", "n"),
               [&](const Row& row) {
                 schema::Table table;
                 table.name = row.name("schema", "name");
                 table.unlogged = row.flag("unlogged");
                 table.partition_by = row.optional_text("partition_by");
                 table.partition_bound = row.optional_text("partition_bound");
                 table.row_security = row.flag("row_security");
                 table.force_row_security = row.flag("force_row_security");
                 table.comment = row.optional_text("comment");
                 catalog.tables[table.name] = std::move(table);
               });

  for_each_row(connection,
               "SELECT n.nspname AS schema, c.relname AS name, parent_ns.nspname AS parent_schema,"
               " parent.relname AS parent_name"
               " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
               " JOIN pg_namespace n ON n.oid = c.relnamespace"
               " JOIN pg_class parent ON parent.oid = i.inhparent"
               " JOIN pg_namespace parent_ns ON parent_ns.oid = parent.relnamespace"
               " WHERE " +
                   kTableKinds + " AND " + user_relation("c", "n") + " ORDER BY n.nspname, c.relname, i.inhseqno",
               [&](const Row& row) {
                 table_in(catalog, row.name("schema", "name")).inherits.push_back(row.name("parent_schema", "parent_name"));
               });
}

schema::IdentityKind identity_kind(char attidentity) {
  return attidentity == 'a' ? schema::IdentityKind::Always : schema::IdentityKind::ByDefault;
}

void read_columns(PostgresConnection& connection, schema::Catalog& catalog) {
  const TypeSql column_type = type_sql("ty", "a.atttypid", "a.atttypmod");
  for_each_row(
      connection,
      "SELECT n.nspname AS schema, c.relname AS table_name, a.attname AS name, " + column_type.select +
          ", CASE WHEN a.attcollation <> t.typcollation THEN " + collation_name("a.attcollation") +
          " END AS collation, a.attnotnull AS not_null, a.attislocal AS local, a.attidentity AS identity,"
          " a.attgenerated AS generated,"
          " pg_get_expr(ad.adbin, ad.adrelid) AS expression, " +
          sequence_columns("s") +
          ", d.description AS comment"
          " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
          " JOIN pg_namespace n ON n.oid = c.relnamespace"
          " JOIN pg_type t ON t.oid = a.atttypid" +
          column_type.join +
          " LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
          " LEFT JOIN pg_depend identity_dep ON a.attidentity <> ''"
          " AND identity_dep.refclassid = 'pg_class'::regclass AND identity_dep.refobjid = a.attrelid"
          " AND identity_dep.refobjsubid = a.attnum AND identity_dep.classid = 'pg_class'::regclass"
          " AND identity_dep.deptype = 'i'"
          " LEFT JOIN pg_sequence s ON s.seqrelid = identity_dep.objid" +
          comment_join("pg_class", "c.oid", "a.attnum") + "WHERE " + kTableKinds +
          " AND a.attnum > 0 AND NOT a.attisdropped AND " + user_relation("c", "n") +
          " ORDER BY n.nspname, c.relname, a.attnum",
      [&](const Row& row) {
        schema::Column column;
        column.name = row.text("name");
        column.type = row.type("ty");
        column.collation = row.optional_text("collation");
        column.not_null = row.flag("not_null");
        column.origin.local = row.flag("local");
        if (row.character("generated") == 's')
          column.generated_expr = row.optional_expression("expression");
        else
          column.default_expr = row.optional_default("expression", column.type, catalog);
        if (const char identity = row.character("identity"); identity != '\0') {
          if (row.is_null("seq_type")) throw DatabaseError("identity column " + column.name + " has no sequence");
          column.identity = schema::Identity{identity_kind(identity), row.sequence_options()};
        }
        column.comment = row.optional_text("comment");
        table_in(catalog, row.name("schema", "table_name")).columns.push_back(std::move(column));
      });
}

schema::ReferentialAction referential_action(char code) {
  switch (code) {
    case 'r': return schema::ReferentialAction::Restrict;
    case 'c': return schema::ReferentialAction::Cascade;
    case 'n': return schema::ReferentialAction::SetNull;
    case 'd': return schema::ReferentialAction::SetDefault;
    case 'a': return schema::ReferentialAction::NoAction;
  }
  unexpected("referential action", std::string(1, code));
}

schema::MatchType match_type(char code) {
  switch (code) {
    case 'f': return schema::MatchType::Full;
    case 'p': return schema::MatchType::Partial;
    case 's': return schema::MatchType::Simple;
  }
  unexpected("foreign key match type", std::string(1, code));
}

// The attribute names of the key columns `attnums` (an int2[] expression) of
// relation `relid`, in key order.
std::string attribute_names(const std::string& attnums, const std::string& relid, const std::string& condition = "") {
  return "ARRAY(SELECT a.attname FROM unnest(" + attnums +
         ") WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = " + relid +
         " AND a.attnum = k.attnum " + condition + " ORDER BY k.ord)";
}

schema::ConstraintBody constraint_body(const Row& row) {
  const char type = row.character("type");
  switch (type) {
    case 'p': return schema::PrimaryKey{row.text_array("columns"), row.text_array("include")};
    case 'u':
      return schema::UniqueKey{row.text_array("columns"), row.text_array("include"), row.flag("nulls_not_distinct")};
    case 'c': return schema::Check{row.expression("check_expr"), row.flag("no_inherit")};
    case 'f':
      return schema::ForeignKey{row.text_array("columns"),
                                row.name("ref_schema", "ref_table"),
                                row.text_array("ref_columns"),
                                referential_action(row.character("on_delete")),
                                referential_action(row.character("on_update")),
                                match_type(row.character("match"))};
    case 'x': {
      schema::Exclusion exclusion;
      exclusion.method = row.text("method");
      const std::vector<std::string> elements = row.text_array("exclusion_elements");
      const std::vector<std::string> operators = row.text_array("exclusion_operators");
      if (elements.size() != operators.size()) unexpected("exclusion constraint", row.text("name"));
      for (std::size_t i = 0; i < elements.size(); ++i) exclusion.elements.push_back({elements[i], operators[i]});
      exclusion.include = row.text_array("include");
      exclusion.where = row.optional_expression("predicate");
      return exclusion;
    }
  }
  unexpected("constraint type", std::string(1, type));
}

void read_constraints(PostgresConnection& connection, schema::Catalog& catalog) {
  // Constraints a partition inherits from its parent (conparentid) are the
  // parent's; PRIMARY KEY, UNIQUE and EXCLUDE read their INCLUDE columns,
  // NULLS NOT DISTINCT and predicate from the index behind them.
  for_each_row(
      connection,
      "SELECT n.nspname AS schema, c.relname AS table_name, con.conname AS name, con.contype AS type,"
      " con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated, " +
          attribute_names("con.conkey", "con.conrelid") + " AS columns, " +
          attribute_names("i.indkey::int2[]", "i.indrelid", "WHERE k.ord > i.indnkeyatts") +
          " AS include, i.indnullsnotdistinct AS nulls_not_distinct,"
          " pg_get_expr(con.conbin, con.conrelid) AS check_expr, con.connoinherit AS no_inherit,"
          " ref_ns.nspname AS ref_schema, ref.relname AS ref_table, " +
          attribute_names("con.confkey", "con.confrelid") +
          " AS ref_columns, con.confupdtype AS on_update, con.confdeltype AS on_delete,"
          " con.confmatchtype AS match, am.amname AS method,"
          " CASE WHEN con.contype = 'x' THEN ARRAY(SELECT CASE WHEN k.attnum = 0"
          " THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname::text END"
          " FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
          " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
          " WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) END AS exclusion_elements,"
          " ARRAY(SELECT o.oprname FROM unnest(con.conexclop) WITH ORDINALITY x(operator_oid, ord)"
          " JOIN pg_operator o ON o.oid = x.operator_oid ORDER BY x.ord) AS exclusion_operators,"
          " pg_get_expr(i.indpred, i.indrelid) AS predicate, d.description AS comment"
          " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
          " JOIN pg_namespace n ON n.oid = c.relnamespace"
          " LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype IN ('p', 'u', 'x')"
          " LEFT JOIN pg_class index_class ON index_class.oid = i.indexrelid"
          " LEFT JOIN pg_am am ON am.oid = index_class.relam"
          " LEFT JOIN pg_class ref ON ref.oid = con.confrelid"
          " LEFT JOIN pg_namespace ref_ns ON ref_ns.oid = ref.relnamespace" +
          comment_join("pg_constraint", "con.oid") +
          "WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conparentid = 0 AND " + kTableKinds + " AND " +
          user_relation("c", "n") + " ORDER BY n.nspname, c.relname, con.conname",
      [&](const Row& row) {
        schema::Constraint constraint;
        constraint.name = row.text("name");
        constraint.body = constraint_body(row);
        constraint.deferrable = row.flag("deferrable");
        constraint.initially_deferred = row.flag("deferred");
        constraint.not_valid = !row.flag("validated");
        constraint.comment = row.optional_text("comment");
        table_in(catalog, row.name("schema", "table_name")).constraints.push_back(std::move(constraint));
      });
}

// Indexes that are objects of their own: not the index behind a constraint,
// not a partition's copy of its parent's index.
std::string standalone_index_filter() {
  return "c.relkind IN ('r', 'p', 'm') AND NOT index_class.relispartition AND NOT EXISTS (SELECT FROM pg_constraint"
         " backing WHERE backing.conindid = i.indexrelid AND backing.contype IN ('p', 'u', 'x')) AND " +
         user_relation("c", "n");
}

// pg_index.indoption bits.
constexpr std::int64_t kIndexOptionDesc = 1;
constexpr std::int64_t kIndexOptionNullsFirst = 2;

void read_indexes(PostgresConnection& connection, schema::Catalog& catalog) {
  const std::string from =
      " FROM pg_index i JOIN pg_class index_class ON index_class.oid = i.indexrelid"
      " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace";
  for_each_row(connection,
               "SELECT n.nspname AS schema, index_class.relname AS name, c.relname AS table_name,"
               " i.indisunique AS is_unique, am.amname AS method, i.indnullsnotdistinct AS nulls_not_distinct,"
               " pg_get_expr(i.indpred, i.indrelid) AS predicate, index_class.reloptions AS storage,"
               " d.description AS comment" +
                   from + " JOIN pg_am am ON am.oid = index_class.relam" +
                   comment_join("pg_class", "index_class.oid") + "WHERE " + standalone_index_filter(),
               [&](const Row& row) {
                 schema::Index index;
                 index.name = row.name("schema", "name");
                 index.table = row.name("schema", "table_name");
                 index.unique = row.flag("is_unique");
                 index.method = row.text("method");
                 index.where = row.optional_expression("predicate");
                 index.nulls_not_distinct = row.flag("nulls_not_distinct");
                 index.options = row.text_array("storage");
                 std::sort(index.options.begin(), index.options.end());
                 index.comment = row.optional_text("comment");
                 catalog.indexes[index.name] = std::move(index);
               });

  // indclass, indoption and indcollation are 0-based vectors over the key
  // columns only; the INCLUDE columns follow the keys in indkey. An
  // expression's own collation is its type's: the operator class's input type
  // (the index column may store another, gin_trgm_ops keeps integers), or
  // the index column's where that input type is polymorphic (anyarray).
  const std::string key = "i.indcollation[(k.ord - 1)::int]";
  for_each_row(
      connection,
      "SELECT n.nspname AS schema, index_class.relname AS index_name, k.ord > i.indnkeyatts AS is_include,"
      " a.attname AS column_name,"
      " CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) END AS expression,"
      " CASE WHEN NOT opc.opcdefault THEN CASE WHEN opc_ns.nspname = 'pg_catalog' THEN opc.opcname::text"
      " ELSE opc_ns.nspname || '.' || opc.opcname END END AS opclass,"
      " i.indoption[(k.ord - 1)::int] AS options,"
      " CASE WHEN " +
          key +
          " <> COALESCE(a.attcollation, CASE WHEN input_type.typtype = 'p' THEN expression_type.typcollation"
          " ELSE input_type.typcollation END) THEN " + collation_name(key) +
          " END AS collation" + from +
          " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
          " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0"
          " LEFT JOIN pg_attribute index_column ON index_column.attrelid = i.indexrelid AND index_column.attnum = k.ord"
          " LEFT JOIN pg_type expression_type ON expression_type.oid = index_column.atttypid"
          " LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[(k.ord - 1)::int]"
          " LEFT JOIN pg_namespace opc_ns ON opc_ns.oid = opc.opcnamespace"
          " LEFT JOIN pg_type input_type ON input_type.oid = opc.opcintype"
          " WHERE " +
          standalone_index_filter() + " ORDER BY n.nspname, index_class.relname, k.ord",
      [&](const Row& row) {
        schema::Index& index = catalog.indexes.at(row.name("schema", "index_name"));
        if (row.flag("is_include")) {
          index.include.push_back(row.text("column_name"));
          return;
        }
        schema::IndexElement element;
        if (row.is_null("expression"))
          element.column = row.text("column_name");
        else
          element.expression = row.expression("expression");
        element.collation = row.optional_text("collation");
        element.opclass = row.optional_text("opclass");
        // ASC is the default order; NULLS LAST goes with ASC, NULLS FIRST with DESC.
        const std::int64_t options = row.integer("options");
        const bool descending = (options & kIndexOptionDesc) != 0;
        const bool nulls_first = (options & kIndexOptionNullsFirst) != 0;
        if (descending) element.order = schema::SortOrder::Desc;
        if (nulls_first != descending) element.nulls = nulls_first ? schema::NullsOrder::First : schema::NullsOrder::Last;
        index.elements.push_back(std::move(element));
      });
}

// pg_get_viewdef(view, true) prints " SELECT ...;".
std::string view_query(std::string_view definition) {
  while (!definition.empty() && (definition.front() == ' ' || definition.front() == '\n')) definition.remove_prefix(1);
  while (!definition.empty() && (definition.back() == ' ' || definition.back() == '\n' || definition.back() == ';'))
    definition.remove_suffix(1);
  return std::string(definition);
}

void read_views(PostgresConnection& connection, schema::Catalog& catalog) {
  for_each_row(connection,
               "SELECT n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,"
               " pg_get_viewdef(c.oid, true) AS query, c.reloptions AS options,"
               " ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
               " AND NOT a.attisdropped ORDER BY a.attnum) AS column_names, d.description AS comment"
               " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" +
                   comment_join("pg_class", "c.oid") + "WHERE c.relkind IN ('v', 'm') AND " + user_relation("c", "n"),
               [&](const Row& row) {
                 schema::View view;
                 view.name = row.name("schema", "name");
                 view.query = parser::canonical_query(view_query(row.text("query")));
                 view.column_names = row.text_array("column_names");
                 view.materialized = row.flag("materialized");
                 constexpr std::string_view kCheckOption = "check_option=";
                 for (auto& option : row.text_array("options")) {
                   if (option.starts_with(kCheckOption))
                     view.check_option = option.substr(kCheckOption.size());
                   else
                     view.options.push_back(std::move(option));
                 }
                 view.comment = row.optional_text("comment");
                 catalog.views[view.name] = std::move(view);
               });
  // What a view reads, as the front end records it: the user relations and
  // routines its rewrite rule depends on, other than the view itself.
  for_each_row(connection,
               "SELECT DISTINCT n.nspname AS schema, c.relname AS name, p.oid IS NOT NULL AS is_function,"
               " COALESCE(ref_ns.nspname, routine_ns.nspname) AS ref_schema, COALESCE(ref.relname, p.proname) AS ref_name"
               " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
               " JOIN pg_rewrite rule ON rule.ev_class = c.oid"
               " JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rule.oid AND dep.deptype = 'n'"
               " LEFT JOIN pg_class ref ON dep.refclassid = 'pg_class'::regclass AND ref.oid = dep.refobjid"
               " AND ref.oid <> c.oid LEFT JOIN pg_namespace ref_ns ON ref_ns.oid = ref.relnamespace"
               " LEFT JOIN pg_proc p ON dep.refclassid = 'pg_proc'::regclass AND p.oid = dep.refobjid"
               " LEFT JOIN pg_namespace routine_ns ON routine_ns.oid = p.pronamespace"
               " WHERE c.relkind IN ('v', 'm') AND " +
                   user_relation("c", "n") + " AND ((ref.oid IS NOT NULL AND " + user_relation("ref", "ref_ns") +
                   ") OR (p.oid IS NOT NULL AND " + user_namespace("routine_ns") + " AND " +
                   not_in_extension("pg_proc", "p.oid") + "))",
               [&](const Row& row) {
                 schema::Dependencies& depends_on = catalog.views.at(row.name("schema", "name")).depends_on;
                 (row.flag("is_function") ? depends_on.functions : depends_on.relations)
                     .push_back(row.name("ref_schema", "ref_name"));
               });
  for (auto& entry : catalog.views) {
    schema::Dependencies& depends_on = entry.second.depends_on;
    std::sort(depends_on.relations.begin(), depends_on.relations.end());
    std::sort(depends_on.functions.begin(), depends_on.functions.end());
  }
}

schema::ArgMode arg_mode(char code) {
  switch (code) {
    case 'i': return schema::ArgMode::In;
    case 'o': return schema::ArgMode::Out;
    case 'b': return schema::ArgMode::InOut;
    case 'v': return schema::ArgMode::Variadic;
    case 't': return schema::ArgMode::Table;
  }
  unexpected("argument mode", std::string(1, code));
}

// The attribute list as pg_get_functiondef prints it, defaults left out.
std::vector<std::string> routine_options(const Row& row) {
  std::vector<std::string> options;
  if (const char volatility = row.character("volatility"); volatility == 'i')
    options.emplace_back("IMMUTABLE");
  else if (volatility == 's')
    options.emplace_back("STABLE");
  if (const char parallel = row.character("parallel"); parallel == 's')
    options.emplace_back("PARALLEL SAFE");
  else if (parallel == 'r')
    options.emplace_back("PARALLEL RESTRICTED");
  if (row.flag("strict")) options.emplace_back("STRICT");
  if (row.flag("security_definer")) options.emplace_back("SECURITY DEFINER");
  if (row.flag("leakproof")) options.emplace_back("LEAKPROOF");
  if (const auto cost = row.optional_text("cost")) options.push_back("COST " + *cost);
  if (const auto rows = row.optional_text("result_rows")) options.push_back("ROWS " + *rows);
  if (const auto support = row.optional_text("support")) options.push_back("SUPPORT " + *support);
  for (const auto& setting : row.text_array("config")) options.push_back("SET " + setting);
  return options;
}

void read_functions(PostgresConnection& connection, schema::Catalog& catalog) {
  const std::string from =
      " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
      " JOIN pg_language l ON l.oid = p.prolang";
  const std::string filter =
      " WHERE p.prokind IN ('f', 'p') AND " + user_namespace("n") + " AND " + not_in_extension("pg_proc", "p.oid");
  const TypeSql result_type = type_sql("ret", "p.prorettype", "-1");
  std::unordered_map<std::string, schema::Function> functions_by_oid;
  for_each_row(connection,
               "SELECT p.oid AS oid, n.nspname AS schema, p.proname AS name, p.prokind AS kind,"
               " l.lanname AS language, p.proretset AS returns_set, " +
                   result_type.select +
                   ", CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END"
                   " AS body, p.provolatile AS volatility, p.proparallel AS parallel, p.proisstrict AS strict,"
                   " p.prosecdef AS security_definer, p.proleakproof AS leakproof,"
                   // the defaults CREATE FUNCTION applies: cost 1 for C and internal, 100 otherwise
                   " CASE WHEN p.procost <> CASE WHEN l.lanname IN ('c', 'internal') THEN 1 ELSE 100 END"
                   " THEN p.procost::text END AS cost,"
                   " CASE WHEN p.prorows > 0 AND p.prorows <> 1000 THEN p.prorows::text END AS result_rows,"
                   " CASE WHEN p.prosupport <> 0 THEN p.prosupport::regproc::text END AS support,"
                   " p.proconfig AS config, d.description AS comment" +
                   from + result_type.join + comment_join("pg_proc", "p.oid") + filter,
               [&](const Row& row) {
                 schema::Function function;
                 function.name = row.name("schema", "name");
                 function.kind =
                     row.character("kind") == 'p' ? schema::RoutineKind::Procedure : schema::RoutineKind::Function;
                 function.returns = row.type("ret");
                 function.returns_set = row.flag("returns_set");
                 function.language = row.text("language");
                 function.body = row.text("body");
                 function.options = routine_options(row);
                 function.comment = row.optional_text("comment");
                 functions_by_oid.emplace(row.text("oid"), std::move(function));
               });

  // proallargtypes lists every argument but is NULL when all are IN;
  // pg_get_function_arg_default counts every argument too.
  const TypeSql arg_type = type_sql("arg", "x.type_oid", "-1");
  for_each_row(connection,
               "SELECT p.oid AS oid, COALESCE(p.proargmodes[x.ord::int], 'i') AS mode,"
               " COALESCE(p.proargnames[x.ord::int], '') AS name, " +
                   arg_type.select +
                   ", pg_get_function_arg_default(p.oid, x.ord::int) AS default_expr" + from +
                   " CROSS JOIN LATERAL unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]))"
                   " WITH ORDINALITY x(type_oid, ord)" +
                   arg_type.join + filter + " ORDER BY p.oid, x.ord",
               [&](const Row& row) {
                 functions_by_oid.at(row.text("oid"))
                     .args.push_back(schema::FunctionArg{arg_mode(row.character("mode")), row.text("name"),
                                                         row.type("arg"),
                                                         row.optional_default("default_expr", row.type("arg"), catalog)});
               });

  for (auto& [oid, function] : functions_by_oid) {
    const bool has_output_args = std::any_of(function.args.begin(), function.args.end(), [](const auto& arg) {
      return arg.mode == schema::ArgMode::Out || arg.mode == schema::ArgMode::InOut ||
             arg.mode == schema::ArgMode::Table;
    });
    if (function.kind == schema::RoutineKind::Procedure || has_output_args) function.returns.reset();
    catalog.functions[function.signature()] = std::move(function);
  }
}

namespace tgtype = schema::trigger_type;

// The condition of "... WHEN (<condition>) EXECUTE FUNCTION f(args)": the
// server keeps WHEN only as a parse tree over OLD and NEW, which pg_get_expr
// cannot print. (A literal argument containing ") EXECUTE FUNCTION " would
// mislead the search from the end.)
std::string when_condition(std::string_view definition) {
  constexpr std::string_view kWhen = " WHEN (";
  const std::size_t start = definition.find(kWhen);
  const std::size_t end = definition.rfind(") EXECUTE FUNCTION ");
  if (start == std::string_view::npos || end == std::string_view::npos || end < start + kWhen.size())
    unexpected("trigger definition", definition);
  return std::string(definition.substr(start + kWhen.size(), end - start - kWhen.size()));
}

// tgargs holds each argument followed by a NUL byte.
std::vector<std::string> trigger_arguments(std::string_view tgargs, std::int64_t count) {
  const std::string bytes = decode_bytea(tgargs);
  std::vector<std::string> arguments;
  std::size_t start = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::size_t end = bytes.find('\0', start);
    if (end == std::string::npos) unexpected("trigger arguments", tgargs);
    arguments.push_back(bytes.substr(start, end - start));
    start = end + 1;
  }
  return arguments;
}

void read_triggers(PostgresConnection& connection, schema::Catalog& catalog) {
  // Internal triggers implement foreign keys; a partition's copies of its
  // parent's triggers (tgparentid) are the parent's.
  for_each_row(connection,
               "SELECT n.nspname AS schema, c.relname AS table_name, t.tgname AS name, t.tgtype AS type, " +
                   attribute_names("t.tgattr::int2[]", "t.tgrelid") +
                   " AS update_columns, CASE WHEN t.tgqual IS NOT NULL THEN pg_get_triggerdef(t.oid) END AS definition,"
                   " function_ns.nspname AS function_schema, f.proname AS function_name, t.tgnargs AS nargs,"
                   " t.tgargs AS args, t.tgconstraint <> 0 AS constraint_trigger, t.tgdeferrable AS deferrable,"
                   " t.tginitdeferred AS deferred, d.description AS comment"
                   " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                   " JOIN pg_namespace n ON n.oid = c.relnamespace"
                   " JOIN pg_proc f ON f.oid = t.tgfoid JOIN pg_namespace function_ns ON function_ns.oid = f.pronamespace" +
                   comment_join("pg_trigger", "t.oid") +
                   "WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND " + user_relation("c", "n"),
               [&](const Row& row) {
                 schema::Trigger trigger;
                 trigger.name = row.text("name");
                 trigger.table = row.name("schema", "table_name");
                 const std::int64_t type = row.integer("type");
                 trigger.timing = (type & tgtype::kInstead) != 0  ? schema::TriggerTiming::InsteadOf
                                  : (type & tgtype::kBefore) != 0 ? schema::TriggerTiming::Before
                                                                 : schema::TriggerTiming::After;
                 trigger.events = tgtype::events(type, row.text_array("update_columns"));
                 trigger.for_each_row = (type & tgtype::kRow) != 0;
                 if (const auto definition = row.optional_text("definition")) trigger.when = parser::canonical_expression(when_condition(*definition));
                 trigger.function = row.name("function_schema", "function_name");
                 trigger.function_args = trigger_arguments(row.text("args"), row.integer("nargs"));
                 trigger.constraint_trigger = row.flag("constraint_trigger");
                 trigger.deferrable = row.flag("deferrable");
                 trigger.initially_deferred = row.flag("deferred");
                 trigger.comment = row.optional_text("comment");
                 catalog.triggers[schema::TriggerKey{trigger.table, trigger.name}] = std::move(trigger);
               });
}

void read_policies(PostgresConnection& connection, schema::Catalog& catalog) {
  for_each_row(connection,
               "SELECT n.nspname AS schema, c.relname AS table_name, p.polname AS name,"
               " p.polpermissive AS permissive,"
               " CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'"
               " WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,"
               " ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END"
               " FROM unnest(p.polroles) r ORDER BY 1) AS roles,"
               " pg_get_expr(p.polqual, p.polrelid) AS using_expr,"
               " pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr, d.description AS comment"
               " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace" +
                   comment_join("pg_policy", "p.oid") + "WHERE " + user_relation("c", "n"),
               [&](const Row& row) {
                 schema::Policy policy;
                 policy.name = row.text("name");
                 policy.table = row.name("schema", "table_name");
                 policy.permissive = row.flag("permissive");
                 policy.command = row.text("command");
                 policy.roles = row.text_array("roles");
                 policy.using_expr = row.optional_expression("using_expr");
                 policy.check_expr = row.optional_expression("check_expr");
                 policy.comment = row.optional_text("comment");
                 catalog.policies[schema::TriggerKey{policy.table, policy.name}] = std::move(policy);
               });
}

}  // namespace

schema::Catalog inspect_postgres(PostgresConnection& connection) {
  // The queries read catalog columns that PostgreSQL 15 added (indnullsnotdistinct).
  if (connection.server_version() < 150000)
    throw DatabaseError("inspecting a database needs PostgreSQL 15 or later (server version " +
                        std::to_string(connection.server_version()) + ")");
  const InspectionScope scope(connection);
  schema::Catalog catalog;
  read_schemas(connection, catalog);
  read_extensions(connection, catalog);
  read_enums(connection, catalog);
  read_domains(connection, catalog);
  read_composite_types(connection, catalog);
  read_sequences(connection, catalog);
  read_tables(connection, catalog);
  read_columns(connection, catalog);
  read_constraints(connection, catalog);
  read_indexes(connection, catalog);
  read_views(connection, catalog);
  read_functions(connection, catalog);
  read_triggers(connection, catalog);
  read_policies(connection, catalog);
  return catalog;
}

}  // namespace strata::runtime
