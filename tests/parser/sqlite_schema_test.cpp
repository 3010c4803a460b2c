// The SQLite front end (load_sqlite_schema, read_sqlite_catalog) and the
// SQLite DDL printer (sqlite_catalog_sql): what SQLite reports is read into the
// catalog in its canonical form, and printing then loading again gives the
// same catalog, on hand-written schemas and on the shared corpus.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "strata/parser/sqlite_catalog.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/schema/error.h"
#include "strata/schema/sqlite_printer.h"

namespace strata::parser {
namespace {

using schema::Catalog;
using schema::Constraint;
using schema::QualifiedName;

QualifiedName main_name(const std::string& name) { return QualifiedName{"main", name}; }

Catalog load(const std::string& text, std::vector<Warning>* warnings_out = nullptr) {
  std::vector<Warning> warnings;
  Catalog catalog = load_sqlite_schema({SourceFile{"schema.sql", text}}, warnings);
  if (warnings_out != nullptr) *warnings_out = warnings;
  return catalog;
}

const schema::Table& table(const Catalog& catalog, const std::string& name) {
  const auto found = catalog.tables.find(main_name(name));
  if (found == catalog.tables.end()) throw std::runtime_error("no table " + name);
  return found->second;
}

const schema::Column& column(const schema::Table& table, const std::string& name) {
  const schema::Column* found = table.find_column(name);
  if (found == nullptr) throw std::runtime_error("no column " + name);
  return *found;
}

template <typename Body>
std::vector<std::pair<const Constraint*, const Body*>> constraints_of(const schema::Table& table) {
  std::vector<std::pair<const Constraint*, const Body*>> out;
  for (const Constraint& constraint : table.constraints)
    if (const auto* body = std::get_if<Body>(&constraint.body)) out.emplace_back(&constraint, body);
  return out;
}

// Loads `text`, prints it, loads the print: both catalogs must be equal.
::testing::AssertionResult round_trips(const std::string& text, const std::string& path = "schema.sql") {
  std::vector<Warning> warnings;
  Catalog first;
  try {
    first = load_sqlite_schema({SourceFile{path, text}}, warnings);
  } catch (const Error& error) {
    return ::testing::AssertionFailure() << "the schema does not load: " << error.render();
  }
  const std::string printed = schema::sqlite_catalog_sql(first);
  Catalog second;
  try {
    second = load_sqlite_schema({SourceFile{"printed.sql", printed}}, warnings);
  } catch (const Error& error) {
    return ::testing::AssertionFailure() << "the printed schema does not load: " << error.render() << "\n"
                                         << printed;
  }
  if (first == second) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "catalogs differ after the round trip\nprinted:\n"
                                       << printed << "\nreprinted:\n"
                                       << schema::sqlite_catalog_sql(second);
}

constexpr const char* kFullSchema = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(255) NOT NULL UNIQUE,
  name TEXT COLLATE NOCASE,
  age INTEGER CHECK (age >= 0),
  score DECIMAL(10, 2) DEFAULT 0.0,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  full_name TEXT GENERATED ALWAYS AS (name || ' <' || email || '>'),
  CONSTRAINT adult CHECK (age IS NULL OR age > 17)
);
CREATE TABLE memberships (
  user_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL,
  role TEXT NOT NULL DEFAULT 'member',
  PRIMARY KEY (group_id, user_id),
  CONSTRAINT memberships_user FOREIGN KEY (user_id) REFERENCES users ON DELETE CASCADE
    DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (group_id) REFERENCES "groups" (id) ON UPDATE SET NULL
);
CREATE TABLE "groups" (id INTEGER PRIMARY KEY, title TEXT, CONSTRAINT title_once UNIQUE (title));
CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_age_desc ON users (age DESC, name);
CREATE INDEX adults ON users (age) WHERE age >= 18;
CREATE VIEW adult_users (user_id, user_name) AS SELECT id, name FROM users WHERE age >= 18;
CREATE VIEW adult_names AS SELECT user_name FROM adult_users;
CREATE TRIGGER users_touch AFTER UPDATE OF name, email ON users
WHEN new.name IS NOT NULL
BEGIN
  UPDATE users SET created_at = CURRENT_TIMESTAMP WHERE id = new.id;
END;
)sql";

