// Rows survive the changes that lose no data, on a real PostgreSQL 15: each
// case builds the previous schema, inserts rows, applies the plan to the
// desired schema and reads the rows back by content.
#include <gtest/gtest.h>

#include <cstdint>

#include "postgres_cluster.h"
#include "strata/parser/interpreter.h"
#include "strata/parser/postgres_parser.h"
#include "strata/planner/plan.h"
#include "strata/runtime/postgres_connection.h"

namespace strata::planner {
namespace {

schema::Catalog load(const std::string& sql) {
  std::vector<parser::Warning> warnings;
  return parser::load_postgres_schema({{"test.sql", sql}}, warnings);
}

void run_script(runtime::PostgresConnection& connection, const std::string& sql) {
  for (const auto& statement : parser::split_postgres("test.sql", sql)) connection.exec(std::string(statement.text));
}

// Runs `script` and returns the rows of its last statement, values joined by
// '|', one row per line.
std::string rows(runtime::PostgresConnection& connection, const std::string& script) {
  auto statements = parser::split_postgres("query.sql", script);
  const std::string query(statements.back().text);
  statements.pop_back();
  for (const auto& statement : statements) connection.exec(std::string(statement.text));
  const runtime::QueryResult result = connection.query(query);
  std::string text;
  for (int row = 0; row < result.rows(); ++row) {
    for (int column = 0; column < result.columns(); ++column)
      text += (column > 0 ? "|" : "") + std::string(result.value(row, column));
    text += "\n";
  }
  return text;
}

// refused(statement) is true when the statement fails (and undoes it): a
// query can show which rows a constraint still refuses.
const std::string kRefusedFunction =
    "CREATE FUNCTION refused(statement text) RETURNS boolean LANGUAGE plpgsql AS $$"
    "  BEGIN EXECUTE statement; RETURN false; EXCEPTION WHEN others THEN RETURN true; END $$;";

// previous + rows, then the plan to desired; returns the rows of `query`'s
// last statement after.
enum class Run : std::uint8_t { InATransaction, StatementByStatement };

// The plan runs in one transaction, as the applier runs a migration, or
// statement by statement, as it runs a no-transaction one.
std::string rows_after_plan(const std::string& previous, const std::string& inserts, const std::string& desired,
                            const std::string& query, const PlanOptions& options = {}, Run run = Run::InATransaction) {
  runtime::PostgresConnection connection(testing::shared_postgres().create_database());
  connection.exec("SET client_min_messages = warning");
  run_script(connection, previous);
  run_script(connection, inserts);
  if (run == Run::InATransaction) connection.exec("BEGIN");
  run_script(connection, plan_postgres(load(previous), load(desired), options).sql());
  if (run == Run::InATransaction) connection.exec("COMMIT");
  return rows(connection, query);
}

TEST(PlannerDataSurvival, EnumReorderKeepsValuesArraysAndDefaults) {
  EXPECT_EQ(rows_after_plan("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
                            "CREATE TABLE t (id integer, m mood DEFAULT 'ok', ms mood[]);",
                            "INSERT INTO t VALUES (1, 'sad', '{happy,sad}'), (2, 'happy', NULL);",
                            "CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');"
                            "CREATE TABLE t (id integer, m mood DEFAULT 'ok', ms mood[]);",
                            "INSERT INTO t (id) VALUES (3); SELECT id, m, ms FROM t ORDER BY m, id"),
            "2|happy|\n3|ok|\n1|sad|{happy,sad}\n");
}

// The swap converts the columns of domains over the enum (and arrays of
// one, and of a domain over an array of it) and recreates the routines,
// composite types and views that use it; the rows keep their values and sort
// in the new order, and the domains keep their defaults, NOT NULL and checks
// (created with the twin of a domain a column holds an array of, added after
// the renames to the other).
TEST(PlannerDataSurvival, EnumReorderThroughADomainKeepsTheRows) {
  const std::string rest =
      "CREATE DOMAIN feeling AS mood DEFAULT 'ok' CONSTRAINT feeling_not_sad CHECK (VALUE <> 'sad');"
      "CREATE DOMAIN steady AS mood NOT NULL CONSTRAINT steady_not_sad CHECK (VALUE <> 'sad');"
      "CREATE DOMAIN feelings AS mood[];"
      "CREATE TYPE reading AS (m mood, taken_at integer);"
      "CREATE TABLE diary (day integer, f feeling, fs feeling[], history feelings, s steady DEFAULT 'ok');"
      "CREATE FUNCTION cheer(m mood) RETURNS mood LANGUAGE sql AS $$ SELECT 'happy'::mood $$;"
      "CREATE FUNCTION first_reading() RETURNS reading LANGUAGE sql AS $$ SELECT ROW('ok', 1)::reading $$;"
      "CREATE VIEW cheered AS SELECT day, cheer(f) AS m FROM diary;";
  EXPECT_EQ(rows_after_plan("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');" + rest,
                            "INSERT INTO diary VALUES (1, 'happy', '{ok,happy}', '{sad,ok}', 'happy'),"
                            "  (2, 'ok', NULL, NULL, 'ok');",
                            "CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');" + rest,
                            "INSERT INTO diary (day) VALUES (3);"
                            "SELECT day, f, fs, history, s, (SELECT count(*) FROM cheered), (first_reading()).m,"
                            "  (SELECT count(*) FROM pg_constraint WHERE conname IN ('feeling_not_sad', 'steady_not_sad'))"
                            "  FROM diary ORDER BY f, day"),
            "1|happy|{ok,happy}|{sad,ok}|happy|3|ok|2\n2|ok|||ok|3|ok|2\n3|ok|||ok|3|ok|2\n");
}

// What reads a swapped column with a value of the enum (checks, partial and
// expression indexes, trigger WHEN and UPDATE OF, policies), a foreign key
// between two of its columns and a check casting to it go before the swap and
// come back after it, working: the checks and the foreign key still refuse
// rows, the indexes answer, the trigger fires.
TEST(PlannerDataSurvival, EnumReorderRecreatesWhatReadsTheColumns) {
  const std::string rest =
      "CREATE TABLE kinds (m mood PRIMARY KEY);"
      "CREATE TABLE diary (day integer, m mood CHECK (m <> 'meh'), k mood REFERENCES kinds (m),"
      "  note text CHECK (note IS NULL OR note::mood IS NOT NULL));"
      "CREATE INDEX diary_happy ON diary (day) WHERE m = 'happy';"
      "CREATE INDEX diary_sad ON diary ((m = 'sad'::mood));"
      "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.day := NEW.day + 100; RETURN NEW; END $$;"
      "CREATE TRIGGER diary_sad BEFORE UPDATE ON diary FOR EACH ROW WHEN (NEW.m = 'sad') EXECUTE FUNCTION bump();"
      "CREATE TRIGGER diary_k BEFORE UPDATE OF k ON diary FOR EACH ROW EXECUTE FUNCTION bump();"
      "ALTER TABLE diary ENABLE ROW LEVEL SECURITY;"
      "CREATE POLICY diary_no_meh ON diary USING (m <> 'meh');";
  EXPECT_EQ(rows_after_plan("CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');" + rest,
                            "INSERT INTO kinds VALUES ('happy'), ('sad');"
                            "INSERT INTO diary VALUES (1, 'happy', 'sad', 'meh'), (2, 'sad', 'happy', NULL);",
                            "CREATE TYPE mood AS ENUM ('sad', 'happy', 'meh');" + rest,
                            kRefusedFunction +
                                "UPDATE diary SET m = m WHERE day = 2;"
                                "UPDATE diary SET k = 'happy' WHERE day = 1;"
                                "SELECT day, m, k, note,"
                                "  refused($$INSERT INTO diary (day, m) VALUES (9, 'meh')$$),"
                                "  refused($$INSERT INTO diary (day, k) VALUES (9, 'meh')$$),"
                                "  refused($$INSERT INTO diary (day, note) VALUES (9, 'none')$$),"
                                "  (SELECT count(*) FROM pg_indexes WHERE tablename = 'diary'),"
                                "  (SELECT count(*) FROM pg_policies WHERE tablename = 'diary')"
                                "  FROM diary ORDER BY m, day"),
            "102|sad|happy||t|t|t|2|1\n101|happy|happy|meh|t|t|t|2|1\n");
}

// Partitions and inheritance children get the new type through their
// parent's conversion (the server refuses it on them), and each keeps its
// own default.
TEST(PlannerDataSurvival, EnumReorderConvertsInheritedColumnsWithTheirParents) {
  const std::string rest =
      "CREATE TABLE events (id integer, m mood DEFAULT 'ok', at date) PARTITION BY RANGE (at);"
      "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
      "ALTER TABLE events_2024 ALTER COLUMN m SET DEFAULT 'sad';"
      "CREATE TABLE base (id integer, m mood);"
      "CREATE TABLE child (extra text) INHERITS (base);"
      "CREATE TABLE grandchild () INHERITS (child);";
  EXPECT_EQ(rows_after_plan("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');" + rest,
                            "INSERT INTO events VALUES (1, 'happy', '2024-05-01');"
                            "INSERT INTO child VALUES (2, 'sad', 'x'); INSERT INTO grandchild VALUES (3, 'ok', 'y');",
                            "CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');" + rest,
                            "INSERT INTO events_2024 (id, at) VALUES (4, '2024-06-01');"
                            "INSERT INTO events (id, at) VALUES (5, '2024-06-01');"
                            "SELECT id, m FROM events UNION ALL SELECT id, m FROM base ORDER BY m, id"),
            "1|happy\n3|ok\n5|ok\n2|sad\n4|sad\n");
}

// A type change that changes the kind of values (text to integer, an enum
// to text) takes the checks, partial indexes and foreign keys reading the
// column down before it and back after it; they work on the new type.
TEST(PlannerDataSurvival, TypeChangesRecreateWhatComparesTheColumnWithOldValues) {
  PlanOptions options;
  options.allow_destructive = true;  // text to integer may fail on a row
  EXPECT_EQ(rows_after_plan("CREATE TYPE ee AS ENUM ('a', 'b');"
                            "CREATE TABLE t (id integer, e ee CHECK (e <> 'b'), code text UNIQUE CHECK (code <> '0'));"
                            "CREATE INDEX t_a ON t (id) WHERE e = 'a';"
                            "CREATE TABLE r (code text REFERENCES t (code));",
                            "INSERT INTO t VALUES (1, 'a', '10'), (2, NULL, '20'); INSERT INTO r VALUES ('20');",
                            "CREATE TYPE ee AS ENUM ('a', 'b');"
                            "CREATE TABLE t (id integer, e text CHECK (e <> 'b'), code integer UNIQUE CHECK (code <> '0'));"
                            "CREATE INDEX t_a ON t (id) WHERE e = 'a';"
                            "CREATE TABLE r (code integer REFERENCES t (code));",
                            kRefusedFunction +
                                "SELECT id, e, code + 1, (SELECT count(*) FROM r WHERE r.code = t.code),"
                                "  refused($$INSERT INTO t VALUES (3, 'b', 30)$$),"
                                "  refused($$INSERT INTO t VALUES (3, 'c', 0)$$),"
                                "  refused($$INSERT INTO r VALUES (99)$$),"
                                "  (SELECT count(*) FROM pg_indexes WHERE indexname = 't_a')"
                                "  FROM t ORDER BY id",
                            options),
            "1|a|11|0|t|t|t|1\n2||21|1|t|t|t|1\n");
}

// A parent's DROP COLUMN takes the column of a child that only inherits it;
// the child's other rows and columns stay, and the column it defines again
// afterwards is a new, empty one.
TEST(PlannerDataSurvival, ParentColumnDropTakesTheInheritedColumnOfTheChild) {
  PlanOptions options;
  options.allow_destructive = true;
  EXPECT_EQ(rows_after_plan("CREATE TABLE base (id integer, e integer);"
                            "CREATE TABLE child (a1 text) INHERITS (base);"
                            "CREATE TABLE own (e integer, a2 text) INHERITS (base);",
                            "INSERT INTO child VALUES (1, 10, 'x'); INSERT INTO own VALUES (2, 20, 'y');",
                            "CREATE TABLE base (id integer);"
                            "CREATE TABLE child (a1 text) INHERITS (base);"
                            "ALTER TABLE child ADD COLUMN e integer;"
                            "CREATE TABLE own (e integer, a2 text) INHERITS (base);",
                            "SELECT c.id, c.a1, c.e, o.id, o.e, o.a2 FROM child c, own o", options),
            "1|x||2|20|y\n");
}

// A parent's type change and NOT NULL are passed down by the server: the
// plan writes them once, on the parent, and the grandchild's rows follow.
TEST(PlannerDataSurvival, ParentColumnTypeAndNotNullReachTheDescendants) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE events (id integer NOT NULL, code smallint, note text);"
                            "CREATE TABLE web_events (url text) INHERITS (events);"
                            "CREATE TABLE old_web_events () INHERITS (web_events);",
                            "INSERT INTO old_web_events VALUES (2147483647, 7, 'n', 'u');",
                            "CREATE TABLE events (id bigint NOT NULL, code integer NOT NULL, note text);"
                            "CREATE TABLE web_events (url text NOT NULL) INHERITS (events);"
                            "CREATE TABLE old_web_events () INHERITS (web_events);",
                            "SELECT id + 1, code, note, url, pg_typeof(code) FROM old_web_events"),
            "2147483648|7|n|u|integer\n");
}

