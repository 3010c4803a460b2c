#include "strata/schema/types.h"

#include <gtest/gtest.h>

namespace strata::schema {
namespace {

TEST(BuiltinTypeName, MapsInternalAndSqlSpellingsToOneName) {
  EXPECT_EQ(builtin_type_name("int4"), "integer");
  EXPECT_EQ(builtin_type_name("integer"), "integer");
  EXPECT_EQ(builtin_type_name("varchar"), "character varying");
  EXPECT_EQ(builtin_type_name("bpchar"), "character");
  EXPECT_EQ(builtin_type_name("timestamptz"), "timestamp with time zone");
  EXPECT_EQ(builtin_type_name("float8"), "double precision");
  EXPECT_EQ(builtin_type_name("bool"), "boolean");
}

TEST(BuiltinTypeName, IsEmptyForUserTypes) { EXPECT_FALSE(builtin_type_name("mood").has_value()); }

TEST(TypeSql, PutsModifiersWhereSqlWantsThem) {
  EXPECT_EQ(type_sql({"", "character varying", {"255"}, 0}), "character varying(255)");
  EXPECT_EQ(type_sql({"", "numeric", {"10", "2"}, 0}), "numeric(10,2)");
  EXPECT_EQ(type_sql({"", "timestamp with time zone", {"3"}, 0}), "timestamp(3) with time zone");
  EXPECT_EQ(type_sql({"", "integer", {}, 2}), "integer[][]");
  EXPECT_EQ(type_sql({"public", "Mood", {}, 1}), "public.\"Mood\"[]");
}

TEST(WithImplicitModifiers, GivesCharacterAndBitALengthOfOne) {
  EXPECT_EQ(with_implicit_modifiers({"", "character", {}, 0}).modifiers, std::vector<std::string>{"1"});
  EXPECT_TRUE(with_implicit_modifiers({"", "text", {}, 0}).modifiers.empty());
}

TEST(ResolveSequenceOptions, FillsPostgresDefaultsForAscendingSequences) {
  const auto options = resolve_sequence_options({.data_type = TypeRef{"", "integer", {}, 0}});
  EXPECT_EQ(options.increment, 1);
  EXPECT_EQ(options.min_value, 1);
  EXPECT_EQ(options.max_value, 2147483647);
  EXPECT_EQ(options.start, 1);
  EXPECT_EQ(options.cache, 1);
  EXPECT_FALSE(options.cycle);
}

TEST(ResolveSequenceOptions, DescendingSequencesStartAtTheirMaximum) {
  const auto options = resolve_sequence_options({.increment = -1});
  EXPECT_EQ(options.data_type->name, "bigint");
  EXPECT_EQ(options.max_value, -1);
  EXPECT_EQ(options.min_value, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(options.start, -1);
}

}  // namespace
}  // namespace strata::schema