TEST(SqliteSchemaTest, ReadsTablesWithTheirKeys) {
  const Catalog catalog = load(kFullSchema);
  EXPECT_EQ(catalog.tables.size(), 4U);  // sqlite_sequence is internal
  EXPECT_EQ(catalog.schemas.count("main"), 1U);

  const schema::Table& users = table(catalog, "users");
  ASSERT_EQ(users.columns.size(), 7U);
  EXPECT_EQ(users.columns[0].name, "id");
  EXPECT_EQ(users.columns[0].type, (schema::TypeRef{.name = "INTEGER"}));
  EXPECT_EQ(column(users, "email").type, (schema::TypeRef{.name = "VARCHAR", .modifiers = {"255"}}));
  EXPECT_TRUE(column(users, "email").not_null);
  EXPECT_EQ(column(users, "score").type, (schema::TypeRef{.name = "DECIMAL", .modifiers = {"10", "2"}}));
  EXPECT_EQ(column(users, "score").default_expr, "0.0");
  EXPECT_EQ(column(users, "created_at").default_expr, "CURRENT_TIMESTAMP");
  EXPECT_EQ(column(users, "name").collation, "NOCASE");
  EXPECT_EQ(column(users, "full_name").generated_expr, "name || ' <' || email || '>'");
  EXPECT_FALSE(column(users, "age").default_expr.has_value());

  const auto primary = constraints_of<schema::PrimaryKey>(users);
  ASSERT_EQ(primary.size(), 1U);
  EXPECT_EQ(primary[0].second->columns, std::vector<std::string>{"id"});
  EXPECT_TRUE(primary[0].second->autoincrement);
  EXPECT_EQ(primary[0].first->name, "");

  const auto unique = constraints_of<schema::UniqueKey>(users);
  ASSERT_EQ(unique.size(), 1U);
  EXPECT_EQ(unique[0].second->columns, std::vector<std::string>{"email"});

  const auto checks = constraints_of<schema::Check>(users);
  ASSERT_EQ(checks.size(), 2U);
  EXPECT_EQ(checks[0].first->name, "");  // unnamed first, then by name
  EXPECT_EQ(checks[0].second->expression, "age >= 0");
  EXPECT_EQ(checks[1].first->name, "adult");
  EXPECT_EQ(checks[1].second->expression, "age IS NULL OR age > 17");

  const schema::Table& memberships = table(catalog, "memberships");
  const auto composite = constraints_of<schema::PrimaryKey>(memberships);
  ASSERT_EQ(composite.size(), 1U);
  EXPECT_EQ(composite[0].second->columns, (std::vector<std::string>{"group_id", "user_id"}));
  EXPECT_FALSE(composite[0].second->autoincrement);
  EXPECT_EQ(column(memberships, "role").default_expr, "'member'");

  const schema::Table& groups = table(catalog, "groups");
  const auto named_unique = constraints_of<schema::UniqueKey>(groups);
  ASSERT_EQ(named_unique.size(), 1U);
  EXPECT_EQ(named_unique[0].first->name, "title_once");
}

