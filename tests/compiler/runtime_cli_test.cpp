// The database URL in effect for the runtime commands, and the commands on a
// SQLite file as the command line calls them.
#include <gtest/gtest.h>
#include <stdlib.h>  // setenv, unsetenv
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "strata/compiler/runtime_commands.h"
#include "strata/runtime/driver.h"

namespace strata::compiler {
namespace {

namespace fs = std::filesystem;

// Sets (or, given nothing, unsets) an environment variable for a scope.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;  // NOLINT(concurrency-mt-unsafe)
    set(value);
  }
  ~ScopedEnvironment() { set(old_); }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name_, value->c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
    } else {
      ::unsetenv(name_);  // NOLINT(concurrency-mt-unsafe)
    }
  }
  const char* name_;
  std::optional<std::string> old_;
};

TEST(RuntimeCliTest, DatabaseUrlPrecedence) {
  Config config;
  config.root = "/project";
  config.database_url = "sqlite:/from/toml.db";
  ScopedEnvironment strata_url("STRATA_DATABASE_URL", std::nullopt);
  ScopedEnvironment plain_url("DATABASE_URL", std::nullopt);
  EXPECT_EQ(database_url(config, std::nullopt), "sqlite:/from/toml.db");
  {
    ScopedEnvironment set("DATABASE_URL", "sqlite:/from/database_url.db");
    EXPECT_EQ(database_url(config, std::nullopt), "sqlite:/from/database_url.db");
    {
      ScopedEnvironment set_strata("STRATA_DATABASE_URL", "sqlite:/from/strata.db");
      EXPECT_EQ(database_url(config, std::nullopt), "sqlite:/from/strata.db");
      EXPECT_EQ(database_url(config, std::string("sqlite:/from/option.db")), "sqlite:/from/option.db");
    }
    ScopedEnvironment empty_strata("STRATA_DATABASE_URL", "");
    EXPECT_EQ(database_url(config, std::nullopt), "sqlite:/from/database_url.db") << "empty counts as unset";
  }
  config.database_url.reset();
  EXPECT_EQ(database_url(config, std::nullopt), std::nullopt);
  try {
    require_database_url(config, std::nullopt);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("--url"), std::string::npos) << error.what();
  }
}

TEST(RuntimeCliTest, RelativeSqlitePathInTomlStartsAtTheProject) {
  ScopedEnvironment strata_url("STRATA_DATABASE_URL", std::nullopt);
  ScopedEnvironment plain_url("DATABASE_URL", std::nullopt);
  Config config;
  config.root = "/project";
  config.database_url = "sqlite:data/app.db";
  EXPECT_EQ(database_url(config, std::nullopt), "sqlite:/project/data/app.db");
  config.database_url = "app.sqlite";
  EXPECT_EQ(database_url(config, std::nullopt), "/project/app.sqlite");
  config.database_url = "sqlite::memory:";
  EXPECT_EQ(database_url(config, std::nullopt), "sqlite::memory:");
  config.database_url = "postgres://localhost/app";
  EXPECT_EQ(database_url(config, std::nullopt), "postgres://localhost/app");
  // An option or a variable is the user's own: taken as given.
  EXPECT_EQ(database_url(config, std::string("sqlite:rel.db")), "sqlite:rel.db");
}

TEST(RuntimeCliTest, ApplyStatusDownOnASqliteFile) {
  std::string pattern = (fs::temp_directory_path() / "strata-cli-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path root = pattern;
  fs::create_directories(root / "migrations");
  std::ofstream(root / "migrations" / "0001_init.up.sql") << "CREATE TABLE t (id integer PRIMARY KEY);\n";
  std::ofstream(root / "migrations" / "0001_init.down.sql") << "DROP TABLE t;\n";
  Config config;
  config.root = root;
  config.dialect = Dialect::Sqlite;
  config.database_url = "sqlite:app.db";
  ScopedEnvironment strata_url("STRATA_DATABASE_URL", std::nullopt);
  ScopedEnvironment plain_url("DATABASE_URL", std::nullopt);
  const std::string url = require_database_url(config, std::nullopt);

  std::ostringstream out;
  EXPECT_EQ(apply_migrations(config, url, {}, out), kSuccess);
  EXPECT_TRUE(fs::exists(root / "app.db"));
  EXPECT_EQ(migration_status(config, url, out), kSuccess);
  EXPECT_NE(out.str().find("0001_init  applied"), std::string::npos) << out.str();
  EXPECT_EQ(down_migrations(config, url, {}, out), kSuccess);
  EXPECT_TRUE(runtime::open_driver(url)->read_history().empty());
  fs::remove_all(root);
}

}  // namespace
}  // namespace strata::compiler
