// The typed changes the diff produces, before ordering and rendering.
#include <gtest/gtest.h>

#include "strata/parser/interpreter.h"
#include "strata/planner/diff.h"
#include "strata/planner/plan.h"

namespace strata::planner {
namespace {

schema::Catalog load(const std::string& sql) {
  std::vector<parser::Warning> warnings;
  return parser::load_postgres_schema({{"test.sql", sql}}, warnings);
}

// The message of the diff's refusal to go from `previous` to `desired`.
std::string refusal(const std::string& previous, const std::string& desired) {
  try {
    diff(load(previous), load(desired), {});
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a refusal";
  return {};
}

// The changes that reorder enum e from ('a', 'b') to ('b', 'a') with `rest`
// of the schema unchanged.
std::vector<Change> swap_changes(const std::string& rest) {
  return diff(load("CREATE TYPE e AS ENUM ('a', 'b');" + rest), load("CREATE TYPE e AS ENUM ('b', 'a');" + rest), {});
}

// The message of swap_changes' refusal.
std::string swap_refusal(const std::string& rest) {
  return refusal("CREATE TYPE e AS ENUM ('a', 'b');" + rest, "CREATE TYPE e AS ENUM ('b', 'a');" + rest);
}

TEST(PlannerDiff, AlterColumnNamesWhatChanged) {
  const auto changes = diff(load("CREATE TABLE t (a integer);"),
                            load("CREATE TABLE t (a bigint NOT NULL DEFAULT 1);"), {});
  ASSERT_EQ(changes.size(), 1u);
  const auto& alter = std::get<AlterColumn>(changes[0]);
  EXPECT_EQ(alter.changes, ColumnChange::Type | ColumnChange::Null | ColumnChange::Default);
  EXPECT_FALSE(data_loss(changes[0]));  // integer -> bigint widens
}

TEST(PlannerDiff, NarrowingATypeIsDestructive) {
  const auto changes = diff(load("CREATE TABLE t (a character varying(20));"),
                            load("CREATE TABLE t (a character varying(10));"), {});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(data_loss(changes[0]));
}

TEST(PlannerDiff, EnumValuesInsertedKeepingTheOldOrderAreAdded) {
  const auto changes = diff(load("CREATE TYPE e AS ENUM ('b', 'd');"),
                            load("CREATE TYPE e AS ENUM ('a', 'b', 'c', 'd', 'e');"), {});
  ASSERT_EQ(changes.size(), 3u);
  const auto& a = std::get<AddEnumValue>(changes[0]);
  EXPECT_EQ(a.value, "a");
  EXPECT_EQ(a.neighbour, "b");
  EXPECT_FALSE(a.after);
  const auto& c = std::get<AddEnumValue>(changes[1]);
  EXPECT_EQ(c.value, "c");
  EXPECT_EQ(c.neighbour, "b");
  EXPECT_TRUE(c.after);
  const auto& e = std::get<AddEnumValue>(changes[2]);
  EXPECT_EQ(e.value, "e");
  EXPECT_FALSE(e.neighbour);
}

TEST(PlannerDiff, ReorderedEnumIsSwappedWithoutLoss) {
  const auto changes = diff(load("CREATE TYPE e AS ENUM ('a', 'b'); CREATE TABLE t (x e DEFAULT 'a', y e[]);"),
                            load("CREATE TYPE e AS ENUM ('b', 'a'); CREATE TABLE t (x e DEFAULT 'a', y e[]);"), {});
  ASSERT_EQ(changes.size(), 1u);
  const auto& swap = std::get<SwapEnum>(changes[0]);
  ASSERT_EQ(swap.columns.size(), 2u);
  EXPECT_TRUE(swap.columns[0].had_default);
  EXPECT_EQ(swap.columns[1].array_dims, 1);
  EXPECT_FALSE(data_loss(changes[0]));
}

TEST(PlannerDiff, SwappingAnEnumRecreatesTheRoutinesThatUseIt) {
  const auto changes = swap_changes("CREATE FUNCTION f(x e) RETURNS integer LANGUAGE sql AS 'SELECT 1';");
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<SwapEnum>(changes[0]));
  EXPECT_EQ(std::get<DropFunction>(changes[1]).function.signature(), "public.f(public.e)");
  EXPECT_FALSE(std::get<CreateFunction>(changes[2]).or_replace);
}

// The server refuses DROP FUNCTION while a default calls the routine.
TEST(PlannerDiff, SwappingAnEnumWhoseRoutineADefaultCallsIsRefused) {
  const std::string refusal = swap_refusal(
      "CREATE FUNCTION pick(x e) RETURNS integer LANGUAGE sql AS 'SELECT 1';"
      "CREATE TABLE t (n integer DEFAULT pick('a'));");
  EXPECT_NE(refusal.find("routine public.pick(public.e)"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("the default of column public.t.n"), std::string::npos) << refusal;
}

// PostgreSQL cannot change an attribute of a composite type a table stores,
// nor drop the type under the column.
TEST(PlannerDiff, SwappingAnEnumInACompositeTypeATableStoresIsRefused) {
  const std::string refusal = swap_refusal("CREATE TYPE r AS (x e, n integer); CREATE TABLE t (v r);");
  EXPECT_NE(refusal.find("type public.r"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("column public.t.v"), std::string::npos) << refusal;
}

// PostgreSQL 15 cannot convert a column a generated column reads, nor change
// the generation expression.
TEST(PlannerDiff, SwappingAnEnumAGeneratedColumnReadsIsRefused) {
  const std::string refusal =
      swap_refusal("CREATE TABLE t (m e, g text GENERATED ALWAYS AS (CASE WHEN m = 'a' THEN 'y' END) STORED);");
  EXPECT_NE(refusal.find("generated column public.t.g"), std::string::npos) << refusal;
}

TEST(PlannerDiff, SwappingAnEnumInAPartitionKeyIsRefused) {
  const std::string refusal = swap_refusal("CREATE TABLE t (id integer, m e) PARTITION BY LIST (m);");
  EXPECT_NE(refusal.find("column public.t.m is in the partition key"), std::string::npos) << refusal;
}

TEST(PlannerDiff, ChangingTheTypeOfAPartitionKeyColumnIsRefused) {
  EXPECT_THROW(diff(load("CREATE TABLE t (id integer, at date) PARTITION BY RANGE (at);"),
                    load("CREATE TABLE t (id integer, at timestamp) PARTITION BY RANGE (at);"), {}),
               Error);
}

// PostgreSQL 15 cannot change the type of a column a generated column reads.
TEST(PlannerDiff, ATypeChangeUnderAGeneratedColumnIsRefused) {
  const std::string message = refusal("CREATE TABLE t (n integer, g bigint GENERATED ALWAYS AS (n * 2) STORED);",
                                      "CREATE TABLE t (n bigint, g bigint GENERATED ALWAYS AS (n * 2) STORED);");
  EXPECT_NE(message.find("generated column public.t.g"), std::string::npos) << message;
}

// A default cannot go before the routine and come back after it in one
// plan: the server refuses to drop a routine a default calls.
TEST(PlannerDiff, RecreatingARoutineADefaultCallsIsRefused) {
  const std::string message =
      refusal("CREATE FUNCTION d() RETURNS integer LANGUAGE sql AS 'SELECT 1'; CREATE TABLE t (n bigint DEFAULT d());",
              "CREATE FUNCTION d() RETURNS bigint LANGUAGE sql AS 'SELECT 1'; CREATE TABLE t (n bigint DEFAULT d());");
  EXPECT_NE(message.find("the default of column public.t.n calls it"), std::string::npos) << message;
}

// Only what reads a converted column or casts to the enum is recreated.
TEST(PlannerDiff, SwappingAnEnumLeavesIndexesAndChecksOfOtherColumnsAlone) {
  const auto changes = swap_changes(
      "CREATE TABLE t (m e, n integer CHECK (n > 0), note text CHECK (note <> 'a'));"
      "CREATE INDEX t_m ON t (m); CREATE INDEX t_n ON t (n) WHERE n > 1;");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SwapEnum>(changes[0]));
}

TEST(PlannerDiff, RenameHintThatNamesNothingIsRefused) {
  EXPECT_THROW(diff(load(""), load(""), {.renames = {{"public.t", "u"}}}), Error);
  EXPECT_THROW(diff(load("CREATE TABLE t (a integer);"), load(""), {.renames = {{"public.t.b", "c"}}}), Error);
}

TEST(PlannerDiff, RenameHintsComeFirstAndTheRestIsDiffedAfterThem) {
  const auto changes = diff(load("CREATE TABLE t (a integer, b integer);"),
                            load("CREATE TABLE u (a integer, c integer);"),
                            {.renames = {{"public.t", "u"}, {"public.u.b", "c"}}});
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(std::get<RenameObject>(changes[0]).kind, RenameKind::Table);
  EXPECT_EQ(std::get<RenameObject>(changes[1]).kind, RenameKind::Column);
}

TEST(PlannerPlan, RefusalListsWhatWouldBeLost) {
  try {
    plan_postgres(load("CREATE TABLE t (a integer, b text);"), load("CREATE TABLE t (a integer);"), {});
    FAIL() << "expected a refusal";
  } catch (const DestructiveChange& refusal) {
    ASSERT_EQ(refusal.losses().size(), 1u);
    EXPECT_EQ(refusal.losses()[0], "column public.t.b and its values");
  }
}

TEST(PlannerPlan, StatementsKnowTheirChange) {
  const Plan plan = plan_postgres(load("CREATE TYPE e AS ENUM ('a');"), load("CREATE TYPE e AS ENUM ('a', 'b');"),
                                  {.concurrent_indexes = true});
  ASSERT_EQ(plan.statements.size(), 1u);
  EXPECT_EQ(plan.statements[0].change, "add value 'b' to enum public.e");
  EXPECT_EQ(plan.statements[0].added_enum_value, std::optional<std::string>("b"));
  EXPECT_TRUE(plan.statements[0].transactional);
  EXPECT_FALSE(plan.statements[0].destructive);
}

// A use of an added value is its string literal or an element of an array
// literal, not any text that contains it.
TEST(PlannerPlan, AStepBeginsAtTheFirstUseOfAnAddedValue) {
  const auto steps = [](std::vector<std::string> later) {
    Plan plan;
    plan.statements.push_back({"ALTER TYPE public.e ADD VALUE 'x'", "", true, false, "x", ""});
    for (auto& sql : later) plan.statements.push_back({std::move(sql), "", true, false, std::nullopt, ""});
    return new_enum_value_steps(plan);
  };
  EXPECT_EQ(steps({"CREATE INDEX x_index ON t (x)", "ALTER TABLE t ALTER COLUMN m SET DEFAULT 'x'"}),
            std::vector<std::size_t>{2});
  EXPECT_EQ(steps({"ALTER TABLE t ALTER COLUMN ms SET DEFAULT '{a,x}'"}), std::vector<std::size_t>{1});
  EXPECT_EQ(steps({"ALTER TABLE t ALTER COLUMN ms SET DEFAULT '{\"x\"}'"}), std::vector<std::size_t>{1});
  EXPECT_EQ(steps({"ALTER TABLE t ALTER COLUMN ms SET DEFAULT '{xy}'"}), std::vector<std::size_t>{});
}

TEST(PlannerPlan, ABareSetNotNullSaysHowToFillTheNulls) {
  const Plan bare = plan_postgres(load("CREATE TABLE t (a integer);"), load("CREATE TABLE t (a integer NOT NULL);"), {});
  ASSERT_EQ(bare.statements.size(), 1u);
  EXPECT_NE(bare.statements[0].note.find("--backfill public.t.a="), std::string::npos) << bare.statements[0].note;
  const Plan filled = plan_postgres(load("CREATE TABLE t (a integer);"), load("CREATE TABLE t (a integer NOT NULL);"),
                                    {.backfills = {{"public.t.a", "0"}}});
  ASSERT_EQ(filled.statements.size(), 2u);
  EXPECT_EQ(filled.statements[1].note, "");
}

TEST(PlannerPlan, ANewPartitionBesideADefaultOneSaysItsRowsMustMove) {
  const std::string previous =
      "CREATE TABLE m (id integer, region text) PARTITION BY LIST (region);"
      "CREATE TABLE m_def PARTITION OF m DEFAULT;";
  const Plan plan = plan_postgres(load(previous), load(previous + "CREATE TABLE m_ca PARTITION OF m FOR VALUES IN ('ca');"), {});
  ASSERT_EQ(plan.statements.size(), 1u);
  EXPECT_NE(plan.statements[0].note.find("default partition public.m_def"), std::string::npos)
      << plan.statements[0].note;
}

TEST(PlannerPlan, ConcurrentIndexesRunOutsideATransaction) {
  const Plan plan = plan_postgres(load("CREATE TABLE t (a integer);"),
                                  load("CREATE TABLE t (a integer); CREATE INDEX t_a ON t (a);"),
                                  {.concurrent_indexes = true});
  ASSERT_EQ(plan.statements.size(), 1u);
  EXPECT_EQ(plan.statements[0].sql, "CREATE INDEX CONCURRENTLY t_a ON public.t (a)");
  EXPECT_FALSE(plan.statements[0].transactional);
}

TEST(PlannerPlan, ForeignKeysNotValidAreValidatedAfter) {
  const Plan plan = plan_postgres(
      load("CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p integer);"),
      load("CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p integer REFERENCES p);"),
      {.foreign_keys_not_valid = true});
  EXPECT_EQ(plan.sql(),
            "ALTER TABLE public.c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES public.p (id) NOT VALID;\n"
            "ALTER TABLE public.c VALIDATE CONSTRAINT c_p_fkey;\n");
}

TEST(PlannerPlan, ColumnsPostgresCannotPlaceAreNoted) {
  const Plan plan = plan_postgres(load("CREATE TABLE t (id integer, b text);"),
                                  load("CREATE TABLE t (id integer, a text, b text);"), {});
  ASSERT_EQ(plan.sql(), "ALTER TABLE public.t ADD COLUMN a text;\n");
  EXPECT_EQ(plan.statements[0].note,
            "the columns of public.t end up in the order id, b, a, not id, a, b: PostgreSQL adds columns at the "
            "end, and strata does not rewrite a table to reorder them");
  // Only the order differs: nothing to do, nothing to say.
  EXPECT_TRUE(plan_postgres(load("CREATE TABLE t (id integer, b text, a text);"),
                            load("CREATE TABLE t (id integer, a text, b text);"), {})
                  .empty());
  // Appended where the schema puts it: nothing to say.
  EXPECT_EQ(plan_postgres(load("CREATE TABLE t (id integer);"), load("CREATE TABLE t (id integer, a text);"), {})
                .statements[0]
                .note,
            "");
}

}  // namespace
}  // namespace strata::planner
