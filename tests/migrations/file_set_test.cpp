#include "strata/migrations/file_set.h"

#include <fstream>
#include <sstream>

#include "strata/schema/error.h"
#include "temp_directory.h"

namespace strata::migrations {
namespace {

using FileSetTest = strata::testing::TempDirectoryTest;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t entries(const std::filesystem::path& directory) {
  return static_cast<std::size_t>(
      std::distance(std::filesystem::directory_iterator(directory), std::filesystem::directory_iterator()));
}

TEST_F(FileSetTest, CommitWritesEveryFile) {
  write("old.sql", "old");
  FileSet files;
  files.stage(root_ / "old.sql", "new");
  files.stage(root_ / "added.sql", "added");
  EXPECT_EQ(read(root_ / "old.sql"), "old");  // nothing visible before commit
  files.commit();
  EXPECT_EQ(read(root_ / "old.sql"), "new");
  EXPECT_EQ(read(root_ / "added.sql"), "added");
  EXPECT_EQ(entries(root_), 2U);
}

TEST_F(FileSetTest, AFailedStageLeavesTheDirectoryAsItWas) {
  write("keep.sql", "keep");
  {
    FileSet files;
    files.stage(root_ / "keep.sql", "changed");
    EXPECT_THROW(files.stage(root_ / "no-such-dir" / "x.sql", "x"), Error);
  }  // not committed: temporary files removed
  EXPECT_EQ(read(root_ / "keep.sql"), "keep");
  EXPECT_EQ(entries(root_), 1U);
}

TEST_F(FileSetTest, WriteFileAtomicallyReplacesContent) {
  write("a.sql", "one");
  write_file_atomically(root_ / "a.sql", "two");
  EXPECT_EQ(read(root_ / "a.sql"), "two");
  EXPECT_EQ(entries(root_), 1U);
}

TEST_F(FileSetTest, ReadFileRefusesANulByteWithItsLocation) {
  write("a.sql", std::string("SELECT 1;\n-- é\0 DROP TABLE t;\n", 31));
  try {
    read_file(root_ / "a.sql");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location()) << error.what();
    EXPECT_EQ(error.location()->line, 2);
    EXPECT_EQ(error.location()->column, 5);  // characters: "é" is one
    EXPECT_NE(error.message().find("NUL byte"), std::string::npos) << error.message();
  }
  write("b.sql", "SELECT 'é';\n");
  EXPECT_EQ(read_file(root_ / "b.sql"), "SELECT 'é';\n");
}

}  // namespace
}  // namespace strata::migrations