TEST(SqliteSchemaTest, ReadsForeignKeys) {
  const Catalog catalog = load(kFullSchema);
  const auto keys = constraints_of<schema::ForeignKey>(table(catalog, "memberships"));
  ASSERT_EQ(keys.size(), 2U);
  // Sorted by columns: group_id before user_id.
  const auto& [to_groups_constraint, to_groups] = keys[0];
  EXPECT_EQ(to_groups_constraint->name, "");
  EXPECT_EQ(to_groups->columns, std::vector<std::string>{"group_id"});
  EXPECT_EQ(to_groups->referenced_table, main_name("groups"));
  EXPECT_EQ(to_groups->referenced_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(to_groups->on_update, schema::ReferentialAction::SetNull);
  EXPECT_EQ(to_groups->on_delete, schema::ReferentialAction::NoAction);
  EXPECT_FALSE(to_groups_constraint->deferrable);

  const auto& [to_users_constraint, to_users] = keys[1];
  EXPECT_EQ(to_users_constraint->name, "memberships_user");
  EXPECT_EQ(to_users->referenced_table, main_name("users"));
  EXPECT_EQ(to_users->referenced_columns, std::vector<std::string>{"id"});  // resolved to the primary key
  EXPECT_EQ(to_users->on_delete, schema::ReferentialAction::Cascade);
  EXPECT_TRUE(to_users_constraint->deferrable);
  EXPECT_TRUE(to_users_constraint->initially_deferred);
}

TEST(SqliteSchemaTest, ReadsStrictAndWithoutRowid) {
  const Catalog catalog = load(kFullSchema);
  const schema::Table& kv = table(catalog, "kv");
  EXPECT_TRUE(kv.strict);
  EXPECT_TRUE(kv.without_rowid);
  EXPECT_TRUE(column(kv, "k").not_null);  // implied by WITHOUT ROWID
  EXPECT_EQ(column(kv, "v").type.name, "ANY");
  EXPECT_FALSE(table(catalog, "users").strict);
  EXPECT_FALSE(table(catalog, "users").without_rowid);
}

TEST(SqliteSchemaTest, ReadsIndexes) {
  const Catalog catalog = load(kFullSchema);
  EXPECT_EQ(catalog.indexes.size(), 3U);  // automatic indexes are constraints, not indexes

  const schema::Index& lower = catalog.indexes.at(main_name("users_email_lower"));
  EXPECT_TRUE(lower.unique);
  EXPECT_EQ(lower.table, main_name("users"));
  ASSERT_EQ(lower.elements.size(), 1U);
  EXPECT_EQ(lower.elements[0].expression, "lower(email)");
  EXPECT_EQ(lower.elements[0].column, "");

  const schema::Index& desc = catalog.indexes.at(main_name("users_age_desc"));
  EXPECT_FALSE(desc.unique);
  ASSERT_EQ(desc.elements.size(), 2U);
  EXPECT_EQ(desc.elements[0].column, "age");
  EXPECT_EQ(desc.elements[0].order, schema::SortOrder::Desc);
  EXPECT_EQ(desc.elements[1].column, "name");
  EXPECT_EQ(desc.elements[1].order, schema::SortOrder::Default);
  EXPECT_FALSE(desc.elements[1].collation.has_value());  // the column's own NOCASE

  const schema::Index& partial = catalog.indexes.at(main_name("adults"));
  EXPECT_EQ(partial.where, "age >= 18");
}

TEST(SqliteSchemaTest, ReadsViewsAndTriggers) {
  const Catalog catalog = load(kFullSchema);
  const schema::View& adults = catalog.views.at(main_name("adult_users"));
  EXPECT_EQ(adults.query, "SELECT id, name FROM users WHERE age >= 18");
  EXPECT_EQ(adults.column_names, (std::vector<std::string>{"user_id", "user_name"}));
  EXPECT_EQ(adults.depends_on.relations, std::vector<QualifiedName>{main_name("users")});
  EXPECT_EQ(catalog.views.at(main_name("adult_names")).depends_on.relations,
            std::vector<QualifiedName>{main_name("adult_users")});

  ASSERT_EQ(catalog.triggers.size(), 1U);
  const schema::Trigger& trigger = catalog.triggers.begin()->second;
  EXPECT_EQ(trigger.name, "users_touch");
  EXPECT_EQ(trigger.table, main_name("users"));
  EXPECT_EQ(trigger.timing, schema::TriggerTiming::After);
  EXPECT_EQ(trigger.events, std::vector<std::string>{"UPDATE OF name, email"});
  EXPECT_TRUE(trigger.for_each_row);
  EXPECT_EQ(trigger.when, "new.name IS NOT NULL");
  EXPECT_EQ(trigger.function_args,
            std::vector<std::string>{"UPDATE users SET created_at = CURRENT_TIMESTAMP WHERE id = new.id;"});
  EXPECT_EQ(trigger.function, QualifiedName{});
}

TEST(SqliteSchemaTest, TwoSpellingsOfOneSchemaAreEqual) {
  const Catalog a = load(R"sql(
    CREATE TABLE t (
      id INTEGER PRIMARY KEY,
      a varchar(10) NOT NULL DEFAULT ('x'),
      b INT CHECK (b > 0 AND b < 10) REFERENCES u (id) DEFERRABLE INITIALLY DEFERRED,
      c TEXT COLLATE nocase UNIQUE
    );
    CREATE TABLE u (id INTEGER PRIMARY KEY);
    CREATE INDEX t_a ON t (a ASC, lower(c)) WHERE a <> 'y';
    CREATE VIEW v AS SELECT a, count(*) AS n FROM t GROUP BY a;
    CREATE TRIGGER t_ins AFTER INSERT ON t FOR EACH ROW BEGIN DELETE FROM u WHERE id = new.b; END;
  )sql");
  const Catalog b = load(R"sql(
    create table "U" ([id] integer, primary key ("id"));  -- the same name as u to SQLite
    create table [t](
      "id" integer primary key,
      a   VARCHAR( 10 )  not null  default 'x',
      b int,
      c text collate NOCASE,
      check(b>0 and
            b<10),
      foreign key (b) references U deferrable initially deferred,
      unique (c)
    ) ;
    create index t_a on T(a, LOWER ( c ) collate binary) where a<>'y';
    create view v as SELECT a, count(*) AS n FROM t GROUP BY a;
    create trigger t_ins after insert on T begin delete from u where id=new.b /* comment */; end;
  )sql");
  // The table was created as "U": SQLite keeps the name as written. Compare
  // the rest, then the whole once renamed.
  Catalog renamed = b;
  auto node = renamed.tables.extract(main_name("U"));
  node.key() = main_name("u");
  node.mapped().name = main_name("u");
  renamed.tables.insert(std::move(node));
  auto& key = std::get<schema::ForeignKey>(renamed.tables.at(main_name("t")).constraints.back().body);
  EXPECT_EQ(key.referenced_table, main_name("U"));
  key.referenced_table = main_name("u");
  auto& trigger_reads = renamed.triggers.at({main_name("t"), "t_ins"}).depends_on.relations;
  EXPECT_EQ(trigger_reads, std::vector<schema::QualifiedName>{main_name("U")});
  trigger_reads = {main_name("u")};
  EXPECT_TRUE(a == renamed) << schema::sqlite_catalog_sql(a) << "\n---\n" << schema::sqlite_catalog_sql(renamed);
  EXPECT_EQ(a.indexes.at(main_name("t_a")).elements[1].expression, "lower(c)");
}

TEST(SqliteSchemaTest, StoredAndVirtualGeneratedColumnsDiffer) {
  std::vector<Warning> warnings;
  const auto stored = load_sqlite_schema({{"a.sql", "CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a * 2) STORED);"}}, warnings);
  const auto virtual_ = load_sqlite_schema({{"b.sql", "CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a * 2));"}}, warnings);
  const auto& b = stored.tables.at({"main", "t"}).columns.at(1);
  EXPECT_TRUE(b.generated_stored);
  EXPECT_FALSE(virtual_.tables.at({"main", "t"}).columns.at(1).generated_stored);
  EXPECT_NE(stored, virtual_);
  EXPECT_NE(sqlite_catalog_sql(stored).find("GENERATED ALWAYS AS (a * 2) STORED"), std::string::npos);
}

TEST(SqliteSchemaTest, DefaultsCheckAndGeneratedSpellingsAreCanonical) {
  const Catalog a = load("CREATE TABLE t (a INT DEFAULT -1, b INT DEFAULT (1 + 2), c AS (a*2));");
  const Catalog b = load(
      "CREATE TABLE t (a INT DEFAULT (-1), b INT DEFAULT ((1+2)), c GENERATED ALWAYS AS ( a * 2 ) VIRTUAL);");
  EXPECT_TRUE(a == b) << schema::sqlite_catalog_sql(a) << "\n---\n" << schema::sqlite_catalog_sql(b);
  EXPECT_EQ(column(table(a, "t"), "a").default_expr, "-1");
  EXPECT_EQ(column(table(a, "t"), "b").default_expr, "1 + 2");
  EXPECT_EQ(column(table(a, "t"), "c").generated_expr, "a * 2");
}

TEST(SqliteSchemaTest, ExpressionsKeepStringsCommentsAndNesting) {
  const Catalog catalog = load(R"sql(
    CREATE TABLE t (
      key TEXT CHECK (key IN ('a,b', 'c)', 'd''e')),  -- a comment, with (parentheses
      "action" INT CONSTRAINT "odd, name" CHECK ("action"/*inline*/>-1 AND [action] <> +2),
      CHECK (LENGTH(key) BETWEEN 1 AND (abs(-10)))
    );
  )sql");
  const auto checks = constraints_of<schema::Check>(table(catalog, "t"));
  ASSERT_EQ(checks.size(), 3U);
  // KEY is a keyword SQLite also takes as a name; it is upper-cased like any
  // keyword (identifiers are case-insensitive, so the check is the same).
  EXPECT_EQ(checks[0].second->expression, "KEY IN ('a,b', 'c)', 'd''e')");
  EXPECT_EQ(checks[1].second->expression, "length(KEY) BETWEEN 1 AND (abs(-10))");
  EXPECT_EQ(checks[2].first->name, "odd, name");
  EXPECT_EQ(checks[2].second->expression, "\"action\" > -1 AND \"action\" <> +2");
  EXPECT_TRUE(round_trips(R"sql(
    CREATE TABLE t (
      key TEXT CHECK (key IN ('a,b', 'c)', 'd''e')),  -- a comment, with (parentheses
      "action" INT CONSTRAINT "odd, name" CHECK ("action"/*inline*/>-1 AND [action] <> +2),
      CHECK (LENGTH(key) BETWEEN 1 AND (abs(-10)))
    );
  )sql"));
}

TEST(SqliteSchemaTest, ViewQueriesAreKeptVerbatim) {
  // SQLite names the view's second column "a+1": respacing it is another view.
  const Catalog catalog = load("CREATE TABLE t (a INT);\nCREATE VIEW v AS SELECT a, a+1 FROM t -- trailing\n;");
  EXPECT_EQ(catalog.views.at(main_name("v")).query, "SELECT a, a+1 FROM t");
  EXPECT_FALSE(catalog == load("CREATE TABLE t (a INT);\nCREATE VIEW v AS SELECT a, a + 1 FROM t;"));
}

TEST(SqliteSchemaTest, ReferencesResolveCaseInsensitively) {
  const Catalog catalog = load(R"sql(
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INT REFERENCES USERS (ID));
    CREATE TABLE Users (id INTEGER PRIMARY KEY, name TEXT);
    CREATE INDEX users_name ON USERS (NAME);
    CREATE TRIGGER users_name AFTER UPDATE OF NAME ON USERS BEGIN SELECT 1; END;
  )sql");
  const auto keys = constraints_of<schema::ForeignKey>(table(catalog, "orders"));
  ASSERT_EQ(keys.size(), 1U);
  EXPECT_EQ(keys[0].second->referenced_table, main_name("Users"));
  EXPECT_EQ(keys[0].second->referenced_columns, std::vector<std::string>{"id"});
  const schema::Index& index = catalog.indexes.at(main_name("users_name"));
  EXPECT_EQ(index.table, main_name("Users"));
  EXPECT_EQ(index.elements.at(0).column, "name");
  ASSERT_EQ(catalog.triggers.size(), 1U);
  EXPECT_EQ(catalog.triggers.begin()->first.table, main_name("Users"));
  EXPECT_EQ(catalog.triggers.begin()->second.events, std::vector<std::string>{"UPDATE OF name"});
}

TEST(SqliteSchemaTest, AlterTableReplays) {
  const Catalog altered = load(R"sql(
    CREATE TABLE t (id INTEGER PRIMARY KEY, old_name TEXT, gone INT);
    ALTER TABLE t ADD COLUMN added TEXT NOT NULL DEFAULT 'x' CONSTRAINT ck CHECK (added <> '');
    ALTER TABLE t RENAME COLUMN old_name TO name;
    ALTER TABLE t DROP COLUMN gone;
    ALTER TABLE t RENAME TO "T 2";
    CREATE INDEX t_name ON "T 2" (name);
  )sql");
  const Catalog direct = load(R"sql(
    CREATE TABLE "T 2" (id INTEGER PRIMARY KEY, name TEXT,
                        added TEXT NOT NULL DEFAULT 'x' CONSTRAINT ck CHECK (added <> ''));
    CREATE INDEX t_name ON "T 2" (name);
  )sql");
  EXPECT_TRUE(altered == direct) << schema::sqlite_catalog_sql(altered);
}

TEST(SqliteSchemaTest, ForeignKeyNamesFollowTheirClauses) {
  const Catalog catalog = load(R"sql(
    CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
    CREATE TABLE c (
      a INT CONSTRAINT fk_a REFERENCES p,
      b TEXT REFERENCES p (code) ON DELETE SET DEFAULT,
      CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES p (id, code) NOT DEFERRABLE
    );
  )sql");
  const auto keys = constraints_of<schema::ForeignKey>(table(catalog, "c"));
  ASSERT_EQ(keys.size(), 3U);
  EXPECT_EQ(keys[0].first->name, "fk_a");
  EXPECT_EQ(keys[1].first->name, "fk_ab");
  EXPECT_EQ(keys[1].second->referenced_columns, (std::vector<std::string>{"id", "code"}));
  EXPECT_EQ(keys[2].first->name, "");
  EXPECT_EQ(keys[2].second->on_delete, schema::ReferentialAction::SetDefault);
}

TEST(SqliteSchemaTest, SyntaxErrorIsLocatedAtLineAndColumn) {
  const std::string text =
      "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
      "-- a comment\n"
      "  CREATE TABLE b (id INTEGER PRIMARY KEY,, name TEXT);\n";
  std::vector<Warning> warnings;
  try {
    load_sqlite_schema({SourceFile{"schema/app.sql", text}}, warnings);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location().has_value());
    EXPECT_EQ(error.location()->file, "schema/app.sql");
    EXPECT_EQ(error.location()->line, 3);
    EXPECT_EQ(error.location()->column, 42);  // the second ','
    EXPECT_EQ(error.source_line(), "  CREATE TABLE b (id INTEGER PRIMARY KEY,, name TEXT);");
    EXPECT_NE(std::string(error.what()).find("schema/app.sql:3:42: "), std::string::npos) << error.what();
    EXPECT_NE(error.message().find("syntax error"), std::string::npos) << error.message();
    EXPECT_NE(error.render().find("\n                                           ^"), std::string::npos)
        << error.render();
  }
}

// Clauses the model would drop are refused where they are, not lost in a plan.
TEST(SqliteSchemaTest, ClausesTheModelCannotKeepAreErrorsAtTheirLocation) {
  const auto error_at = [](const std::string& text) -> std::pair<std::string, int> {
    std::vector<Warning> warnings;
    try {
      load_sqlite_schema({SourceFile{"app.sql", text}}, warnings);
    } catch (const Error& error) {
      return {error.message(), error.location() ? error.location()->column : 0};
    }
    return {"", 0};
  };
  const auto on_conflict = error_at("CREATE TABLE u (k TEXT PRIMARY KEY ON CONFLICT REPLACE, v TEXT);");
  EXPECT_NE(on_conflict.first.find("ON CONFLICT"), std::string::npos) << on_conflict.first;
  EXPECT_EQ(on_conflict.second, 36);
  const auto descending = error_at("CREATE TABLE d (x INTEGER PRIMARY KEY DESC, y TEXT);");
  EXPECT_NE(descending.first.find("PRIMARY KEY DESC"), std::string::npos) << descending.first;
  EXPECT_EQ(descending.second, 27);
  const auto temporary = error_at("CREATE TABLE t (x);\nCREATE TEMP VIEW v AS SELECT x FROM t;");
  EXPECT_NE(temporary.first.find("temporary tables, views and triggers are not part of a schema"), std::string::npos)
      << temporary.first;
  EXPECT_EQ(temporary.second, 8);
  EXPECT_EQ(error_at("CREATE TABLE d (x INTEGER, y TEXT, PRIMARY KEY (x DESC));"
                     "CREATE TABLE c (p INTEGER REFERENCES d ON DELETE CASCADE);").first,
            "");
}

TEST(SqliteSchemaTest, ErrorColumnsCountCharacters) {
  const std::string text = "CREATE TABLE \"é\" (x);\nCREATE TABLE \"é\" (y);\n";
  std::vector<Warning> warnings;
  try {
    load_sqlite_schema({SourceFile{"a.sql", text}, SourceFile{"b.sql", "SELECT 1;\n\n  SELEC 2;"}}, warnings);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location().has_value());
    EXPECT_EQ(error.location()->file, "a.sql");
    EXPECT_EQ(error.location()->line, 2);
    EXPECT_NE(error.message().find("already exists"), std::string::npos) << error.message();
  }
  try {
    load_sqlite_schema({SourceFile{"b.sql", "SELECT 'é';\n\n  SELECT 'é', FROM nowhere;"}}, warnings);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location().has_value());
    EXPECT_EQ(error.location()->line, 3);
    EXPECT_EQ(error.location()->column, 15);  // FROM, counted in characters
    EXPECT_NE(error.message().find("syntax error"), std::string::npos) << error.message();
  }
}

