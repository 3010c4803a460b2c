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

// `sql` read back differs from the files' catalog of it as read, and agrees
// once aligned: the server rewrites it and the alignment undoes that.
void expect_rewritten_and_aligned(const std::string& sql) {
  EXPECT_FALSE(drift(sql, sql, false).empty()) << "the server no longer rewrites this: the test shows nothing";
  EXPECT_EQ(drift(sql, sql), std::vector<std::string>{});
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
  expect_rewritten_and_aligned(sql);
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
  expect_rewritten_and_aligned(kExpressions);
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

// The server folds typed literals (numeric '1.5' is 1.5), prints a negative
// number as '-20'::integer, and keeps a default's string where the file wrote
// the number, or the other way round.
constexpr const char* kTypedLiterals = R"sql(
  CREATE TABLE items (
    a numeric CONSTRAINT a_check CHECK (a = numeric '1.5' OR a < -3),
    v0 float DEFAULT - 20,
    v1 float DEFAULT -3.14,
    v2 decimal(5, 2) DEFAULT -20.0,
    v3 bigint DEFAULT -3000000000,
    ratio numeric DEFAULT numeric '1.5',
    count_i int DEFAULT int '1',
    active boolean DEFAULT boolean 'true'
  );
)sql";

TEST(LiveAlignment, TypedAndNegativeLiteralsAgreeWithTheConstantsTheServerStores) {
  expect_rewritten_and_aligned(kTypedLiterals);
}

TEST(LiveAlignment, LiteralsOfAnotherValueOrTypeStillDiffer) {
  const std::string table = "CREATE TABLE items (a numeric CONSTRAINT a_check CHECK ";
  // numeric '1' is no integer 1: 1 / 2 is 0, numeric '1' / 2 is 0.5.
  EXPECT_EQ(drift(table + "(a / 2 = numeric '1'));", table + "(a / 2 = 1));").size(), 1U);
  EXPECT_EQ(drift(table + "(a = numeric '1.5'));", table + "(a = 1.6));").size(), 1U);
  EXPECT_EQ(drift("CREATE TABLE items (v float DEFAULT -20);", "CREATE TABLE items (v float DEFAULT -21);").size(), 1U);
  EXPECT_EQ(drift("CREATE TABLE items (v text DEFAULT '-20');", "CREATE TABLE items (v text DEFAULT -20);").size(), 1U);
}

TEST(LiveAlignment, HexBitStringsAgreeWithTheirBits) {
  const std::string sql = "CREATE TABLE flags (mask bit(8) DEFAULT x'1F', nibble varbit(4) DEFAULT b'1010');";
  EXPECT_EQ(drift(sql, sql), std::vector<std::string>{});
  EXPECT_EQ(drift(sql, "CREATE TABLE flags (mask bit(8) DEFAULT x'1E', nibble varbit(4) DEFAULT b'1010');").size(),
            1U);
}

// The server casts each element of ARRAY[...]::text[] and adds the cast to
// text of a varchar.
constexpr const char* kArrayCasts = R"sql(
  CREATE TABLE orders (
    id integer PRIMARY KEY,
    status varchar(20) CHECK (status IS NULL OR status::text = ANY (ARRAY['active'::varchar, 'done'::varchar]::text[])),
    allowed text[] DEFAULT ARRAY['a', 'b']::text[],
    grid integer[][] DEFAULT ARRAY[ARRAY[1, 2], ARRAY[3, 4]]
  );
  CREATE INDEX orders_open ON orders (id) WHERE status::text = ANY (ARRAY['active'::varchar, 'new'::varchar]::text[]);
)sql";

TEST(LiveAlignment, ArrayCastsAndDimensionsAgreeWithWhatTheServerStores) {
  expect_rewritten_and_aligned(kArrayCasts);
}

TEST(LiveAlignment, ArraysThatReallyDifferStillDiffer) {
  EXPECT_EQ(drift("CREATE TABLE t (a text[] DEFAULT ARRAY['a', 'b']::text[]);",
                  "CREATE TABLE t (a text[] DEFAULT ARRAY['a', 'c']::text[]);")
                .size(),
            1U);
  EXPECT_EQ(drift("CREATE TABLE t (a integer[]);", "CREATE TABLE t (a bigint[][]);").size(), 1U);
  EXPECT_EQ(drift("CREATE TABLE t (a integer[]);", "CREATE TABLE t (a integer);").size(), 1U);
}

TEST(LiveAlignment, ExclusionElementsAgreeWithWhatTheServerStores) {
  const std::string sql =
      "CREATE TABLE t (name varchar(255), CONSTRAINT ex1 EXCLUDE USING btree (lower(name::text) WITH =) "
      "WHERE (name::text <> ''));";
  EXPECT_EQ(drift(sql, sql), std::vector<std::string>{});
  EXPECT_EQ(drift(sql,
                  "CREATE TABLE t (name varchar(255), CONSTRAINT ex1 EXCLUDE USING btree (upper(name::text) WITH =) "
                  "WHERE (name::text <> ''));")
                .size(),
            1U);
}

TEST(LiveAlignment, ExtensionTypesNamedThroughSearchPath) {
  const std::string sql = "CREATE EXTENSION citext; CREATE TABLE users (email citext NOT NULL);";
  EXPECT_EQ(drift(sql, sql), std::vector<std::string>{});
  EXPECT_EQ(drift(sql, "CREATE EXTENSION citext; CREATE TABLE users (email text NOT NULL);").size(), 1U);
}

TEST(LiveAlignment, ExtensionRoutinesAndOperatorClassesNamedThroughSearchPath) {
  const std::string sql = R"sql(
    CREATE EXTENSION "uuid-ossp";
    CREATE EXTENSION pg_trgm;
    CREATE TABLE users (key uuid DEFAULT uuid_generate_v4(), name text);
    CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
    CREATE TABLE products (notes jsonb);
    CREATE INDEX products_notes_trgm ON products USING gin ((notes ->> 'text') gin_trgm_ops);
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
