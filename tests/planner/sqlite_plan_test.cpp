// The SQLite planner's strategies on real database files: native ALTER TABLE
// where SQLite allows it, one rebuild per table otherwise, and the rows,
// children, triggers and views of a rebuilt table all there afterwards.
#include <gtest/gtest.h>

#include <algorithm>

#include "sqlite_files.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/planner/plan.h"
#include "strata/runtime/postgres_connection.h"
#include "strata/schema/compare.h"

namespace strata {
namespace {

using testing::SqliteFile;

schema::Catalog load(const std::string& sql) {
  std::vector<parser::Warning> warnings;
  return parser::load_sqlite_schema({{"schema.sql", sql}}, warnings);
}

std::size_t count_statements(const planner::Plan& plan, const std::string& prefix) {
  return static_cast<std::size_t>(std::count_if(plan.statements.begin(), plan.statements.end(),
                                                [&](const auto& statement) { return statement.sql.starts_with(prefix); }));
}

// Every row of a table, every value with its type: byte-for-byte comparison.
runtime::Driver::Rows rows_of(const SqliteFile& file, const std::string& table, const std::string& columns) {
  std::string select;
  std::size_t start = 0;
  while (start <= columns.size()) {
    const std::size_t comma = std::min(columns.find(',', start), columns.size());
    const std::string column = columns.substr(start, comma - start);
    select += (select.empty() ? "" : ", ") + column + ", typeof(" + column + "), hex(" + column + ")";
    start = comma + 1;
  }
  return file.query("SELECT " + select + " FROM " + table + " ORDER BY rowid");
}

constexpr const char* kParentAndChild = R"(
CREATE TABLE authors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  score REAL,
  avatar BLOB
);
CREATE UNIQUE INDEX authors_name ON authors (name);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  title TEXT
);
CREATE INDEX posts_author ON posts (author_id);
CREATE TABLE audit (entry TEXT);
CREATE TRIGGER authors_renamed AFTER UPDATE OF name ON authors BEGIN
  INSERT INTO audit (entry) VALUES ('renamed ' || new.name);
END;
CREATE VIEW author_posts AS SELECT a.name, p.title FROM authors a JOIN posts p ON p.author_id = a.id;
)";

constexpr const char* kRows = R"(
INSERT INTO authors (name, score, avatar) VALUES ('ann', 1.5, x'00ff10'), ('bob', NULL, NULL), ('cé ''quoted''', -0.0, x'');
INSERT INTO authors (name) VALUES ('deleted');
DELETE FROM authors WHERE name = 'deleted';
INSERT INTO posts (author_id, title) VALUES (1, 'first'), (1, 'second'), (2, 'third'), (3, NULL);
)";

// The parent gets a CHECK and a new column in the middle: a rebuild.
std::string rebuilt_parent() {
  std::string schema = kParentAndChild;
  const std::string old_columns = "  name TEXT NOT NULL,\n  score REAL,";
  schema.replace(schema.find(old_columns), old_columns.size(),
                 "  name TEXT NOT NULL CHECK (length(name) > 0),\n  bio TEXT DEFAULT '',\n  score REAL,");
  return schema;
}

TEST(SqliteRebuild, KeepsEveryRowAndTheChildRowsThatCascade) {
  const SqliteFile file("rebuild");
  file.execute(kParentAndChild);
  file.execute(kRows);
  const auto authors_before = rows_of(file, "authors", "id,name,score,avatar");
  const auto posts_before = rows_of(file, "posts", "id,author_id,title");

  const planner::Plan plan = planner::plan_sqlite(load(kParentAndChild), load(rebuilt_parent()), {});
  EXPECT_TRUE(plan.sqlite_foreign_keys_off);
  EXPECT_EQ(count_statements(plan, "CREATE TABLE"), 1U) << plan.sql();
  EXPECT_EQ(count_statements(plan, "DROP TABLE authors"), 1U) << plan.sql();
  file.apply(plan);

  EXPECT_EQ(rows_of(file, "authors", "id,name,score,avatar"), authors_before);
  EXPECT_EQ(rows_of(file, "posts", "id,author_id,title"), posts_before);
  EXPECT_EQ(file.query("SELECT DISTINCT bio FROM authors"), (runtime::Driver::Rows{{std::string("")}}));
  EXPECT_EQ(schema::differences(file.catalog(), load(rebuilt_parent())), std::vector<std::string>{});
}