TEST(SqliteSchemaTest, RuntimeErrorIsLocatedAtTheStatement) {
  const std::string text =
      "CREATE TABLE t (id INTEGER NOT NULL);\n"
      "INSERT INTO t VALUES (1);\n"
      "    INSERT INTO t VALUES (NULL);\n";
  try {
    load(text);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location().has_value());
    EXPECT_EQ(error.location()->line, 3);
    EXPECT_EQ(error.location()->column, 5);
    EXPECT_NE(error.message().find("NOT NULL constraint failed"), std::string::npos) << error.message();
  }
}

TEST(SqliteSchemaTest, DataStepsReplay) {
  // The rows inserted make the later unique index fail: the INSERT ran.
  EXPECT_THROW(load("CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1), (1);\nCREATE UNIQUE INDEX t_a ON t (a);"),
               Error);
  // Transaction control and the foreign_keys / legacy_alter_table pragmas do not
  // break the replay; UPDATE and DELETE run; the rebuild steps read back.
  std::vector<Warning> warnings;
  const Catalog catalog = load(R"sql(
    PRAGMA main.foreign_keys = OFF;
    PRAGMA legacy_alter_table = ON;
    BEGIN;
    CREATE TABLE p (id INTEGER PRIMARY KEY);
    CREATE TABLE t (a INT, b TEXT REFERENCES p);
    INSERT INTO t VALUES (1, 'x'), (2, 'y');
    UPDATE t SET b = 'z' WHERE a = 2;
    DELETE FROM t WHERE a = 1;
    CREATE TABLE new_t (a INT NOT NULL, b TEXT REFERENCES p);
    INSERT INTO new_t (a, b) SELECT a, b FROM t;
    DROP TABLE t;
    ALTER TABLE new_t RENAME TO t;
    PRAGMA foreign_key_check;
    COMMIT;
    PRAGMA foreign_keys = ON;
    SELECT * FROM t;
  )sql",
                               &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_TRUE(column(table(catalog, "t"), "a").not_null);
  EXPECT_EQ(catalog.tables.size(), 2U);
}

