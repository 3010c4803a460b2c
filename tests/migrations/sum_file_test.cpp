#include "strata/migrations/sum_file.h"

#include "strata/schema/error.h"
#include "temp_directory.h"

namespace strata::migrations {
namespace {

class SumFileTest : public strata::testing::TempDirectoryTest {
 protected:
  void SetUp() override {
    TempDirectoryTest::SetUp();
    write("m/0001_a.up.sql", "CREATE TABLE a (x int);\n");
    write("m/0001_a.down.sql", "DROP TABLE a;\n");
    write("m/0002_b.up.sql", "CREATE TABLE b (x int);\n");
    write("m/0002_b.down.sql", "DROP TABLE b;\n");
  }
  Directory directory() const { return Directory::read(root_ / "m"); }
};

TEST(Sha256, MatchesTheKnownDigest) {
  EXPECT_EQ(sha256("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(SumFileTest, TheTotalIsTheLastChainedHash) {
  const SumFile sum = compute_sum(directory());
  ASSERT_EQ(sum.lines.size(), 4U);
  EXPECT_EQ(sum.total, sum.lines.back().hash);
  EXPECT_EQ(parse_sum("strata.sum", sum.text()), sum);
  EXPECT_TRUE(verify_sum(directory(), sum).empty());
}

TEST_F(SumFileTest, EditingAnOldFileChangesItsLineAndEveryLaterOne) {
  const SumFile before = compute_sum(directory());
  write("m/0001_a.down.sql", "DROP TABLE a CASCADE;\n");
  const SumFile after = compute_sum(directory());
  EXPECT_EQ(after.lines[0], before.lines[0]);
  for (std::size_t i = 1; i < after.lines.size(); ++i) EXPECT_NE(after.lines[i].hash, before.lines[i].hash);
  const auto problems = verify_sum(directory(), before);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].find("0001_a.down.sql: changed since"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("strata hash"), std::string::npos);
}

TEST_F(SumFileTest, NewAndVanishedFilesAreNamed) {
  const SumFile before = compute_sum(directory());
  write("m/0003_c.up.sql", "");
  write("m/0003_c.down.sql", "");
  auto problems = verify_sum(directory(), before);
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_NE(problems[0].find("0003_c.up.sql: not in"), std::string::npos);

  std::filesystem::remove(root_ / "m/0003_c.up.sql");
  std::filesystem::remove(root_ / "m/0003_c.down.sql");
  SumFile extra = before;
  extra.lines.push_back({"0009_z.up.sql", before.total});
  problems = verify_sum(directory(), extra);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].find("lists 0009_z.up.sql, which does not exist"), std::string::npos);
}

TEST_F(SumFileTest, TwoBranchesAddingAMigrationChangeTheFirstLine) {
  write("m/0003_ours.up.sql", "CREATE TABLE ours (x int);\n");
  write("m/0003_ours.down.sql", "DROP TABLE ours;\n");
  const SumFile ours = compute_sum(directory());
  std::filesystem::remove(root_ / "m/0003_ours.up.sql");
  std::filesystem::remove(root_ / "m/0003_ours.down.sql");
  write("m/0003_theirs.up.sql", "CREATE TABLE theirs (x int);\n");
  write("m/0003_theirs.down.sql", "DROP TABLE theirs;\n");
  const SumFile theirs = compute_sum(directory());
  EXPECT_NE(ours.text().substr(0, ours.text().find('\n')), theirs.text().substr(0, theirs.text().find('\n')));
}

TEST(ParseSum, MalformedLinesAreLocated) {
  try {
    parse_sum("m/strata.sum", "sha256:" + std::string(64, 'a') + "\n0001_a.up.sql sha256:xyz\n");
    FAIL() << "no error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location());
    EXPECT_EQ(error.location()->line, 2);
    EXPECT_EQ(error.location()->column, 15);
  }
}

TEST(ParseSum, ConflictMarkersPointToRebase) {
  try {
    parse_sum("strata.sum", "<<<<<<< HEAD\n");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("strata rebase"), std::string::npos);
  }
}

}  // namespace
}  // namespace strata::migrations