TEST(SqliteRebuild, RecreatesTriggersViewsAndIndexesThatWork) {
  const SqliteFile file("rebuild-dependents");
  file.execute(kParentAndChild);
  file.execute(kRows);
  file.apply(planner::plan_sqlite(load(kParentAndChild), load(rebuilt_parent()), {}));

  file.execute("UPDATE authors SET name = 'anna' WHERE id = 1");
  EXPECT_EQ(file.query("SELECT entry FROM audit"), (runtime::Driver::Rows{{std::string("renamed anna")}}));
  EXPECT_EQ(file.query("SELECT count(*) FROM author_posts"), (runtime::Driver::Rows{{std::string("4")}}));
  // The cascade still reaches the children once foreign keys are back on.
  file.execute("PRAGMA foreign_keys = ON; DELETE FROM authors WHERE id = 1");
  EXPECT_EQ(file.query("SELECT count(*) FROM posts"), (runtime::Driver::Rows{{std::string("2")}}));
}

TEST(SqliteRebuild, KeepsTheAutoincrementHighWaterMark) {
  const SqliteFile file("autoincrement");
  file.execute(kParentAndChild);
  file.execute(kRows);  // id 4 was used and deleted
  file.apply(planner::plan_sqlite(load(kParentAndChild), load(rebuilt_parent()), {}));
  file.execute("INSERT INTO authors (name) VALUES ('eve')");
  EXPECT_EQ(file.query("SELECT id FROM authors WHERE name = 'eve'"), (runtime::Driver::Rows{{std::string("5")}}));
}

// Without an INTEGER PRIMARY KEY the rowid is the rows' only stable key
// (an FTS5 external-content table keys on it): the copy keeps it, under
// another of its names when a column is called rowid.
TEST(SqliteRebuild, KeepsTheRowidsOfATableWithoutAnIntegerPrimaryKey) {
  const SqliteFile file("rowids");
  const std::string previous = "CREATE TABLE t (name TEXT, n INTEGER); CREATE TABLE u (rowid TEXT, n INTEGER);";
  file.execute(previous);
  file.execute("INSERT INTO t (rowid, name, n) VALUES (5, 'b', 2), (100, NULL, 3);"
               "INSERT INTO u (_rowid_, rowid, n) VALUES (7, 'x', 1);");
  file.apply(planner::plan_sqlite(load(previous),
                                  load("CREATE TABLE t (name TEXT NOT NULL DEFAULT '', n INTEGER);"
                                       "CREATE TABLE u (rowid TEXT, n INTEGER NOT NULL DEFAULT 0);"),
                                  {}));
  EXPECT_EQ(file.query("SELECT _rowid_, name FROM t ORDER BY 1"),
            (runtime::Driver::Rows{{std::string("5"), std::string("b")}, {std::string("100"), std::string("")}}));
  EXPECT_EQ(file.query("SELECT _rowid_, rowid FROM u"), (runtime::Driver::Rows{{std::string("7"), std::string("x")}}));
}

TEST(SqliteRebuild, ViolatedCheckFailsAndLeavesTheDatabaseAsItWas) {
  const SqliteFile file("failing-check");
  file.execute(kParentAndChild);
  file.execute(kRows);
  file.execute("INSERT INTO authors (name) VALUES ('')");  // breaks the new CHECK
  const auto authors_before = rows_of(file, "authors", "id,name,score,avatar");
  const schema::Catalog before = file.catalog();

  EXPECT_THROW(file.apply(planner::plan_sqlite(load(kParentAndChild), load(rebuilt_parent()), {})),
               runtime::DatabaseError);
  EXPECT_EQ(schema::differences(file.catalog(), before), std::vector<std::string>{});
  EXPECT_EQ(rows_of(file, "authors", "id,name,score,avatar"), authors_before);
  EXPECT_EQ(file.query("PRAGMA foreign_keys"), (runtime::Driver::Rows{{std::string("1")}}));
}