TEST(SqliteSchemaTest, PassedOverStatementsWarn) {
  std::vector<Warning> warnings;
  const Catalog catalog = load("CREATE TABLE t (a);\nATTACH ':memory:' AS other;\nPRAGMA writable_schema = ON;\n",
                               &warnings);
  ASSERT_EQ(warnings.size(), 2U);
  EXPECT_EQ(warnings[0].location.line, 2);
  EXPECT_NE(warnings[0].message.find("ATTACH"), std::string::npos);
  EXPECT_EQ(warnings[1].location.line, 3);
  EXPECT_EQ(catalog.tables.size(), 1U);
}

TEST(SqliteSchemaTest, VirtualTablesAreLeftOut) {
  std::vector<Warning> warnings;
  Catalog catalog;
  try {
    catalog = load("CREATE TABLE t (a);\nCREATE VIRTUAL TABLE docs USING fts5(body);\n", &warnings);
  } catch (const Error& error) {
    GTEST_SKIP() << "no FTS5 in this SQLite: " << error.what();
  }
  EXPECT_EQ(catalog.tables.size(), 1U);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].location.line, 2);
}

TEST(SqliteSchemaTest, ReadsALiveDatabase) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  const std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  ASSERT_EQ(sqlite3_exec(db.get(),
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a');"
                         "ALTER TABLE t ADD COLUMN w INT NOT NULL DEFAULT 0 CHECK (w >= 0);"
                         "ALTER TABLE t RENAME COLUMN v TO value;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const Catalog live = read_sqlite_catalog(db.get());
  const Catalog text =
      load("CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT, w INT NOT NULL DEFAULT 0 CHECK (w >= 0));");
  EXPECT_TRUE(live == text) << schema::sqlite_catalog_sql(live);
}

// A schema whose objects fall into several independent groups: foreign keys
// across groups (one without its columns), a view on a view, triggers with
// ';' and CASE ... END in their bodies, one writing another table, CREATE
// TABLE ... AS, names in other cases and quotes, a byte order mark.
const char* const kGroupedSchema =
    "\xEF\xBB\xBF"
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE);\n"
    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES Parent ON DELETE CASCADE,\n"
    "                    label TEXT REFERENCES parent (name));\n"
    "CREATE INDEX child_label ON child (label) WHERE label IS NOT NULL;\n"
    "CREATE TABLE \"Audit Log\" (at TEXT DEFAULT CURRENT_TIMESTAMP, what TEXT);\n"
    "CREATE TABLE other (x INTEGER CHECK (x > 0), y TEXT COLLATE NOCASE);\n"
    "CREATE VIEW other_view AS SELECT x, y FROM other WHERE x > 1;\n"
    "CREATE VIEW other_view_2 (a) AS SELECT x FROM OTHER_VIEW;\n"
    "CREATE TRIGGER child_audit AFTER UPDATE OF label ON child FOR EACH ROW\n"
    "WHEN new.label IS NOT old.label BEGIN\n"
    "  INSERT INTO \"audit log\" (what) VALUES (CASE WHEN new.label IS NULL THEN 'cleared;' ELSE 'set' END);\n"
    "  UPDATE parent SET name = name WHERE id = new.parent_id;\n"
    "END;\n"
    "CREATE TABLE copy AS SELECT x, y FROM other;\n"
    "CREATE TABLE lonely (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;\n"
    "CREATE UNIQUE INDEX IF NOT EXISTS main.lonely_v ON lonely (v);\n";

