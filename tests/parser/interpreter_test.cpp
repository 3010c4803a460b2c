// The interpreter: ALTER, DROP, RENAME and COMMENT applied with PostgreSQL's
// semantics, and errors where the server would refuse.
#include "strata/parser/interpreter.h"

#include <gtest/gtest.h>

namespace strata::parser {
namespace {

schema::Catalog load(const std::string& sql) {
  std::vector<Warning> warnings;
  return load_postgres_schema({{"m.sql", sql}}, warnings);
}

std::string error_message(const std::string& sql) {
  try {
    load(sql);
  } catch (const Error& error) {
    EXPECT_TRUE(error.location().has_value());
    return error.message();
  }
  ADD_FAILURE() << "no error for: " << sql;
  return {};
}

TEST(AlterTable, AddAndDropColumnsAndConstraints) {
  const auto catalog = load(
      "CREATE TABLE t (id int);"
      "ALTER TABLE t ADD COLUMN email text NOT NULL DEFAULT '', ADD CONSTRAINT t_pk PRIMARY KEY (id);"
      "ALTER TABLE t ADD COLUMN tmp int UNIQUE;"
      "ALTER TABLE t DROP COLUMN tmp;");
  const auto& t = catalog.tables.at({"public", "t"});
  EXPECT_EQ(t.columns.size(), 2U);
  EXPECT_TRUE(t.find_column("id")->not_null);  // primary key columns are NOT NULL
  EXPECT_NE(t.find_constraint("t_pk"), nullptr);
  EXPECT_EQ(t.find_constraint("t_tmp_key"), nullptr);  // dropped with its column
}

TEST(AlterTable, EqualsTheSchemaWrittenDirectly) {
  EXPECT_EQ(load("CREATE TABLE t (a int);"
                 "ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET NOT NULL, ALTER COLUMN a SET DEFAULT 0;"
                 "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0);"),
            load("CREATE TABLE t (a bigint NOT NULL DEFAULT 0 CHECK (a > 0));"));
}

// attislocal: a child column only inherited goes with the parent's, one the
// child defines too (or inherits from another parent) stays.
TEST(Inheritance, ParentDropColumnTakesTheChildrensInheritedColumnsOnly) {
  const auto catalog = load(
      "CREATE TABLE p (id int, e int);"
      "CREATE TABLE q (e int);"
      "CREATE TABLE only_inherits (a int) INHERITS (p);"
      "CREATE TABLE grandchild () INHERITS (only_inherits);"
      "CREATE TABLE defines_it (e int, b int) INHERITS (p);"
      "CREATE TABLE two_parents () INHERITS (p, q);"
      "ALTER TABLE p DROP COLUMN e;");
  auto names = [&](const char* table) {
    std::string list;
    for (const auto& column : catalog.tables.at({"public", table}).columns) list += column.name + " ";
    return list;
  };
  EXPECT_EQ(names("only_inherits"), "id a ");
  EXPECT_EQ(names("grandchild"), "id a ");
  EXPECT_EQ(names("defines_it"), "id e b ");
  EXPECT_EQ(names("two_parents"), "id e ");
  EXPECT_FALSE(catalog.tables.at({"public", "only_inherits"}).find_column("id")->origin.local);
  EXPECT_TRUE(catalog.tables.at({"public", "defines_it"}).find_column("e")->origin.local);
}

TEST(Inheritance, ParentAddColumnAndDefaultReachTheChildren) {
  const auto catalog = load(
      "CREATE TABLE p (id int);"
      "CREATE TABLE c (x int) INHERITS (p);"
      "CREATE TABLE g () INHERITS (c);"
      "ALTER TABLE p ADD COLUMN x int DEFAULT 1, ADD COLUMN y text;"
      "ALTER TABLE p ALTER COLUMN y SET DEFAULT 'n';");
  const auto& c = catalog.tables.at({"public", "c"});
  const auto& g = catalog.tables.at({"public", "g"});
  EXPECT_TRUE(c.find_column("x")->origin.local);     // merged with the child's own x, which keeps no default
  EXPECT_FALSE(c.find_column("x")->default_expr);
  ASSERT_NE(g.find_column("y"), nullptr);
  EXPECT_FALSE(g.find_column("y")->origin.local);
  EXPECT_EQ(g.find_column("y")->default_expr, "'n'");
  EXPECT_EQ(error_message("CREATE TABLE p (id int); CREATE TABLE c () INHERITS (p); ALTER TABLE c DROP COLUMN id;"),
            "cannot drop inherited column \"id\"");
  EXPECT_EQ(error_message("CREATE TABLE p (id int); CREATE TABLE c (x text) INHERITS (p); ALTER TABLE p ADD x int;"),
            "child table \"c\" has different type for column \"x\"");
}

// ALTER TABLE ONLY: the change stays on the parent; a column the children
// only inherited becomes their own.
TEST(Inheritance, OnlyStopsAtTheParent) {
  const auto catalog = load(
      "CREATE TABLE p (id int, e int);"
      "CREATE TABLE c () INHERITS (p);"
      "ALTER TABLE ONLY p ALTER COLUMN id SET DEFAULT 7;"
      "ALTER TABLE ONLY p DROP COLUMN e;");
  const auto& c = catalog.tables.at({"public", "c"});
  EXPECT_FALSE(c.find_column("id")->default_expr);
  ASSERT_NE(c.find_column("e"), nullptr);
  EXPECT_TRUE(c.find_column("e")->origin.local);
  EXPECT_EQ(error_message("CREATE TABLE p (id int); CREATE TABLE c () INHERITS (p); ALTER TABLE ONLY p ADD x int;"),
            "column must be added to child tables too");
}

// A parent's type change and NOT NULL reach every descendant; the server
// refuses them written on an inherited column, or stopped at the parent.
TEST(Inheritance, TypeAndNotNullArePassedDown) {
  const std::string tables = "CREATE TABLE p (id int, v int); CREATE TABLE c () INHERITS (p);"
                             "CREATE TABLE g () INHERITS (c);";
  const auto catalog =
      load(tables + "ALTER TABLE p ALTER COLUMN v TYPE bigint, ALTER COLUMN id SET NOT NULL;");
  for (const char* table : {"p", "c", "g"}) {
    const auto& t = catalog.tables.at({"public", table});
    EXPECT_EQ(t.find_column("v")->type.name, "bigint") << table;
    EXPECT_TRUE(t.find_column("id")->not_null) << table;
  }
  EXPECT_FALSE(load(tables + "ALTER TABLE p ALTER id SET NOT NULL; ALTER TABLE p ALTER id DROP NOT NULL;")
                   .tables.at({"public", "g"})
                   .find_column("id")
                   ->not_null);
  EXPECT_EQ(error_message(tables + "ALTER TABLE c ALTER COLUMN v TYPE bigint;"), "cannot alter inherited column \"v\"");
  EXPECT_EQ(error_message(tables + "ALTER TABLE ONLY p ALTER COLUMN v TYPE bigint;"),
            "type of inherited column \"v\" must be changed in child tables too");
  EXPECT_EQ(error_message(tables + "ALTER TABLE ONLY p ALTER COLUMN v SET NOT NULL;"),
            "constraint must be added to child tables too");
  EXPECT_EQ(error_message(tables + "ALTER TABLE p ALTER id SET NOT NULL; ALTER TABLE c ALTER id DROP NOT NULL;"),
            "column \"id\" is marked NOT NULL in parent table");
}

TEST(Inheritance, ColumnRenamesAndChecksReachTheDescendants) {
  EXPECT_EQ(load("CREATE TABLE p (a int, b int); CREATE TABLE c () INHERITS (p); CREATE TABLE g () INHERITS (c);"
                 "ALTER TABLE p RENAME COLUMN b TO bb; ALTER TABLE p ADD CONSTRAINT b_pos CHECK (bb > 0);"),
            load("CREATE TABLE p (a int, bb int, CONSTRAINT b_pos CHECK (bb > 0));"
                 "CREATE TABLE c () INHERITS (p); CREATE TABLE g () INHERITS (c);"));
  EXPECT_EQ(load("CREATE TABLE p (a int CONSTRAINT a_pos CHECK (a > 0)); CREATE TABLE c () INHERITS (p);"
                 "ALTER TABLE p DROP CONSTRAINT a_pos;"),
            load("CREATE TABLE p (a int); CREATE TABLE c () INHERITS (p);"));
  EXPECT_EQ(error_message("CREATE TABLE p (a int); CREATE TABLE c () INHERITS (p); ALTER TABLE c RENAME COLUMN a TO b;"),
            "cannot rename inherited column \"a\"");
}

TEST(AlterExtension, UpdateSetsTheVersion) {
  const auto catalog = load("CREATE EXTENSION pg_trgm VERSION '1.3'; ALTER EXTENSION pg_trgm UPDATE TO '1.4';");
  EXPECT_EQ(catalog.extensions.at("pg_trgm").version, "1.4");
  EXPECT_FALSE(load("CREATE EXTENSION pg_trgm VERSION '1.3'; ALTER EXTENSION pg_trgm UPDATE;")
                   .extensions.at("pg_trgm").version);
  EXPECT_EQ(error_message("ALTER EXTENSION hstore UPDATE TO '1.8';"), "extension \"hstore\" does not exist");
}

TEST(RenameColumn, FollowsIntoConstraintsIndexesAndForeignKeys) {
  EXPECT_EQ(load("CREATE TABLE p (id int PRIMARY KEY, v int CHECK (v > 0));"
                 "CREATE INDEX p_v ON p (v) WHERE v < 10;"
                 "CREATE TABLE c (p_id int REFERENCES p (id));"
                 "ALTER TABLE p RENAME COLUMN v TO w;"
                 "ALTER TABLE p RENAME COLUMN id TO key;"),
            load("CREATE TABLE p (key int PRIMARY KEY, w int CONSTRAINT p_v_check CHECK (w > 0));"
                 "CREATE INDEX p_v ON p (w) WHERE w < 10;"
                 "CREATE TABLE c (p_id int CONSTRAINT c_p_id_fkey REFERENCES p (key));"));
}

TEST(RenameTable, FollowsIntoForeignKeysAndIndexes) {
  const auto catalog = load(
      "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p);"
      "CREATE INDEX c_idx ON c (p_id); ALTER TABLE c RENAME TO d; ALTER TABLE p RENAME TO q;");
  const auto& d = catalog.tables.at({"public", "d"});
  EXPECT_EQ(std::get<schema::ForeignKey>(d.find_constraint("c_p_id_fkey")->body).referenced_table,
            (schema::QualifiedName{"public", "q"}));
  EXPECT_EQ(catalog.indexes.at({"public", "c_idx"}).table, (schema::QualifiedName{"public", "d"}));
}

// The server stores a cast by the type's identity, so its expressions print
// the new name; a cast to a same-named type of another schema stays.
TEST(RenameType, FollowsIntoStoredExpressions) {
  EXPECT_EQ(load("CREATE SCHEMA other; CREATE TYPE other.mood AS ENUM ('x');"
                 "CREATE TYPE mood AS ENUM ('sad', 'ok');"
                 "CREATE DOMAIN calm AS mood DEFAULT 'ok'::mood CHECK (VALUE <> 'sad'::mood);"
                 "CREATE TABLE t (m mood DEFAULT 'ok'::mood CHECK (m <> 'sad'::public.mood),"
                 "  o other.mood DEFAULT 'x'::other.mood);"
                 "CREATE INDEX t_ok ON t ((m = 'ok'::mood)) WHERE m <> 'sad'::mood;"
                 "ALTER TYPE mood RENAME TO feeling;"),
            load("CREATE SCHEMA other; CREATE TYPE other.mood AS ENUM ('x');"
                 "CREATE TYPE feeling AS ENUM ('sad', 'ok');"
                 "CREATE DOMAIN calm AS feeling DEFAULT 'ok'::feeling CHECK (VALUE <> 'sad'::feeling);"
                 "CREATE TABLE t (m feeling DEFAULT 'ok'::feeling CHECK (m <> 'sad'::public.feeling),"
                 "  o other.mood DEFAULT 'x'::other.mood);"
                 "CREATE INDEX t_ok ON t ((m = 'ok'::feeling)) WHERE m <> 'sad'::feeling;"));
}

// A default holds its sequence's identity ('s'::regclass), so it follows a rename.
TEST(RenameSequence, FollowsIntoColumnDefaults) {
  EXPECT_EQ(load("CREATE TABLE t (id serial, n bigint DEFAULT nextval('t_id_seq'));"
                 "ALTER SEQUENCE t_id_seq RENAME TO counter;"),
            load("CREATE SEQUENCE counter AS integer;"
                 "CREATE TABLE t (id integer NOT NULL DEFAULT nextval('public.counter'::regclass),"
                 "  n bigint DEFAULT nextval('counter'));"
                 "ALTER SEQUENCE counter OWNED BY t.id;"));
}

// NO CYCLE is a change; leaving CYCLE unsaid is none.
TEST(AlterSequence, NoCycleUndoesCycleAndOtherOptionsKeepIt) {
  EXPECT_EQ(load("CREATE SEQUENCE s CYCLE; ALTER SEQUENCE s NO CYCLE;"
                 "CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (CYCLE)); ALTER TABLE t ALTER COLUMN id SET NO CYCLE;"),
            load("CREATE SEQUENCE s; CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY);"));
  EXPECT_EQ(load("CREATE SEQUENCE s CYCLE; ALTER SEQUENCE s INCREMENT BY 2;"),
            load("CREATE SEQUENCE s CYCLE INCREMENT BY 2;"));
}

TEST(Drop, RefusesDependentsWithoutCascade) {
  EXPECT_NE(error_message("CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p); DROP TABLE p;")
                .find("other objects depend on it"),
            std::string::npos);
  EXPECT_NE(error_message("CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (x m); DROP TYPE m;").find("depend"),
            std::string::npos);
  EXPECT_NE(error_message("CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; DROP TABLE t;").find("view v"),
            std::string::npos);
}

TEST(Drop, CascadeRemovesDependents) {
  const auto catalog = load(
      "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p);"
      "CREATE VIEW v AS SELECT id FROM p; DROP TABLE p CASCADE;");
  EXPECT_FALSE(catalog.tables.contains({"public", "p"}));
  EXPECT_FALSE(catalog.views.contains({"public", "v"}));
  EXPECT_EQ(catalog.tables.at({"public", "c"}).constraints.size(), 0U);
}

TEST(DropConstraint, CascadeDropsForeignKeysReferencingTheKeyInAnyColumnOrder) {
  const std::string tables =
      "CREATE TABLE p (a int, b int, CONSTRAINT p_ab UNIQUE (a, b));"
      "CREATE TABLE c (x int, y int, CONSTRAINT c_fk FOREIGN KEY (x, y) REFERENCES p (b, a));";
  EXPECT_NE(error_message(tables + "ALTER TABLE p DROP CONSTRAINT p_ab;").find("constraint c_fk on table c"),
            std::string::npos);
  const auto catalog = load(tables + "ALTER TABLE p DROP CONSTRAINT p_ab CASCADE;");
  EXPECT_TRUE(catalog.tables.at({"public", "c"}).constraints.empty());
  EXPECT_TRUE(catalog.tables.at({"public", "p"}).constraints.empty());
}

TEST(Drop, IfExistsIgnoresMissingObjects) {
  EXPECT_EQ(load("DROP TABLE IF EXISTS nothing; DROP INDEX IF EXISTS nothing; DROP TYPE IF EXISTS nothing;"),
            schema::Catalog::postgres_default());
}

TEST(Errors, WhereThePostgresServerWouldRefuse) {
  EXPECT_EQ(error_message("CREATE TABLE t (a int); CREATE TABLE t (b int);"), "relation \"public.t\" already exists");
  EXPECT_EQ(error_message("CREATE TABLE t (a int); ALTER TABLE t DROP COLUMN b;"),
            "column \"b\" of relation \"t\" does not exist");
  EXPECT_EQ(error_message("CREATE TABLE t (a mood);"), "type \"mood\" does not exist");
  EXPECT_EQ(error_message("CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY);"),
            "multiple primary keys for table \"t\" are not allowed");
  EXPECT_EQ(error_message("CREATE TABLE c (p int REFERENCES p);"), "relation \"p\" does not exist");
  EXPECT_EQ(error_message("CREATE TYPE m AS ENUM ('a'); ALTER TYPE m ADD VALUE 'a';"),
            "enum label \"a\" already exists");
}

TEST(Errors, CommentsOnViewColumnsAreNotSupported) {
  EXPECT_NE(error_message("CREATE VIEW v AS SELECT 1 AS a; COMMENT ON COLUMN v.a IS 'one';").find("not supported"),
            std::string::npos);
}

TEST(Errors, PartitionKeyColumnsCannotBeAlteredOrDropped) {
  const std::string table = "CREATE TABLE e (id int, at date, m text) PARTITION BY RANGE (at, (lower(m)));";
  EXPECT_EQ(error_message(table + "ALTER TABLE e ALTER COLUMN at TYPE timestamp;"),
            "cannot alter column \"at\" because it is part of the partition key of relation \"e\"");
  EXPECT_EQ(error_message(table + "ALTER TABLE e DROP COLUMN m;"),
            "cannot drop column \"m\" because it is part of the partition key of relation \"e\"");
  EXPECT_NO_THROW(load(table + "ALTER TABLE e ALTER COLUMN id TYPE bigint; ALTER TABLE e DROP COLUMN id;"));
}

TEST(Errors, CarryTheLocationOfTheFailingStatement) {
  try {
    load("CREATE TABLE t (a int);\n\n  ALTER TABLE t DROP COLUMN b;");
    FAIL() << "no error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location());
    EXPECT_EQ(error.location()->line, 3);
    EXPECT_EQ(error.location()->column, 3);
  }
}

TEST(SearchPath, DecidesWhereUnqualifiedObjectsGo) {
  const auto catalog = load("CREATE SCHEMA app; SET search_path TO app, public; CREATE TABLE t (a int);"
                            "CREATE INDEX ON t (a);");
  EXPECT_TRUE(catalog.tables.contains({"app", "t"}));
  EXPECT_TRUE(catalog.indexes.contains({"app", "t_a_idx"}));
}

TEST(Comments, AttachToTheirObjectsAndCanBeRemoved) {
  const auto catalog = load("CREATE TABLE t (a int); COMMENT ON TABLE t IS 'x'; COMMENT ON TABLE t IS NULL;"
                            "COMMENT ON SCHEMA public IS 'main';");
  EXPECT_FALSE(catalog.tables.at({"public", "t"}).comment.has_value());
  EXPECT_EQ(catalog.schemas.at("public").comment, "main");
}

// ALTER COLUMN TYPE on an identity column retypes its sequence: bounds that
// were the old type's limits follow the new type, explicit ones stay.
TEST(Identity, ColumnTypeChangeRetypesTheSequence) {
  EXPECT_EQ(load("CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY, "
                 "n int GENERATED ALWAYS AS IDENTITY (MAXVALUE 1000));"
                 "ALTER TABLE t ALTER COLUMN id TYPE bigint, ALTER COLUMN n TYPE bigint;"),
            load("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, "
                 "n bigint GENERATED ALWAYS AS IDENTITY (MAXVALUE 1000));"));
  EXPECT_EQ(load("CREATE SEQUENCE s AS bigint INCREMENT BY -1; ALTER SEQUENCE s AS integer;"),
            load("CREATE SEQUENCE s AS integer INCREMENT BY -1;"));
}

TEST(Identity, RefusesTypesAndBoundsTheServerRefuses) {
  EXPECT_EQ(error_message("CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY);"
                          "ALTER TABLE t ALTER COLUMN id TYPE text;"),
            "identity column type must be smallint, integer, or bigint");
  EXPECT_EQ(error_message("CREATE TABLE t (id numeric GENERATED BY DEFAULT AS IDENTITY);"),
            "identity column type must be smallint, integer, or bigint");
  EXPECT_EQ(error_message("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY (MAXVALUE 3000000000));"
                          "ALTER TABLE t ALTER COLUMN id TYPE integer;"),
            "MAXVALUE (3000000000) is out of range for sequence data type integer");
}

// CREATE TABLE validates every constraint; ALTER TABLE ... NOT VALID leaves
// it unvalidated until VALIDATE CONSTRAINT, which reaches a CHECK's copies.
TEST(Constraints, NotValidUntilValidated) {
  const auto catalog = load(
      "CREATE TABLE p (id int PRIMARY KEY);"
      "CREATE TABLE k (x int, pid int, CONSTRAINT k_born CHECK (x <> 0) NOT VALID);"
      "CREATE TABLE k_child () INHERITS (k);"
      "ALTER TABLE k ADD CONSTRAINT k_x CHECK (x > 0) NOT VALID, "
      "  ADD CONSTRAINT k_p FOREIGN KEY (pid) REFERENCES p (id) NOT VALID,"
      "  ADD CONSTRAINT k_y CHECK (x < 100) NOT VALID;"
      "ALTER TABLE k VALIDATE CONSTRAINT k_y;");
  const auto& k = catalog.tables.at({"public", "k"});
  EXPECT_FALSE(k.find_constraint("k_born")->not_valid);
  EXPECT_TRUE(k.find_constraint("k_x")->not_valid);
  EXPECT_TRUE(k.find_constraint("k_p")->not_valid);
  EXPECT_FALSE(k.find_constraint("k_y")->not_valid);
  const auto& child = catalog.tables.at({"public", "k_child"});
  EXPECT_TRUE(child.find_constraint("k_x")->not_valid);
  EXPECT_FALSE(child.find_constraint("k_y")->not_valid);
}

// The model keeps no validation state for domains: NOT VALID would be lost.
TEST(Constraints, ADomainCheckAddedNotValidIsRefused) {
  EXPECT_EQ(error_message("CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CONSTRAINT d_pos CHECK (VALUE > 0) NOT VALID;"),
            "NOT VALID domain constraints are not supported: strata's model keeps no validation state for domains, so "
            "a plan would validate it");
}

// A default holds its sequence by identity: one of the same name in another
// schema is not it.
TEST(Sequences, ADropTellsSequencesOfOneNameInTwoSchemasApart) {
  const auto catalog = load("CREATE SCHEMA s; CREATE SEQUENCE counter; CREATE SEQUENCE s.counter;"
                            "CREATE TABLE s.t (id int DEFAULT nextval('public.counter'), n int DEFAULT nextval('counter'));"
                            "DROP SEQUENCE s.counter;");
  EXPECT_FALSE(catalog.sequences.contains({"s", "counter"}));
  EXPECT_EQ(error_message("CREATE SEQUENCE counter; CREATE TABLE t (id int DEFAULT nextval('counter'));"
                          "DROP SEQUENCE counter;"),
            "cannot drop sequence counter because other objects depend on it (default value for column id of table t); "
            "use DROP ... CASCADE to drop the dependent objects too");
}

// The server binds the names in a stored query or expression when it stores
// it: under a search_path of the file's own, the catalog holds them
// qualified, unless the default path (public) finds the same object.
TEST(SearchPath, StoredQueriesAndExpressionsNameWhatTheyBound) {
  const auto catalog = load(
      "CREATE SCHEMA s;"
      "CREATE TABLE shared (id int);"
      "SET search_path = s, public;"
      "CREATE TYPE mood AS ENUM ('ok');"
      "CREATE FUNCTION positive(x int) RETURNS boolean LANGUAGE sql AS 'SELECT x > 0';"
      "CREATE SEQUENCE counter;"
      "CREATE TABLE t (id int DEFAULT nextval('counter') CHECK (positive(id)), m text, "
      "  CONSTRAINT t_m CHECK (m::mood IS NOT NULL));"
      "CREATE VIEW v AS WITH recent AS (SELECT id FROM t) SELECT r.id FROM recent r JOIN shared USING (id);"
      "CREATE VIEW named AS SELECT 'mood'::regtype AS t, 'positive(integer)'::regprocedure AS p, 'int4'::regtype AS i;"
      "CREATE TABLE \"Odd\" (id int);"
      "CREATE TABLE refs (k regclass DEFAULT 't', shared regclass DEFAULT 'shared', "
      "  odd regclass DEFAULT '\"Odd\"', upper regclass DEFAULT 'T');");
  const auto& t = catalog.tables.at({"s", "t"});
  EXPECT_EQ(t.find_column("id")->default_expr, "nextval('s.counter')");
  EXPECT_EQ(std::get<schema::Check>(t.find_constraint("t_id_check")->body).expression, "s.positive(id)");
  EXPECT_EQ(std::get<schema::Check>(t.find_constraint("t_m")->body).expression, "m::s.mood IS NOT NULL");
  EXPECT_EQ(catalog.views.at({"s", "v"}).query,
            "WITH recent AS (SELECT id FROM s.t) SELECT r.id FROM recent r JOIN shared USING (id)");
  const auto& refs = catalog.tables.at({"s", "refs"});
  EXPECT_EQ(refs.find_column("k")->default_expr, "'s.t'");
  EXPECT_EQ(refs.find_column("shared")->default_expr, "'shared'");
  EXPECT_EQ(refs.find_column("odd")->default_expr, "'s.\"Odd\"'");  // read as the server reads the text
  EXPECT_EQ(refs.find_column("upper")->default_expr, "'s.t'");
  EXPECT_EQ(catalog.views.at({"s", "named"}).query,
            "SELECT 's.mood'::regtype AS t, 's.positive(integer)'::regprocedure AS p, 'int4'::regtype AS i");
}

// set_config() as pg_dump writes it sets the path as SET does; a
// transaction-local path is refused (strata cannot tell where it ends).
TEST(SearchPath, SetConfigSetsItAndLocalPathsAreRefused) {
  const auto catalog = load(
      "SELECT pg_catalog.set_config('search_path', '', false);"
      "CREATE SCHEMA s; CREATE SCHEMA \"Odd\";"
      "SELECT set_config('search_path', ' s , public', false);"
      "CREATE TABLE t (a int);"
      "SELECT set_config('search_path', '\"Odd\"', false);"
      "CREATE TABLE u (a int);"
      "CREATE SCHEMA \"a, b\";"
      "SELECT set_config('search_path', E'\\t\"a, b\" ,\\nPublic', false);"
      "CREATE TABLE v (a int);");
  EXPECT_TRUE(catalog.tables.contains({"s", "t"}));
  EXPECT_TRUE(catalog.tables.contains({"Odd", "u"}));
  EXPECT_TRUE(catalog.tables.contains({"a, b", "v"}));
  EXPECT_EQ(error_message("SELECT set_config('search_path', 's,,public', false);"),
            "invalid value for search_path: \"s,,public\"");
  EXPECT_EQ(error_message("SELECT set_config('search_path', '', false); CREATE TABLE t (a int);"),
            "no schema has been selected to create in");
  const std::string local = "a transaction-local search_path (SET LOCAL, set_config(..., true)) is not supported: "
                            "use SET search_path, or qualify the names";
  EXPECT_EQ(error_message("CREATE SCHEMA s; BEGIN; SET LOCAL search_path = s; COMMIT;"), local);
  EXPECT_EQ(error_message("SELECT set_config('search_path', 's', true);"), local);
}

// What the server binds by argument types or by WITH scopes, strata does not
// guess: it asks for a qualified name.
TEST(SearchPath, RefusesNamesItCannotBindAsTheServerWould) {
  EXPECT_EQ(error_message("CREATE SCHEMA s;"
                          "CREATE FUNCTION f(x bigint) RETURNS int LANGUAGE sql AS 'SELECT 1';"
                          "CREATE FUNCTION s.f(x int) RETURNS int LANGUAGE sql AS 'SELECT 2';"
                          "SET search_path = public, s;"
                          "CREATE VIEW v AS SELECT f(1) AS a;"),
            "routine f is defined in schemas public and s on this search_path: qualify the call (strata does not "
            "choose by argument types)");
  EXPECT_EQ(error_message("CREATE SCHEMA s; SET search_path = s, public;"
                          "CREATE TABLE items (id int);"
                          "CREATE VIEW v AS WITH items AS (SELECT id FROM items) SELECT id FROM items;"),
            "\"items\" names both a WITH query and relation s.items under this search_path: rename the WITH query "
            "or qualify the relation");
  const auto domain = load("CREATE SCHEMA s; SET search_path = s, public;"
                           "CREATE FUNCTION pos(x int) RETURNS boolean LANGUAGE sql AS 'SELECT x > 0';"
                           "CREATE DOMAIN d AS int CHECK (pos(VALUE));");
  EXPECT_EQ(domain.domains.at({"s", "d"}).checks.at(0).expression, "s.pos(value)");
}

}  // namespace
}  // namespace strata::parser
