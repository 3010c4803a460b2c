#include "strata/schema/names.h"

#include <gtest/gtest.h>

#include <set>

namespace strata::schema {
namespace {

TEST(QuoteIdentifier, LeavesPlainLowerCaseNamesBare) {
  EXPECT_EQ(quote_identifier("users"), "users");
  EXPECT_EQ(quote_identifier("_tmp1"), "_tmp1");
}

TEST(QuoteIdentifier, QuotesUpperCaseSpacesLeadingDigitsAndQuotes) {
  EXPECT_EQ(quote_identifier("Users"), "\"Users\"");
  EXPECT_EQ(quote_identifier("my table"), "\"my table\"");
  EXPECT_EQ(quote_identifier("1st"), "\"1st\"");
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
}

TEST(QuoteIdentifier, QuotesReservedKeywordsButNotUnreservedOnes) {
  EXPECT_EQ(quote_identifier("user"), "\"user\"");
  EXPECT_EQ(quote_identifier("order"), "\"order\"");
  EXPECT_EQ(quote_identifier("name"), "name");
  EXPECT_EQ(quote_identifier("comment"), "comment");
}

TEST(MakeObjectName, JoinsNamesAndLabel) {
  EXPECT_EQ(make_object_name("users", "email", "key"), "users_email_key");
  EXPECT_EQ(make_object_name("users", "", "pkey"), "users_pkey");
}

TEST(MakeObjectName, ShortensTheLongerNameFirstToFit63Bytes) {
  const std::string long_table(60, 't');
  const std::string name = make_object_name(long_table, "email", "key");
  EXPECT_EQ(name.size(), 63U);
  // 63 - len("_key") - 1 = 58 bytes for both names; email keeps its 5.
  EXPECT_EQ(name, std::string(53, 't') + "_email_key");
}

TEST(MakeObjectName, NeverSplitsAMultibyteCharacter) {
  std::string table;
  for (int i = 0; i < 40; ++i) table += "\xC3\xA9";  // 'é', two bytes each
  const std::string name = make_object_name(table, "", "pkey");
  EXPECT_LE(name.size(), 63U);
  EXPECT_TRUE(name.ends_with("_pkey"));
  const std::string prefix = name.substr(0, name.size() - 5);
  EXPECT_EQ(prefix.size() % 2, 0U);
}

TEST(ChooseName, AddsANumberWhileTheNameIsTaken) {
  const std::set<std::string> taken = {"t_check", "t_check1"};
  EXPECT_EQ(choose_name("t", "", "check", [&](const std::string& n) { return taken.contains(n); }), "t_check2");
}

TEST(ColumnNameAddition, JoinsColumnsWithUnderscores) {
  EXPECT_EQ(column_name_addition({"a", "b", "c"}), "a_b_c");
}

}  // namespace
}  // namespace strata::schema