TEST(SqliteSchemaTest, LargeSchemasLoadInPartsAsInOneDatabase) {
  const std::vector<SourceFile> files{SourceFile{"a.sql", kGroupedSchema},
                                      SourceFile{"b.sql", "CREATE TABLE last (id INTEGER PRIMARY KEY)"}};
  EXPECT_GT(sqlite_schema_parts(files, 1), 3u);
  EXPECT_EQ(sqlite_schema_parts(files, 1000), 1u);
  std::vector<Warning> warnings;
  const Catalog in_parts = load_sqlite_schema(files, warnings, 1);
  const Catalog whole = load_sqlite_schema(files, warnings, 1000);
  EXPECT_EQ(in_parts, whole);
  EXPECT_TRUE(warnings.empty());
  // The foreign key written without columns resolved across parts.
  for (const auto& [constraint, key] : constraints_of<schema::ForeignKey>(table(in_parts, "child")))
    EXPECT_EQ(key->referenced_columns.size(), 1u) << key->referenced_table.name;
  ASSERT_EQ(in_parts.views.size(), 2u);
  EXPECT_EQ(in_parts.triggers.size(), 1u);
}

TEST(SqliteSchemaTest, OtherStatementsKeepTheSchemaInOneDatabase) {
  for (const char* other : {"ALTER TABLE parent ADD COLUMN z TEXT;", "CREATE TEMP TABLE t (a);",
                            "INSERT INTO parent VALUES (1, 'a');", "PRAGMA user_version = 3;"}) {
    const std::vector<SourceFile> files{SourceFile{"a.sql", std::string(kGroupedSchema) + other}};
    EXPECT_EQ(sqlite_schema_parts(files, 1), 1u) << other;
  }
}

