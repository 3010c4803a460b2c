// Which rename hints of the schema files apply to the previous schema, and
// plans that follow them.
#include "strata/planner/rename_hints.h"

#include <gtest/gtest.h>

#include "strata/parser/interpreter.h"
#include "strata/parser/sqlite_schema.h"
#include "strata/planner/plan.h"

namespace strata::planner {
namespace {

using schema::Dialect;
using Renames = std::vector<std::pair<std::string, std::string>>;

schema::Catalog load(Dialect dialect, const std::string& sql) {
  std::vector<parser::Warning> warnings;
  const std::vector<parser::SourceFile> files{{"schema.sql", sql}};
  if (dialect == Dialect::Postgres) return parser::load_postgres_schema(files, warnings);
  return parser::load_sqlite_schema(files, warnings);
}

Renames applicable(Dialect dialect, const std::string& previous, const std::string& desired) {
  return applicable_renames(load(dialect, previous), parser::read_rename_hints(dialect, {{"schema.sql", desired}}));
}

constexpr const char* kRenamedAccounts =
    "CREATE TABLE accounts ( -- @renamed from=old_accounts\n"
    "  id bigint NOT NULL,\n"
    "  username varchar(100) NOT NULL, -- @renamed from=user_name\n"
    "  is_active integer DEFAULT 1\n"
    ");\n"
    "CREATE INDEX accounts_username ON accounts (username); -- @renamed from=old_accounts_user_name\n";

TEST(ApplicableRenames, ColumnOfARenamedTableIsFoundUnderTheNewName) {
  for (const Dialect dialect : {Dialect::Postgres, Dialect::Sqlite}) {
    const std::string schema_name = dialect == Dialect::Postgres ? "public" : "main";
    EXPECT_EQ(applicable(dialect,
                         "CREATE TABLE old_accounts (id bigint NOT NULL, user_name varchar(50), is_active integer);"
                         "CREATE INDEX old_accounts_user_name ON old_accounts (user_name);",
                         kRenamedAccounts),
              (Renames{{schema_name + ".old_accounts", "accounts"},
                       {schema_name + ".accounts.user_name", "username"},
                       {schema_name + ".old_accounts_user_name", "accounts_username"}}));
  }
}

TEST(ApplicableRenames, HintsWhoseOldObjectIsGoneAreLeftOut) {
  // The renames were planned: the previous schema already has the new names.
  EXPECT_EQ(applicable(Dialect::Postgres,
                       "CREATE TABLE accounts (id bigint NOT NULL, username varchar(100) NOT NULL, is_active integer);"
                       "CREATE INDEX accounts_username ON accounts (username);",
                       kRenamedAccounts),
            Renames{});
  // Only the table was renamed so far.
  EXPECT_EQ(applicable(Dialect::Postgres, "CREATE TABLE old_accounts (id bigint, username text);", kRenamedAccounts),
            (Renames{{"public.old_accounts", "accounts"}}));
}

TEST(ApplicableRenames, OnlyTheFirstOfTwoHintsForOneEnumApplies) {
  EXPECT_EQ(applicable(Dialect::Postgres, "CREATE TYPE order_state AS ENUM ('pending', 'shipping');",
                       "CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM ( /* @renamed from=other */\n"
                       "  'pending',\n"
                       "  'shipped' /* @renamed from=shipping */\n"
                       ");"),
            (Renames{{"public.order_state", "order_status"}, {"public.order_status.shipping", "shipped"}}));
}

TEST(ApplicableRenames, ARenameTheServerWouldRefuseIsAnErrorAtTheHint) {
  try {
    applicable(Dialect::Postgres, "CREATE TABLE users (username text, user_name varchar(50));",
               "CREATE TABLE users (\n  username text,\n  user_name varchar(100) -- @renamed from=username\n);");
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.location()->str(), "schema.sql:3:26");
    EXPECT_NE(error.message().find("cannot rename public.users.username to user_name"), std::string::npos)
        << error.message();
  }
}

TEST(ApplicableRenames, PlansFollowTheHintsAndTheNextPlanIsEmpty) {
  const std::string previous_sql =
      "CREATE TYPE order_state AS ENUM ('pending', 'shipping');"
      "CREATE TABLE orders (id bigint, state order_state, user_name text);";
  const std::string desired_sql =
      "CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM ('pending', 'shipped' /* @renamed "
      "from=shipping */);\n"
      "CREATE TABLE orders (id bigint, state order_status, username text /* @renamed from=user_name */);\n";
  const auto previous = load(Dialect::Postgres, previous_sql);
  const auto desired = load(Dialect::Postgres, desired_sql);
  const auto hints = parser::read_rename_hints(Dialect::Postgres, {{"schema.sql", desired_sql}});
  const Plan plan = plan_postgres(previous, desired, {.renames = applicable_renames(previous, hints)});
  EXPECT_EQ(plan.sql(),
            "ALTER TYPE public.order_state RENAME TO order_status;\n"
            "ALTER TYPE public.order_status RENAME VALUE 'shipping' TO 'shipped';\n"
            "ALTER TABLE public.orders RENAME COLUMN user_name TO username;\n");
  EXPECT_TRUE(plan_postgres(desired, desired, {.renames = applicable_renames(desired, hints)}).empty());
}

TEST(ApplicableRenames, ANameHoldingADotIsRenamedAndRenamedBack) {
  const auto previous = load(Dialect::Postgres, "CREATE TABLE users (\"special.column\" text, age integer);");
  const std::string desired_sql =
      "CREATE TABLE users (\n  special_column text, -- @renamed from=\"special.column\"\n  age integer\n);";
  const auto desired = load(Dialect::Postgres, desired_sql);
  const PlanOptions options{
      .renames = applicable_renames(previous, parser::read_rename_hints(Dialect::Postgres, {{"s.sql", desired_sql}}))};
  EXPECT_EQ(plan_postgres(previous, desired, options).sql(),
            "ALTER TABLE public.users RENAME COLUMN \"special.column\" TO special_column;\n");
  EXPECT_EQ(reverse_plan(Dialect::Postgres, previous, desired, options).sql(),
            "ALTER TABLE public.users RENAME COLUMN special_column TO \"special.column\";\n");
}

}  // namespace
}  // namespace strata::planner