TEST(PlannerDataSurvival, WideningTypesKeepsValues) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE t (id integer, code character varying(5), amount numeric(6,2));",
                            "INSERT INTO t VALUES (2147483647, 'abcde', 1234.56);",
                            "CREATE TABLE t (id bigint, code text, amount numeric(10,2));",
                            "SELECT id + 1, code, amount FROM t"),
            "2147483648|abcde|1234.56\n");
}

TEST(PlannerDataSurvival, NotNullWithADefaultBackfillsNulls) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE t (id integer, status text);",
                            "INSERT INTO t VALUES (1, NULL), (2, 'done');",
                            "CREATE TABLE t (id integer, status text NOT NULL DEFAULT 'new');",
                            "SELECT id, status FROM t ORDER BY id"),
            "1|new\n2|done\n");
}

TEST(PlannerDataSurvival, ANewNotNullColumnTakesTheBackfillValue) {
  PlanOptions options;
  options.backfills = {{"public.users.handle", "split_part(email, '@', 1)"}};
  EXPECT_EQ(rows_after_plan("CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);",
                            "INSERT INTO users VALUES (1, 'ann@example.com'), (2, 'bob@example.org');",
                            "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, handle text NOT NULL);",
                            "SELECT id, email, handle FROM users ORDER BY id", options),
            "1|ann@example.com|ann\n2|bob@example.org|bob\n");
}