TEST(SqliteSchemaTest, ErrorsInPartsAreReportedInFileOrder) {
  // Each would fail in a part of its own; the first one in file order is reported.
  const std::string text =
      "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE b (id INTEGER PRIMARY KEY);\n"
      "CREATE INDEX a ON b (id);\n"
      "CREATE VIEW v AS SELECT * FROM nowhere;\n"
      "CREATE INDEX c_id ON c (id);\n";
  std::vector<Warning> warnings;
  try {
    load_sqlite_schema({SourceFile{"schema.sql", text}}, warnings, 1);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location().has_value());
    EXPECT_EQ(error.location()->line, 3);
    EXPECT_NE(error.message().find("already"), std::string::npos) << error.message();
  }
}

TEST(SqlitePrinterTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(schema::sqlite_quote_identifier("users"), "users");
  EXPECT_EQ(schema::sqlite_quote_identifier("Users_2"), "Users_2");
  EXPECT_EQ(schema::sqlite_quote_identifier("order"), "\"order\"");
  EXPECT_EQ(schema::sqlite_quote_identifier("user accounts"), "\"user accounts\"");
  EXPECT_EQ(schema::sqlite_quote_identifier("2fa"), "\"2fa\"");
  EXPECT_EQ(schema::sqlite_quote_identifier("a\"b"), "\"a\"\"b\"");
}

TEST(SqlitePrinterTest, PrintsTables) {
  const Catalog catalog = load(kFullSchema);
  EXPECT_EQ(schema::sqlite_create_table_sql(table(catalog, "kv")),
            "CREATE TABLE kv (\n  k TEXT PRIMARY KEY NOT NULL,\n  v ANY\n) WITHOUT ROWID, STRICT");
  EXPECT_EQ(schema::sqlite_create_table_sql(table(catalog, "groups")),
            "CREATE TABLE \"groups\" (\n  id INTEGER PRIMARY KEY,\n  title TEXT,\n"
            "  CONSTRAINT title_once UNIQUE (title)\n)");
  const std::string users = schema::sqlite_create_table_sql(table(catalog, "users"));
  EXPECT_NE(users.find("  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"), std::string::npos) << users;
  EXPECT_NE(users.find("  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"), std::string::npos) << users;
  EXPECT_NE(users.find("  full_name TEXT GENERATED ALWAYS AS (name || ' <' || email || '>')"), std::string::npos)
      << users;
  const std::string memberships = schema::sqlite_create_table_sql(table(catalog, "memberships"));
  EXPECT_NE(memberships.find("  CONSTRAINT memberships_user FOREIGN KEY (user_id) REFERENCES users (id) "
                             "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED"),
            std::string::npos)
      << memberships;
}

