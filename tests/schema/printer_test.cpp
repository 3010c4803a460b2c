#include "strata/schema/printer.h"

#include <gtest/gtest.h>

#include "strata/schema/compare.h"

namespace strata::schema {
namespace {

Table users() {
  Table table;
  table.name = {"public", "users"};
  table.columns.push_back({.name = "id", .type = {"", "integer", {}, 0}, .not_null = true});
  table.columns.push_back({.name = "email", .type = {"", "text", {}, 0}, .default_expr = "''"});
  table.constraints.push_back({.name = "users_pkey", .body = PrimaryKey{{"id"}, {}}});
  return table;
}

TEST(CreateTableSql, PrintsColumnsAndConstraints) {
  EXPECT_EQ(create_table_sql(users()),
            "CREATE TABLE public.users (\n  id integer NOT NULL,\n  email text DEFAULT '',\n"
            "  CONSTRAINT users_pkey PRIMARY KEY (id)\n)");
}

TEST(CatalogSql, AddsForeignKeysAfterEveryTableExists) {
  Catalog catalog = Catalog::postgres_default();
  catalog.tables[{"public", "users"}] = users();
  Table posts;
  posts.name = {"public", "posts"};
  posts.columns.push_back({.name = "author", .type = {"", "integer", {}, 0}});
  posts.constraints.push_back(
      {.name = "posts_author_fkey",
       .body = ForeignKey{{"author"}, {"public", "users"}, {"id"}, ReferentialAction::Cascade}});
  catalog.tables[posts.name] = posts;
  const std::string sql = catalog_sql(catalog);
  const auto posts_at = sql.find("CREATE TABLE public.posts");
  const auto users_at = sql.find("CREATE TABLE public.users");
  const auto key_at = sql.find("ALTER TABLE public.posts ADD CONSTRAINT posts_author_fkey FOREIGN KEY (author) "
                               "REFERENCES public.users (id) ON DELETE CASCADE");
  ASSERT_NE(key_at, std::string::npos) << sql;
  EXPECT_GT(key_at, posts_at);
  EXPECT_GT(key_at, users_at);
}

// CREATE TABLE would validate it: a NOT VALID constraint is added after.
TEST(CatalogSql, AddsNotValidConstraintsAfterTheTableWithNotValid) {
  Catalog catalog = Catalog::postgres_default();
  Table table = users();
  table.constraints.push_back({.name = "users_email_check", .body = Check{"email <> ''", false}, .not_valid = true});
  catalog.tables[table.name] = table;
  const std::string sql = catalog_sql(catalog);
  EXPECT_EQ(sql.find("CHECK (email <> '')\n"), std::string::npos) << sql;
  EXPECT_NE(sql.find("ALTER TABLE public.users ADD CONSTRAINT users_email_check CHECK (email <> '') NOT VALID"),
            std::string::npos)
      << sql;
}

TEST(CatalogSql, WritesSchemaCommentsOnlyWhereThereAreAny) {
  Catalog catalog = Catalog::postgres_default();
  catalog.schemas["plain"] = Schema{"plain", std::nullopt};
  catalog.schemas["noted"] = Schema{"noted", "kept apart"};
  catalog.schemas["public"].comment.reset();
  const std::string sql = catalog_sql(catalog);
  EXPECT_EQ(sql.find("COMMENT ON SCHEMA plain"), std::string::npos) << sql;
  EXPECT_NE(sql.find("COMMENT ON SCHEMA noted IS 'kept apart';"), std::string::npos) << sql;
  EXPECT_NE(sql.find("COMMENT ON SCHEMA public IS '';"), std::string::npos) << sql;  // '' removes the preset one
}

TEST(CatalogSql, OrdersViewsAfterTheViewsTheyRead) {
  Catalog catalog = Catalog::postgres_default();
  View base{.name = {"public", "a_base"}, .query = "SELECT 1"};
  View top{.name = {"public", "b_top"}, .query = "SELECT * FROM a_base"};
  View first{.name = {"public", "0_first"}, .query = "SELECT * FROM b_top"};
  first.depends_on.relations = {top.name};
  top.depends_on.relations = {base.name};
  catalog.views[base.name] = base;
  catalog.views[top.name] = top;
  catalog.views[first.name] = first;
  const std::string sql = catalog_sql(catalog);
  EXPECT_LT(sql.find("public.a_base"), sql.find("public.b_top"));
  EXPECT_LT(sql.find("public.b_top AS"), sql.find("public.\"0_first\""));
}

TEST(Differences, NameColumnOrderWhenOnlyTheOrderDiffers) {
  Catalog first = Catalog::postgres_default();
  first.tables[{"public", "users"}] = users();
  Catalog second = first;
  auto& columns = second.tables.at({"public", "users"}).columns;
  std::swap(columns[0], columns[1]);
  const auto found = differences(first, second);
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0], "table public.users: column order differs (id, email / email, id)");
  EXPECT_TRUE(differences(first, first).empty());
}

TEST(StringLiteral, DoublesQuotes) { EXPECT_EQ(string_literal("it's"), "'it''s'"); }

}  // namespace
}  // namespace strata::schema