TEST(PlannerDataSurvival, DomainAlteredInPlaceKeepsItsColumnsAndRows) {
  EXPECT_EQ(rows_after_plan("CREATE DOMAIN score AS integer DEFAULT 0 CONSTRAINT score_range CHECK (VALUE <= 10);"
                            "CREATE TABLE results (id integer PRIMARY KEY, s score);",
                            "INSERT INTO results VALUES (1, 4), (2, 10);",
                            "CREATE DOMAIN score AS integer CONSTRAINT score_range CHECK (VALUE <= 100)"
                            "  CONSTRAINT score_even CHECK (VALUE % 2 = 0);"
                            "CREATE TABLE results (id integer PRIMARY KEY, s score);",
                            "INSERT INTO results VALUES (3, 100); SELECT id, s FROM results ORDER BY id"),
            "1|4\n2|10\n3|100\n");
}

TEST(PlannerDataSurvival, PolicyAlteredInPlace) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE docs (id integer PRIMARY KEY, public boolean NOT NULL);"
                            "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;"
                            "CREATE POLICY readable ON docs FOR SELECT USING (public);",
                            "INSERT INTO docs VALUES (1, true), (2, false);",
                            "CREATE TABLE docs (id integer PRIMARY KEY, public boolean NOT NULL);"
                            "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;"
                            "CREATE POLICY readable ON docs FOR SELECT USING (public OR id > 1);",
                            "SELECT polname, pg_get_expr(polqual, polrelid) FROM pg_policy"),
            "readable|(public OR (id > 1))\n");
}

