// Rename hints written as comments beside the objects of the schema files.
#include "strata/parser/rename_hints.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace strata::parser {
namespace {

using schema::Dialect;

// "old_path=new_name" of each hint, in order.
std::vector<std::string> hints(Dialect dialect, const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& hint : read_rename_hints(dialect, {{"schema.sql", sql}}))
    out.push_back(hint.old_path + "=" + hint.new_name);
  return out;
}

Error error_of(Dialect dialect, const std::string& sql) {
  try {
    read_rename_hints(dialect, {{"schema.sql", sql}});
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error for: " << sql;
  return Error("none");
}

using Hints = std::vector<std::string>;

TEST(RenameHints, TableHintOnTheHeaderLineThenItsColumnsUnderTheNewName) {
  const std::string sql =
      "CREATE TABLE Accounts ( -- @renamed from=Old_Accounts\n"
      "  id bigint NOT NULL,\n"
      "  username varchar(100) NOT NULL, -- @renamed from=user_name\n"
      "  is_active integer DEFAULT 1\n"
      ");\n";
  EXPECT_EQ(hints(Dialect::Postgres, sql),
            (Hints{"public.old_accounts=accounts", "public.accounts.user_name=username"}));
  EXPECT_EQ(hints(Dialect::Sqlite, sql), (Hints{"main.Old_Accounts=Accounts", "main.Accounts.user_name=username"}));
}

TEST(RenameHints, TableHintOnTheClosingLineStillComesBeforeTheColumns) {
  EXPECT_EQ(hints(Dialect::Postgres,
                  "CREATE TABLE t (\n"
                  "  b int -- @renamed from=a\n"
                  "); -- @renamed from=old_t\n"),
            (Hints{"public.old_t=t", "public.t.a=b"}));
}

TEST(RenameHints, BlockCommentsBetweenTheNameAndTheList) {
  EXPECT_EQ(hints(Dialect::Postgres, "CREATE TABLE new_users /* @renamed from=old_users */ (id int);"),
            Hints{"public.old_users=new_users"});
  EXPECT_EQ(hints(Dialect::Postgres, "/* @renamed from=old_users */ CREATE TABLE new_users (id int);"),
            Hints{"public.old_users=new_users"});
}

TEST(RenameHints, QuotedNamesKeepTheirCaseAndUnquotedOnesFold) {
  EXPECT_EQ(hints(Dialect::Postgres,
                  "CREATE TABLE \"user_profiles\" ( -- @renamed from=\"user accounts\"\n"
                  "  \"NewName\" text, -- @renamed from=\"OldName\"\n"
                  "  username text -- @renamed from=\"UserName\"\n"
                  ");"),
            (Hints{"public.user accounts=user_profiles", "public.user_profiles.OldName=NewName",
                   "public.user_profiles.UserName=username"}));
  EXPECT_EQ(hints(Dialect::Sqlite, "CREATE TABLE [t] (\"My Col\" int -- @renamed from=\"Old \"\"Col\"\"\"\n);"),
            Hints{"main.t.Old \"Col\"=My Col"});
}

TEST(RenameHints, ColumnHintBeforeOrAfterTheComma) {
  EXPECT_EQ(hints(Dialect::Postgres,
                  "CREATE TABLE t (\n"
                  "  a int /* @renamed from=x */,\n"
                  "  b int, -- @renamed from=y\n"
                  "  /* @renamed from=z */ c int\n"
                  ");"),
            (Hints{"public.t.x=a", "public.t.y=b", "public.t.z=c"}));
}

TEST(RenameHints, NamedConstraintInTheTableList) {
  EXPECT_EQ(hints(Dialect::Postgres,
                  "CREATE TABLE users (\n"
                  "  email text,\n"
                  "  CONSTRAINT unique_email UNIQUE (email) -- @renamed from=old_unique_email\n"
                  ");"),
            Hints{"public.users.old_unique_email=unique_email"});
}

TEST(RenameHints, IndexesLiveInTheirTablesSchema) {
  EXPECT_EQ(hints(Dialect::Postgres,
                  "CREATE INDEX new_email_idx /* @renamed from=old_email_idx */ ON myschema.users (email);\n"
                  "CREATE UNIQUE INDEX \"EmailIndex\" ON users (email); -- @renamed from=email_idx\n"),
            (Hints{"myschema.old_email_idx=new_email_idx", "public.email_idx=EmailIndex"}));
  EXPECT_EQ(hints(Dialect::Sqlite, "CREATE INDEX IF NOT EXISTS email_idx ON users (email); -- @renamed from=idx_email"),
            Hints{"main.idx_email=email_idx"});
}

TEST(RenameHints, EnumTypeAndValues) {
  EXPECT_EQ(hints(Dialect::Postgres,
                  "CREATE TYPE myschema.order_status /* @renamed from=order_state */ AS ENUM (\n"
                  "  'pending',\n"
                  "  'shipped' /* @renamed from=shipping */,\n"
                  "  'minor', -- @renamed from=Low\n"
                  "  'delivered'\n"
                  ");"),
            (Hints{"myschema.order_state=order_status", "myschema.order_status.shipping=shipped",
                   "myschema.order_status.Low=minor"}));
  EXPECT_EQ(hints(Dialect::Postgres, "CREATE TYPE s AS ENUM ( /* @renamed from=old_s */ 'a', 'b');"),
            Hints{"public.old_s=s"});
}

TEST(RenameHints, OtherCommentsAndFilesWithoutHintsAreIgnored) {
  EXPECT_EQ(hints(Dialect::Postgres, "-- renamed last week\nCREATE TABLE t (a int); -- see @renamed\n"), Hints{});
  EXPECT_EQ(hints(Dialect::Sqlite, "CREATE TABLE t (a int); /* nothing here */"), Hints{});
}

TEST(RenameHints, HintsOfSeveralFilesInFileOrder) {
  const auto found =
      read_rename_hints(Dialect::Postgres, {{"a.sql", "CREATE TABLE a (x int); -- @renamed from=a0\n"},
                                            {"b.sql", "\nCREATE TABLE b (y int); -- @renamed from=b0\n"}});
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0].old_path, "public.a0");
  EXPECT_EQ(found[1].location.str(), "b.sql:2:25");
}

