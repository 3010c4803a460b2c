#include "strata/compiler/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "strata/schema/error.h"

namespace strata::compiler {
namespace {

namespace fs = std::filesystem;

class ConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("strata-config-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(directory_);
    fs::create_directories(directory_ / "schema");
  }
  void TearDown() override { fs::remove_all(directory_); }
  fs::path write(const std::string& text) {
    std::ofstream(directory_ / "strata.toml") << text;
    return directory_ / "strata.toml";
  }
  fs::path directory_;
};

TEST_F(ConfigFile, ReadsEverySetting) {
  const Config config = load_config(
      write("dialect = \"postgres\"\nschema = [\"schema\", \"extra.sql\"]\nmigrations = \"db/migrations\"\n"
            "database_url = \"postgres://localhost/app\"\nlock_timeout = \"5s\"\nstatement_timeout = \"2min\"\n"));
  EXPECT_EQ(config.dialect, Dialect::Postgres);
  EXPECT_EQ(config.schema, (std::vector<std::string>{"schema", "extra.sql"}));
  EXPECT_EQ(config.migrations, "db/migrations");
  EXPECT_EQ(config.database_url, "postgres://localhost/app");
  EXPECT_EQ(config.lock_timeout, "5s");
  EXPECT_EQ(config.statement_timeout, "2min");
  EXPECT_EQ(config.root, directory_);
}

TEST_F(ConfigFile, UnknownSettingIsAnErrorAtItsLine) {
  try {
    load_config(write("dialect = \"sqlite\"\ndialcet = \"postgres\"\n"));
    FAIL() << "no error";
  } catch (const Error& error) {
    ASSERT_TRUE(error.location());
    EXPECT_EQ(error.location()->line, 2);
  }
}

TEST_F(ConfigFile, UnknownDialectIsAnError) {
  EXPECT_THROW(load_config(write("dialect = \"oracle\"\n")), Error);
}

TEST_F(ConfigFile, SchemaFilesExpandDirectoriesAndGlobsInOrder) {
  std::ofstream(directory_ / "schema" / "b.sql") << "";
  std::ofstream(directory_ / "schema" / "a.sql") << "";
  std::ofstream(directory_ / "schema" / "notes.txt") << "";
  Config config = load_config(write("schema = \"schema\"\n"));
  const auto files = schema_files(config);
  ASSERT_EQ(files.size(), 2U);
  EXPECT_EQ(files[0].filename(), "a.sql");
  EXPECT_EQ(files[1].filename(), "b.sql");
  config.schema = {"schema/b*.sql"};
  EXPECT_EQ(schema_files(config).size(), 1U);
  config.schema = {"missing.sql"};
  EXPECT_THROW(schema_files(config), Error);
}

}  // namespace
}  // namespace strata::compiler