TEST(PlannerDataSurvival, ViewsRecreatedAroundATypeChangeKeepTheRows) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE t (id integer, amount integer);"
                            "CREATE VIEW big AS SELECT id, amount FROM t WHERE amount > 10;",
                            "INSERT INTO t VALUES (1, 5), (2, 50);",
                            "CREATE TABLE t (id integer, amount bigint);"
                            "CREATE VIEW big AS SELECT id, amount FROM t WHERE amount > 10;",
                            "SELECT id, amount FROM big"),
            "2|50\n");
}

TEST(PlannerDataSurvival, RenameHintsKeepTheRows) {
  EXPECT_EQ(rows_after_plan("CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE users (name text, m mood);",
                            "INSERT INTO users VALUES ('ann', 'sad');",
                            "CREATE TYPE mood AS ENUM ('unhappy', 'ok'); CREATE TABLE people (full_name text, m mood);",
                            "SELECT full_name, m FROM people",
                            {.renames = {{"public.users", "people"},
                                         {"public.people.name", "full_name"},
                                         {"public.mood.sad", "unhappy"}}}),
            "ann|unhappy\n");
}

// A serial column (or a plain one) that becomes an identity column hands out
// numbers after those its rows hold.
TEST(PlannerDataSurvival, AnIdentityAddedToAColumnWithRowsContinuesAfterThem) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE u (id serial PRIMARY KEY, b text); CREATE TABLE w (id integer PRIMARY KEY);",
                            "INSERT INTO u (b) VALUES ('x'), ('y'); INSERT INTO w VALUES (7);",
                            "CREATE TABLE u (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b text);"
                            "CREATE TABLE w (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
                            "INSERT INTO u (b) VALUES ('z'); INSERT INTO w DEFAULT VALUES;"
                            "SELECT (SELECT max(id) FROM u), (SELECT max(id) FROM w), pg_get_serial_sequence('u', 'id')"),
            "3|8|public.u_id_seq\n");  // the identity's sequence takes the serial's name
}

