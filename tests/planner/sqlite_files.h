// SQLite database files for the planner's tests, and plans run on them the
// way the runtime applier runs a migration.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "strata/planner/plan.h"
#include "strata/runtime/driver.h"
#include "strata/schema/catalog.h"

namespace strata::testing {

// A database file in its own temporary directory, removed at the end.
class SqliteFile {
 public:
  explicit SqliteFile(const std::string& name);
  ~SqliteFile();
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  void execute(const std::string& sql) const;
  runtime::Driver::Rows query(const std::string& sql) const;
  // In one transaction, with foreign keys off around it and a foreign key
  // check before commit when the plan asks for that; rolled back on failure.
  void apply(const planner::Plan& plan) const;
  schema::Catalog catalog() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path directory_;
  std::filesystem::path path_;
  std::unique_ptr<runtime::Driver> driver_;
};

}  // namespace strata::testing
