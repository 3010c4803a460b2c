#include "strata/migrations/directory.h"

#include "strata/schema/error.h"
#include "temp_directory.h"

namespace strata::migrations {
namespace {

using DirectoryTest = strata::testing::TempDirectoryTest;

std::string error_of(const std::filesystem::path& path) {
  try {
    Directory::read(path);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(FileNames, ParseVersionSlugAndDirection) {
  const auto name = parse_file_name("0002_add_email.up.sql");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->version_text, "0002");
  EXPECT_EQ(name->slug, "add_email");
  EXPECT_EQ(name->direction, "up");
  EXPECT_FALSE(parse_file_name("2_add.up.sql"));
  EXPECT_FALSE(parse_file_name("0002.up.sql"));
  EXPECT_FALSE(parse_file_name("0002_add.sql"));
}

TEST(FileNames, SlugsAndVersions) {
  EXPECT_EQ(slug_of("Add users & e-mail!"), "add_users_e_mail");
  EXPECT_EQ(slug_of("???"), "migration");
  EXPECT_EQ(version_text(7), "0007");
  EXPECT_EQ(version_text(12345), "12345");
}

TEST(Headers, RoundTripFieldsAndDirectives) {
  Header header{"0003", "rebuild posts", "2026-11-24T05:00:00Z", "sha256:aa", "sha256:bb", {true, true}};
  const std::string text = render_header(header) + "CREATE TABLE t (a int);\n-- strata:not-a-header\n";
  EXPECT_EQ(parse_header(text), header);
}

TEST(Headers, DirectivesAfterTheFirstStatementAreNotRead) {
  EXPECT_FALSE(parse_header("SELECT 1;\n-- strata:no-transaction\n").directives.no_transaction);
  EXPECT_TRUE(parse_header("-- hand-written\n-- strata:no-transaction\nCREATE INDEX ...;").directives.no_transaction);
}

TEST_F(DirectoryTest, AMissingDirectoryIsAnEmptyChain) {
  const auto directory = Directory::read(root_ / "migrations");
  EXPECT_TRUE(directory.migrations().empty());
  EXPECT_EQ(directory.next_version(), 1);
}

TEST_F(DirectoryTest, ReadsPairsInVersionOrder) {
  write("m/0002_b.up.sql", "");
  write("m/0002_b.down.sql", "");
  write("m/0001_a.up.sql", "");
  write("m/0001_a.down.sql", "");
  write("m/strata.sum", "");
  const auto directory = Directory::read(root_ / "m");
  ASSERT_EQ(directory.migrations().size(), 2U);
  EXPECT_EQ(directory.migrations()[0].stem(), "0001_a");
  EXPECT_EQ(directory.migrations()[1].stem(), "0002_b");
  EXPECT_EQ(directory.next_version(), 3);
  EXPECT_EQ(directory.find("2"), &directory.migrations()[1]);
  EXPECT_EQ(directory.file_names(),
            (std::vector<std::string>{"0001_a.up.sql", "0001_a.down.sql", "0002_b.up.sql", "0002_b.down.sql"}));
}

TEST_F(DirectoryTest, AGapInTheSequenceIsAnError) {
  write("m/0001_a.up.sql", "");
  write("m/0001_a.down.sql", "");
  write("m/0003_c.up.sql", "");
  write("m/0003_c.down.sql", "");
  EXPECT_NE(error_of(root_ / "m").find("0003_c.up.sql: version 0003 follows 0001; version 0002 is missing"),
            std::string::npos);
}

TEST_F(DirectoryTest, TwoMigrationsWithOneVersionPointToRebase) {
  write("m/0001_a.up.sql", "");
  write("m/0001_a.down.sql", "");
  write("m/0001_b.up.sql", "");
  write("m/0001_b.down.sql", "");
  const std::string error = error_of(root_ / "m");
  EXPECT_NE(error.find("0001_a and 0001_b share version 0001"), std::string::npos) << error;
  EXPECT_NE(error.find("strata rebase"), std::string::npos);
}

TEST_F(DirectoryTest, AnUpFileWithoutItsDownFileIsAnError) {
  write("m/0001_a.up.sql", "");
  EXPECT_NE(error_of(root_ / "m").find("0001_a.down.sql: missing"), std::string::npos);
}

TEST_F(DirectoryTest, AStrayFileNameIsAnError) {
  write("m/notes.sql", "");
  EXPECT_NE(error_of(root_ / "m").find("notes.sql: not a migration file name"), std::string::npos);
}

}  // namespace
}  // namespace strata::migrations