TEST(SqlitePrinterTest, PrintsColumnsForAddColumn) {
  const Catalog desired = load("CREATE TABLE t (id INTEGER PRIMARY KEY, "
                               "note TEXT NOT NULL DEFAULT 'n/a' COLLATE NOCASE, twice INT AS (id * 2));");
  const schema::Table& t = table(desired, "t");
  EXPECT_EQ(schema::sqlite_column_sql(column(t, "note")), "note TEXT NOT NULL DEFAULT 'n/a' COLLATE NOCASE");
  const Catalog added = load("CREATE TABLE t (id INTEGER PRIMARY KEY);\n"
                             "ALTER TABLE t ADD COLUMN " + schema::sqlite_column_sql(column(t, "note")) + ";\n"
                             "ALTER TABLE t ADD COLUMN " + schema::sqlite_column_sql(column(t, "twice")) + ";\n");
  EXPECT_TRUE(added == desired) << schema::sqlite_catalog_sql(added);
}

TEST(SqlitePrinterTest, PrintsInDependencyOrder) {
  const std::string sql = schema::sqlite_catalog_sql(load(R"sql(
    CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INT REFERENCES a);
    CREATE TABLE a (id INTEGER PRIMARY KEY);
    CREATE VIEW z AS SELECT id FROM a;
    CREATE VIEW y AS SELECT id FROM z;
    CREATE INDEX b_a ON b (a_id);
    CREATE TRIGGER a_del AFTER DELETE ON a BEGIN DELETE FROM b WHERE a_id = old.id; END;
  )sql"));
  const auto at = [&](const std::string& needle) { return sql.find(needle); };
  EXPECT_LT(at("CREATE TABLE a "), at("CREATE TABLE b "));
  EXPECT_LT(at("CREATE TABLE b "), at("CREATE INDEX b_a"));
  EXPECT_LT(at("CREATE INDEX b_a"), at("CREATE VIEW z"));
  EXPECT_LT(at("CREATE VIEW z"), at("CREATE VIEW y"));
  EXPECT_LT(at("CREATE VIEW y"), at("CREATE TRIGGER a_del"));
}

TEST(SqlitePrinterTest, RoundTrips) {
  EXPECT_TRUE(round_trips(kFullSchema));
  EXPECT_TRUE(round_trips(R"sql(
    CREATE TABLE "odd name" ("select" TEXT DEFAULT 'it''s', [x y] INT DEFAULT -5, z BLOB DEFAULT x'00ff',
                             w REAL DEFAULT 1e-3, v DEFAULT (abs(-1)), u TEXT DEFAULT "quoted");
    CREATE TABLE cyc1 (id INTEGER PRIMARY KEY, other INT REFERENCES cyc2);
    CREATE TABLE cyc2 (id INTEGER PRIMARY KEY, other INT REFERENCES cyc1 ON UPDATE CASCADE);
    CREATE TABLE pk_auto (id INTEGER, PRIMARY KEY (id AUTOINCREMENT));
    CREATE TABLE g (a INT, b INT AS (a + 1) STORED NOT NULL, c TEXT COLLATE RTRIM);
    CREATE INDEX g_c ON g (c COLLATE BINARY, b DESC, a + b);
    CREATE VIEW "odd view" AS SELECT "select" AS s FROM "odd name" WHERE [x y] > 0;
    CREATE TRIGGER t_odd INSTEAD OF DELETE ON "odd view" BEGIN SELECT RAISE(ABORT, 'no'); END;
    CREATE TRIGGER t_case BEFORE INSERT ON g WHEN NEW.a > 0 BEGIN
      UPDATE g SET a = CASE WHEN a > 1 THEN -1 ELSE a END; INSERT INTO cyc1 (other) VALUES (NEW.a);
    END;
  )sql"));
}

#ifdef STRATA_SQLITE_CORPUS_DIR
TEST(SqlitePrinterTest, CorpusRoundTrips) {
  const std::filesystem::path root(STRATA_SQLITE_CORPUS_DIR);
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no corpus at " << root;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(root))
    for (const char* name : {"current.sql", "desired.sql"})
      if (std::filesystem::is_regular_file(entry.path() / name)) files.push_back(entry.path() / name);
  std::sort(files.begin(), files.end());
  int passed = 0;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const auto result = round_trips(text.str(), file.string());
    EXPECT_TRUE(result) << file;
    if (result) ++passed;
    // Loaded in as many parts as it splits into, it is the same catalog.
    if (result) {
      std::vector<Warning> warnings;
      const std::vector<SourceFile> source{SourceFile{file.string(), text.str()}};
      EXPECT_EQ(load_sqlite_schema(source, warnings, 1), load_sqlite_schema(source, warnings)) << file;
    }
  }
  std::cout << "[ corpus   ] " << passed << "/" << files.size() << " SQLite corpus files round-trip\n";
  RecordProperty("corpus_round_trips", passed);
  RecordProperty("corpus_files", static_cast<int>(files.size()));
}
#endif

}  // namespace
}  // namespace strata::parser
