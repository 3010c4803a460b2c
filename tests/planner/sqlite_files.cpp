#include "sqlite_files.h"

#include <unistd.h>

#include <atomic>

namespace strata::testing {
namespace {

std::filesystem::path fresh_directory(const std::string& name) {
  static std::atomic<int> counter{0};
  auto directory = std::filesystem::temp_directory_path() /
                   ("strata-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return directory;
}

}  // namespace

SqliteFile::SqliteFile(const std::string& name)
    : directory_(fresh_directory(name)),
      path_(directory_ / (name + ".db")),
      driver_(runtime::open_driver("sqlite:" + path_.string())) {}

SqliteFile::~SqliteFile() {
  driver_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void SqliteFile::execute(const std::string& sql) const { driver_->execute(path_.string(), sql); }

runtime::Driver::Rows SqliteFile::query(const std::string& sql) const { return driver_->query(sql); }

void SqliteFile::apply(const planner::Plan& plan) const {
  if (plan.sqlite_foreign_keys_off) driver_->set_foreign_keys(false);
  driver_->begin();
  try {
    driver_->execute("plan", plan.sql());
    if (plan.sqlite_foreign_keys_off) driver_->check_foreign_keys();
    driver_->commit();
  } catch (...) {
    driver_->rollback();
    if (plan.sqlite_foreign_keys_off) driver_->set_foreign_keys(true);
    throw;
  }
  if (plan.sqlite_foreign_keys_off) driver_->set_foreign_keys(true);
}

schema::Catalog SqliteFile::catalog() const { return driver_->inspect(); }

}  // namespace strata::testing