TEST(SqliteRebuild, ViolatedForeignKeyFailsAndLeavesTheDatabaseAsItWas) {
  constexpr const char* kLoose = "CREATE TABLE parents (id INTEGER PRIMARY KEY);\n"
                                 "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER);\n";
  constexpr const char* kBound = "CREATE TABLE parents (id INTEGER PRIMARY KEY);\n"
                                 "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER,\n"
                                 "  FOREIGN KEY (parent_id) REFERENCES parents (id));\n";
  const SqliteFile file("failing-foreign-key");
  file.execute(kLoose);
  file.execute("INSERT INTO parents VALUES (1); INSERT INTO children VALUES (1, 1), (2, 99);");
  const schema::Catalog before = file.catalog();

  const planner::Plan plan = planner::plan_sqlite(load(kLoose), load(kBound), {});
  EXPECT_EQ(count_statements(plan, "CREATE TABLE _strata_new_children"), 1U) << plan.sql();
  EXPECT_THROW(file.apply(plan), runtime::DatabaseError);
  EXPECT_EQ(schema::differences(file.catalog(), before), std::vector<std::string>{});
  EXPECT_EQ(file.query("SELECT count(*) FROM children"), (runtime::Driver::Rows{{std::string("2")}}));
}

TEST(SqliteRebuild, TriggersOfOtherTablesAndViewsOnViewsThatReadItComeBack) {
  constexpr const char* kBefore = R"(
CREATE TABLE items (id INTEGER PRIMARY KEY, price INTEGER);
CREATE TABLE orders (id INTEGER PRIMARY KEY, item_id INTEGER);
CREATE TRIGGER orders_touch AFTER INSERT ON orders BEGIN
  UPDATE items SET price = price WHERE id = new.item_id;
END;
CREATE VIEW cheap AS SELECT id FROM items WHERE price < 10;
CREATE VIEW cheap_count AS SELECT count(*) AS n FROM cheap;
)";
  std::string after = kBefore;
  after.replace(after.find("price INTEGER)"), 14, "price INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0))");
  const SqliteFile file("dependents");
  file.execute(kBefore);
  file.execute("INSERT INTO items VALUES (1, 5), (2, 50)");
  const planner::Plan plan = planner::plan_sqlite(load(kBefore), load(after), {});
  EXPECT_EQ(count_statements(plan, "DROP TRIGGER orders_touch"), 1U) << plan.sql();
  EXPECT_EQ(count_statements(plan, "DROP VIEW"), 2U) << plan.sql();
  file.apply(plan);
  file.execute("INSERT INTO orders VALUES (1, 1)");
  EXPECT_EQ(file.query("SELECT n FROM cheap_count"), (runtime::Driver::Rows{{std::string("1")}}));
  EXPECT_EQ(schema::differences(file.catalog(), load(after)), std::vector<std::string>{});
}

TEST(SqliteNativeAlter, AddsANullableColumnWithoutARebuild) {
  const planner::Plan plan =
      planner::plan_sqlite(load("CREATE TABLE t (a INTEGER);"),
                           load("CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
                                "CREATE TABLE t (a INTEGER, b TEXT DEFAULT 'x', u_id INTEGER REFERENCES u (id));"),
                           {});
  EXPECT_EQ(plan.sql(),
            "CREATE TABLE u (\n  id INTEGER PRIMARY KEY\n);\n"
            "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x';\n"
            "ALTER TABLE t ADD COLUMN u_id INTEGER REFERENCES u (id);\n");
  EXPECT_FALSE(plan.sqlite_foreign_keys_off);
}