// The other way: the serial's new sequence continues after the rows too, and
// is created once the identity's sequence has given up the name.
TEST(PlannerDataSurvival, ASerialReplacingAnIdentityContinuesAfterTheRows) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE u (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b text);",
                            "INSERT INTO u (b) VALUES ('x'), ('y');",
                            "CREATE TABLE u (id serial PRIMARY KEY, b text);",
                            "INSERT INTO u (b) VALUES ('z'); SELECT max(id), pg_get_serial_sequence('u', 'id') FROM u"),
            "3|public.u_id_seq\n");
}

// A serial column's sequence is renamed with its table and column, so the
// next row takes the next number instead of one that is taken.
TEST(PlannerDataSurvival, RenamingASerialColumnKeepsItsSequence) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE users (id serial PRIMARY KEY, b text);",
                            "INSERT INTO users (b) VALUES ('x'), ('y');",
                            "CREATE TABLE people (pid serial, b text, CONSTRAINT users_pkey PRIMARY KEY (pid));",
                            "INSERT INTO people (b) VALUES ('z'); SELECT pid, b FROM people ORDER BY pid",
                            {.renames = {{"public.users", "people"}, {"public.people.id", "pid"}}}),
            "1|x\n2|y\n3|z\n");
}

// Numbers handed out before are not handed out again, though their rows are
// gone: the new counter goes on from where the one it replaces was.
TEST(PlannerDataSurvival, ACounterReplacedByTheOtherKindGoesOnFromWhereItWas) {
  const std::string serial = "CREATE TABLE t (id serial PRIMARY KEY, v text);";
  const std::string identity = "CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);";
  const std::string rows = "INSERT INTO t (v) VALUES ('a'), ('b'), ('c'), ('d'), ('e'); DELETE FROM t WHERE id > 2;";
  const std::string next = "INSERT INTO t (v) VALUES ('f'); SELECT max(id) FROM t";
  EXPECT_EQ(rows_after_plan(serial, rows, identity, next), "6\n");
  EXPECT_EQ(rows_after_plan(identity, rows, serial, next), "6\n");
  EXPECT_EQ(rows_after_plan(serial, rows, identity, next, {}, Run::StatementByStatement), "6\n");
}

// A descending counter continues below the rows, both ways.
TEST(PlannerDataSurvival, ADescendingCounterContinuesPastTheRowsBothWays) {
  const std::string identity =
      "CREATE TABLE u (id int GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1 MAXVALUE -1 START WITH -1) "
      "PRIMARY KEY, v text);";
  const std::string sequence =
      "CREATE SEQUENCE u_id_seq AS int INCREMENT BY -1 MAXVALUE -1 START WITH -1;"
      "CREATE TABLE u (id int PRIMARY KEY DEFAULT nextval('u_id_seq'), v text);"
      "ALTER SEQUENCE u_id_seq OWNED BY u.id;";
  const std::string rows = "INSERT INTO u (v) VALUES ('a'), ('b');";
  const std::string next = "INSERT INTO u (v) VALUES ('c'); SELECT min(id) FROM u";
  EXPECT_EQ(rows_after_plan(identity, rows, sequence, next), "-3\n");
  EXPECT_EQ(rows_after_plan(sequence, rows, identity, next), "-3\n");
}

// An identity's sequence is renamed after its table and column, as a fresh
// build names it, and keeps its counter.
TEST(PlannerDataSurvival, RenamingAnIdentityColumnsTableRenamesItsSequence) {
  EXPECT_EQ(rows_after_plan("CREATE TABLE users (id int GENERATED ALWAYS AS IDENTITY, b text);",
                            "INSERT INTO users (b) VALUES ('x'), ('y');",
                            "CREATE TABLE people (pid int GENERATED ALWAYS AS IDENTITY, b text);",
                            "INSERT INTO people (b) VALUES ('z');"
                            "SELECT max(pid), pg_get_serial_sequence('people', 'pid') FROM people",
                            {.renames = {{"public.users", "people"}, {"public.people.id", "pid"}}}),
            "3|public.people_pid_seq\n");
}

}  // namespace
}  // namespace strata::planner