TEST(RenameHints, AHintNextToNothingItCanRenameIsAnErrorAtTheComment) {
  const Error alone = error_of(Dialect::Postgres, "CREATE TABLE t (\n  -- @renamed from=x\n  a int\n);");
  EXPECT_EQ(alone.location()->str(), "schema.sql:2:3");
  EXPECT_NE(alone.message().find("line of its own"), std::string::npos);
  EXPECT_EQ(error_of(Dialect::Postgres, "CREATE VIEW v AS SELECT 1; -- @renamed from=w").location()->str(),
            "schema.sql:1:28");
  EXPECT_NE(error_of(Dialect::Postgres, "CREATE TABLE t (a int, UNIQUE (a) -- @renamed from=k\n);").message().find(
                "without a name"),
            std::string::npos);
  EXPECT_NE(error_of(Dialect::Postgres, "CREATE TABLE t (LIKE u -- @renamed from=k\n);").message().find("LIKE"),
            std::string::npos);
  EXPECT_NE(error_of(Dialect::Sqlite, "CREATE INDEX ON t (a); -- @renamed from=i").message().find("without a name"),
            std::string::npos);
  EXPECT_NE(error_of(Dialect::Sqlite, "INSERT INTO t VALUES (1); -- @renamed from=i").message().find("creates nothing"),
            std::string::npos);
}

TEST(RenameHints, AMalformedHintIsAnError) {
  for (const std::string comment : {"-- @renamed", "-- @renamed to=x", "-- @renamed from=", "-- @renamed from=\"x",
                                    "-- @renamed from=x and more", "/* @renamedfrom=x */"}) {
    const Error error = error_of(Dialect::Postgres, "CREATE TABLE t (a int); " + comment);
    EXPECT_EQ(error.location()->str(), "schema.sql:1:25") << comment;
    EXPECT_NE(error.message().find("@renamed from=OLD_NAME"), std::string::npos) << comment;
  }
}

// A constraint added by ALTER TABLE (the way to write a NOT VALID one) takes
// the hint on its line.
TEST(RenameHints, AConstraintAddedByAlterTable) {
  EXPECT_EQ(hints(Dialect::Postgres,
                  "CREATE TABLE s.t (a int);\n"
                  "ALTER TABLE ONLY s.t\n"
                  "  ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID, -- @renamed from=old_check\n"
                  "  ADD CONSTRAINT t_b CHECK (a < 9);"),
            Hints{"s.t.old_check=t_a_check"});
  const Error error = error_of(Dialect::Postgres, "CREATE TABLE t (a int);\nALTER TABLE t ADD CHECK (a > 0); -- @renamed from=x");
  EXPECT_NE(error.message().find("an ALTER TABLE that adds no named constraint"), std::string::npos) << error.message();
}

// A qualified old name would be a move to another schema: refused, where a
// quoted name holding a dot is still a name.
TEST(RenameHints, AQualifiedOldNameIsAnError) {
  const Error error = error_of(Dialect::Postgres, "CREATE SCHEMA s;\nCREATE TABLE s.t ( -- @renamed from=public.t\n a int);");
  EXPECT_EQ(error.location()->str(), "schema.sql:2:20");
  EXPECT_NE(error.message().find("@renamed from= takes the old name alone"), std::string::npos) << error.message();
}

TEST(RenameHints, NamesHoldingADotAreQuotedInThePath) {
  EXPECT_EQ(hints(Dialect::Postgres, "CREATE TABLE \"my.t\" (b int -- @renamed from=\"a.b\"\n);"),
            Hints{"public.\"my.t\".\"a.b\"=b"});
  for (const std::vector<std::string>& names :
       {std::vector<std::string>{"public", "t", "a.b"}, {"main", "\"quoted\"", "x\"y"}, {"s", "", "."}})
    EXPECT_EQ(split_rename_path(join_rename_path(names)), names) << join_rename_path(names);
  EXPECT_EQ(join_rename_path({"public", "a.b", "\"c\""}), "public.\"a.b\".\"\"\"c\"\"\"");
}

#ifdef STRATA_SQLITE_CORPUS_DIR
// Every SQLite corpus case that writes hints: each hint comment is read.
TEST(RenameHints, SqliteCorpusHintsAreRead) {
  const std::filesystem::path root(STRATA_SQLITE_CORPUS_DIR);
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no corpus at " << root;
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    std::ifstream in(entry.path() / "desired.sql", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string sql = text.str();
    std::size_t comments = 0;
    for (std::size_t at = sql.find("@renamed"); at != std::string::npos; at = sql.find("@renamed", at + 1)) ++comments;
    if (comments == 0) continue;
    ++cases;
    EXPECT_EQ(read_rename_hints(Dialect::Sqlite, {{entry.path().string(), sql}}).size(), comments) << entry.path();
  }
  EXPECT_GT(cases, 0);
}
#endif

}  // namespace
}  // namespace strata::parser