TEST(SqliteNativeAlter, RenamesByHintAndDropsAnUnusedColumn) {
  planner::PlanOptions options;
  options.allow_destructive = true;
  options.renames = {{"main.t.a", "alpha"}};
  const planner::Plan plan = planner::plan_sqlite(load("CREATE TABLE t (a INTEGER, b TEXT, c TEXT);"),
                                                  load("CREATE TABLE t (alpha INTEGER, c TEXT);"), options);
  EXPECT_EQ(plan.sql(), "ALTER TABLE t RENAME COLUMN a TO alpha;\nALTER TABLE t DROP COLUMN b;\n");
}

TEST(SqliteNativeAlter, ACurrentTimestampDefaultNeedsARebuild) {
  const planner::Plan plan = planner::plan_sqlite(load("CREATE TABLE t (a INTEGER);"),
                                                  load("CREATE TABLE t (a INTEGER, at TEXT DEFAULT CURRENT_TIMESTAMP);"),
                                                  {});
  EXPECT_EQ(count_statements(plan, "CREATE TABLE _strata_new_t"), 1U) << plan.sql();
}

TEST(SqliteBackfill, ANewNotNullColumnWithoutDefaultNeedsAValue) {
  const auto previous = load("CREATE TABLE t (a INTEGER);");
  const auto desired = load("CREATE TABLE t (a INTEGER, b TEXT NOT NULL);");
  try {
    planner::plan_sqlite(previous, desired, {});
    FAIL() << "planned without a value for b";
  } catch (const planner::MissingBackfill& missing) {
    EXPECT_EQ(missing.columns(), std::vector<std::string>{"main.t.b"});
    EXPECT_NE(std::string(missing.what()).find("--backfill"), std::string::npos) << missing.what();
  }

  planner::PlanOptions options;
  options.backfills = {{"main.t.b", "'row ' || a"}};
  const SqliteFile file("backfill");
  file.execute("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2);");
  file.apply(planner::plan_sqlite(previous, desired, options));
  EXPECT_EQ(file.query("SELECT b FROM t ORDER BY a"),
            (runtime::Driver::Rows{{std::string("row 1")}, {std::string("row 2")}}));
}

TEST(SqliteBackfill, AColumnNameWithADotIsQuotedInItsPath) {
  const auto previous = load("CREATE TABLE t (a INTEGER);");
  const auto desired = load("CREATE TABLE t (a INTEGER, \"b.c\" TEXT NOT NULL);");
  try {
    planner::plan_sqlite(previous, desired, {});
    FAIL() << "planned without a value for b.c";
  } catch (const planner::MissingBackfill& missing) {
    EXPECT_EQ(missing.columns(), std::vector<std::string>{"main.t.\"b.c\""});
  }
  planner::PlanOptions options;
  options.backfills = {{"main.t.\"b.c\"", "'x'"}};
  const SqliteFile file("backfill-dotted");
  file.execute("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);");
  file.apply(planner::plan_sqlite(previous, desired, options));
  EXPECT_EQ(file.query("SELECT \"b.c\" FROM t"), (runtime::Driver::Rows{{std::string("x")}}));
}

TEST(SqliteBackfill, ReplacesTheDefaultForExistingRowsOfAnAddedColumn) {
  planner::PlanOptions options;
  options.backfills = {{"main.t.b", "a * 10"}};
  const SqliteFile file("backfill-native");
  file.execute("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2);");
  const planner::Plan plan = planner::plan_sqlite(load("CREATE TABLE t (a INTEGER);"),
                                                  load("CREATE TABLE t (a INTEGER, b INTEGER NOT NULL DEFAULT 0);"),
                                                  options);
  EXPECT_EQ(count_statements(plan, "ALTER TABLE t ADD COLUMN"), 1U) << plan.sql();
  file.apply(plan);
  file.execute("INSERT INTO t (a) VALUES (3)");
  EXPECT_EQ(file.query("SELECT b FROM t ORDER BY a"),
            (runtime::Driver::Rows{{std::string("10")}, {std::string("20")}, {std::string("0")}}));
}

