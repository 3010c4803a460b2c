// Drift detection on the server's rewrites: the same SQL run on a real
// PostgreSQL and read back, and loaded by the front end, agrees once
// parser::align_live_catalog has seen both; SQL that really differs still
// differs.
#include "strata/parser/live_alignment.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "postgres_cluster.h"
#include "strata/parser/interpreter.h"
#include "strata/runtime/postgres_inspect.h"
#include "strata/schema/compare.h"

namespace strata {
namespace {

// The live catalog of `live_sql`, run in a fresh database, against the
// files' catalog of `file_sql`: as drift detection compares them, or, with
// `aligned` false, as the catalogs are read.
std::vector<std::string> drift(const std::string& live_sql, const std::string& file_sql, bool aligned = true) {
  runtime::PostgresConnection connection(testing::shared_postgres().create_database());
  connection.exec(live_sql);
  std::vector<parser::Warning> warnings;
  const schema::Catalog files = parser::load_postgres_schema({{"schema.sql", file_sql}}, warnings);
  schema::Catalog live = runtime::inspect_postgres(connection);
  if (aligned) live = parser::align_live_catalog(std::move(live), files);
  return schema::differences(live, files, "the live database", "the files");
}

constexpr const char* kTables = R"sql(
  CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, status varchar(20));
  CREATE TABLE posts (id integer PRIMARY KEY, user_id integer REFERENCES users, title text);
)sql";

// The server qualifies the view's relations and columns, expands *, names
// every result column and stores IN as = ANY (ARRAY['a'::text, ...]).
constexpr const char* kPlainViews = R"sql(
  CREATE VIEW all_users AS SELECT * FROM users;
  CREATE VIEW named AS
    SELECT name, upper(name), count(*) FROM users WHERE name IN ('a', 'b') GROUP BY name ORDER BY name;
  CREATE VIEW user_posts AS SELECT u.name, p.title FROM users u JOIN posts p ON p.user_id = u.id WHERE title <> 'x';
  CREATE VIEW renamed (who) AS SELECT name FROM users;
  CREATE VIEW chained AS SELECT who FROM renamed;
  CREATE TABLE sessions (user_id integer, duration double precision);
  CREATE VIEW active AS WITH recent AS (SELECT DISTINCT user_id FROM sessions WHERE duration > 0)
    SELECT r.user_id, u.name FROM recent r JOIN users u ON u.id = r.user_id;
  CREATE VIEW by_length AS SELECT length(name) AS name_length, count(*) AS n FROM users GROUP BY name_length;
)sql";

TEST(LiveAlignment, PlainViewsAgreeWithWhatTheServerStores) {
  const std::string sql = std::string(kTables) + kPlainViews;
  EXPECT_FALSE(drift(sql, sql, false).empty())
      << "the server no longer rewrites these views: the test shows nothing";
  EXPECT_EQ(drift(sql, sql), std::vector<std::string>{});
}

TEST(LiveAlignment, ViewsThatReallyDifferStillDiffer) {
  const std::string tables = kTables;
  EXPECT_EQ(drift(tables + "CREATE VIEW v AS SELECT id FROM users;",
                  tables + "CREATE VIEW v AS SELECT name FROM users;")
                .size(),
            1U);
  EXPECT_EQ(drift(tables + "CREATE VIEW v AS SELECT * FROM users WHERE name IN ('a', 'b');",
                  tables + "CREATE VIEW v AS SELECT * FROM users WHERE name IN ('a', 'c');")
                .size(),
            1U);
  // A CTE named like a table is not the table.
  EXPECT_EQ(drift(tables + "CREATE VIEW v AS WITH users AS (SELECT 1 AS id) SELECT id FROM users;",
                  tables + "CREATE VIEW v AS WITH users AS (SELECT 1 AS id) SELECT id FROM public.users;")
                .size(),
            1U);
  // Different result column names.
  EXPECT_EQ(drift(tables + "CREATE VIEW v AS SELECT name FROM users;",
                  tables + "CREATE VIEW v AS SELECT name AS label FROM users;")
                .size(),
            1U);
}

// Checks, index predicates, domain checks and defaults: 'a'::text, IN as
// = ANY / <> ALL / =, and public.f(x) for a routine of the files.
constexpr const char* kExpressions = R"sql(
  CREATE FUNCTION is_valid_name(value text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT value <> '' $$;
  CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
  CREATE TABLE products (
    id integer PRIMARY KEY,
    name text CHECK (is_valid_name(name)),
    status text CHECK (status IN ('active', 'inactive')),
    kind text CHECK (kind IN ('single')) CHECK (kind NOT IN ('gone', 'lost')),
    level integer CHECK (level IN (1, 2, 3)),
    created_at timestamp DEFAULT (now() AT TIME ZONE 'utc'),
    label text DEFAULT ('a' || 'b') CHECK (label LIKE 'a%'),
    code varchar(10),
    price numeric(10, 2) CHECK (price > 0),
    opens time CHECK (opens >= '06:00:00')
  );
  CREATE INDEX products_active ON products (name) WHERE status = 'active';
  CREATE INDEX products_coded ON products (id) WHERE code = 'x' AND price > 100;
  CREATE TABLE documents (id integer PRIMARY KEY, body jsonb);
  CREATE UNIQUE INDEX documents_path ON documents ((jsonb_extract_path_text(body, 'a', 'b')));
)sql";

TEST(LiveAlignment, ExpressionsAgreeWithWhatTheServerStores) {
  EXPECT_FALSE(drift(kExpressions, kExpressions, false).empty())
      << "the server no longer rewrites these: the test shows nothing";
  EXPECT_EQ(drift(kExpressions, kExpressions), std::vector<std::string>{});
}

TEST(LiveAlignment, ExpressionsThatReallyDifferStillDiffer) {
  const std::string table = "CREATE TABLE products (id integer PRIMARY KEY, status text, CONSTRAINT status_check ";
  EXPECT_EQ(drift(table + "CHECK (status IN ('active', 'inactive')));",
                  table + "CHECK (status NOT IN ('active', 'inactive')));")
                .size(),
            1U);
  EXPECT_EQ(drift(table + "CHECK (status IN ('active')));", table + "CHECK (status IN ('inactive')));").size(), 1U);
  const std::string priced = "CREATE TABLE products (id integer PRIMARY KEY, price numeric, CONSTRAINT price_check ";
  EXPECT_EQ(drift(priced + "CHECK (price > 100));", priced + "CHECK (price > 101));").size(), 1U);
}

TEST(LiveAlignment, ExtensionRoutinesAndOperatorClassesNamedThroughSearchPath) {
  const std::string sql = R"sql(
    CREATE EXTENSION "uuid-ossp";
    CREATE EXTENSION pg_trgm;
    CREATE TABLE users (key uuid DEFAULT uuid_generate_v4(), name text);
    CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
  )sql";
  EXPECT_EQ(drift(sql, sql), std::vector<std::string>{});
}

TEST(LiveAlignment, AnExtensionVersionCountsOnlyWhenTheFilesNameOne) {
  EXPECT_EQ(drift("CREATE EXTENSION pgcrypto;", "CREATE EXTENSION pgcrypto;"), std::vector<std::string>{});
  // The files ask for a version other than the one installed.
  EXPECT_EQ(drift("CREATE EXTENSION pgcrypto;", "CREATE EXTENSION pgcrypto VERSION '1.0';").size(), 1U);
}

}  // namespace
}  // namespace strata
