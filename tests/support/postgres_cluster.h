// A throwaway PostgreSQL 15 cluster for tests: initdb into a fresh temporary
// directory, a server that listens only on a unix socket in that directory,
// a fresh database per test, and an immediate shutdown that removes the
// directory when the cluster goes away.
//
// A watchdog process (spawned next to the server) stops the server and removes
// the directory if the test process ends without doing so itself: exit(),
// std::terminate, a crash or SIGKILL.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace strata::testing {

class PostgresCluster {
 public:
  // Runs initdb and starts the server; throws std::runtime_error carrying the
  // tail of the failing step's log.
  PostgresCluster();
  ~PostgresCluster();

  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // Immediate shutdown, then the directory is removed. Safe to call twice.
  void stop() noexcept;
  bool running() const { return running_; }

  // Creates a database with a name unique within this cluster and returns a
  // libpq conninfo string for it.
  std::string create_database();
  std::string conninfo(std::string_view dbname) const;

  // The cluster's temporary directory: the unix socket and the logs; the data
  // directory is its "data" subdirectory.
  const std::filesystem::path& directory() const { return root_; }
  std::filesystem::path data_directory() const { return root_ / "data"; }
  int port() const { return port_; }

 private:
  void initdb();
  void start_server();
  void start_watchdog();
  void dismiss_watchdog() noexcept;
  // argv prefixed with `runuser -u postgres --` when running as root (the
  // server refuses to run as root); output goes to `log`.
  int run_as_server_user(std::vector<std::string> argv, const std::filesystem::path& log) const;

  std::filesystem::path bindir_;
  std::filesystem::path root_;
  std::vector<std::string> user_prefix_;
  int port_ = 0;
  bool running_ = false;
  pid_t watchdog_pid_ = -1;
  int watchdog_pipe_ = -1;  // write end; the watchdog cleans up once it closes
  std::mutex databases_mutex_;
  int databases_created_ = 0;
};

// The one cluster of this test binary, started on first use.
PostgresCluster& shared_postgres();

// Stops the shared cluster at the end of the test binary. postgres_main.cpp
// registers it; binaries with their own main() can do the same.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override;
};

}  // namespace strata::testing