TEST(SqliteDestructive, DroppingAColumnIsRefusedUnlessAllowed) {
  const auto previous = load("CREATE TABLE t (a INTEGER, b TEXT);");
  const auto desired = load("CREATE TABLE t (a INTEGER);");
  try {
    planner::plan_sqlite(previous, desired, {});
    FAIL() << "dropped b without being allowed";
  } catch (const planner::DestructiveChange& refused) {
    EXPECT_EQ(refused.losses(), std::vector<std::string>{"column main.t.b and its values"});
  }
}

TEST(SqliteDestructive, TextTurningNumericIsALoss) {
  const auto previous = load("CREATE TABLE t (code TEXT, n INTEGER);");
  const auto desired = load("CREATE TABLE t (code INTEGER, n TEXT);");
  try {
    planner::plan_sqlite(previous, desired, {});
    FAIL() << "changed code to INTEGER without being allowed";
  } catch (const planner::DestructiveChange& refused) {
    ASSERT_EQ(refused.losses().size(), 1U);
    EXPECT_NE(refused.losses().front().find("main.t.code"), std::string::npos) << refused.losses().front();
  }
}

// The loss the rebuild from `previous` to `desired` is refused for, or ""
// when it is planned without one.
std::string rebuild_loss(const std::string& previous, const std::string& desired) {
  try {
    planner::plan_sqlite(load(previous), load(desired), {});
  } catch (const planner::DestructiveChange& refused) {
    return refused.losses().at(0);
  }
  return "";
}

TEST(SqliteDestructive, AffinityChangesThatAlterValuesAreLosses) {
  EXPECT_NE(rebuild_loss("CREATE TABLE t (n INTEGER);", "CREATE TABLE t (n REAL);").find("beyond 2^53"),
            std::string::npos);
  EXPECT_NE(rebuild_loss("CREATE TABLE t (r REAL);", "CREATE TABLE t (r TEXT);").find("numbers become text"),
            std::string::npos);
  EXPECT_NE(rebuild_loss("CREATE TABLE t (v);", "CREATE TABLE t (v TEXT);").find("numbers become text"),
            std::string::npos);
  EXPECT_NE(rebuild_loss("CREATE TABLE t (a ANY) STRICT;", "CREATE TABLE t (a ANY);").find("ANY in a STRICT table"),
            std::string::npos);
  EXPECT_EQ(rebuild_loss("CREATE TABLE t (n INTEGER, r REAL, s TEXT);", "CREATE TABLE t (n NUMERIC, r INTEGER, s BLOB);"),
            "");
}

TEST(SqliteDestructive, AColumnThatBecomesGeneratedLosesItsValues) {
  EXPECT_EQ(rebuild_loss("CREATE TABLE g (a INTEGER, s INTEGER);",
                         "CREATE TABLE g (a INTEGER, s INTEGER AS (a * 2) STORED);"),
            "the values of column main.g.s, which becomes generated");
}

TEST(SqlitePlan, ReverseUndoesARebuild) {
  const SqliteFile file("reverse");
  file.execute(kParentAndChild);
  file.execute(kRows);
  const auto previous = load(kParentAndChild);
  const auto desired = load(rebuilt_parent());
  file.apply(planner::plan_sqlite(previous, desired, {}));
  planner::PlanOptions down;
  down.allow_destructive = true;
  file.apply(planner::reverse_plan(schema::Dialect::Sqlite, previous, desired, down));
  EXPECT_EQ(schema::differences(file.catalog(), previous), std::vector<std::string>{});
  EXPECT_EQ(file.query("SELECT count(*) FROM posts"), (runtime::Driver::Rows{{std::string("4")}}));
}

}  // namespace
}  // namespace strata
