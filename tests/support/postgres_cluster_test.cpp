#include "postgres_cluster.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

namespace strata::testing {
namespace {

namespace fs = std::filesystem;

struct ConnectionClose {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
struct ResultClear {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnectionClose>;
using Result = std::unique_ptr<PGresult, ResultClear>;

Connection connect(const std::string& conninfo) {
  Connection connection(PQconnectdb(conninfo.c_str()));
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
  return connection;
}

// The single value `sql` returns; "(null)" for NULL.
std::string query_value(PGconn* connection, const std::string& sql) {
  const Result result(PQexec(connection, sql.c_str()));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) != 1) {
    ADD_FAILURE() << sql << ": " << PQerrorMessage(connection);
    return {};
  }
  return PQgetisnull(result.get(), 0, 0) != 0 ? "(null)" : PQgetvalue(result.get(), 0, 0);
}

TEST(PostgresClusterTest, DatabasesRunPostgres15AndAreIsolated) {
  PostgresCluster& cluster = shared_postgres();
  const std::string first_conninfo = cluster.create_database();
  const std::string second_conninfo = cluster.create_database();
  ASSERT_NE(first_conninfo, second_conninfo);

  const Connection first = connect(first_conninfo);
  const Connection second = connect(second_conninfo);
  EXPECT_TRUE(query_value(first.get(), "SELECT version()").starts_with("PostgreSQL 15"));
  EXPECT_TRUE(query_value(second.get(), "SELECT version()").starts_with("PostgreSQL 15"));
  EXPECT_NE(query_value(first.get(), "SELECT current_database()"),
            query_value(second.get(), "SELECT current_database()"));

  const Result created(PQexec(first.get(), "CREATE TABLE only_in_first (id integer)"));
  ASSERT_EQ(PQresultStatus(created.get()), PGRES_COMMAND_OK) << PQerrorMessage(first.get());
  EXPECT_EQ(query_value(first.get(), "SELECT to_regclass('public.only_in_first')::text"), "only_in_first");
  EXPECT_EQ(query_value(second.get(), "SELECT to_regclass('public.only_in_first')::text"), "(null)");
}

TEST(PostgresClusterTest, ConninfoUsesTheUnixSocketInTheClusterDirectory) {
  PostgresCluster& cluster = shared_postgres();
  EXPECT_EQ(cluster.conninfo("app"), "host=" + cluster.directory().string() +
                                         " port=" + std::to_string(cluster.port()) + " user=postgres dbname=app");
  EXPECT_TRUE(fs::exists(cluster.directory() / (".s.PGSQL." + std::to_string(cluster.port()))));
}

TEST(PostgresClusterTest, StopShutsDownAndRemovesTheDirectoryOnce) {
  PostgresCluster cluster;
  const fs::path directory = cluster.directory();
  const Connection connection = connect(cluster.create_database());
  EXPECT_EQ(query_value(connection.get(), "SELECT 1"), "1");

  cluster.stop();
  EXPECT_FALSE(cluster.running());
  EXPECT_FALSE(fs::exists(directory));
  cluster.stop();
  EXPECT_THROW(cluster.create_database(), std::runtime_error);
}

// ---- a process that ends without stopping its cluster -----------------------

bool process_alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  // A zombie has stopped; it only waits to be reaped by its parent.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field;
  std::string command;
  char state = '?';
  stat >> pid_field >> command >> state;
  return stat && state != 'Z';
}

// Starts a cluster, writes its directory and server pid to `record`, then
// ends the process with `end` without stopping the cluster.
template <typename End>
void start_cluster_then(const fs::path& record, End end) {
  PostgresCluster cluster;
  std::ifstream pid_file(cluster.data_directory() / "postmaster.pid");
  pid_t server_pid = 0;
  pid_file >> server_pid;
  {
    std::ofstream out(record);
    out << cluster.directory().string() << '\n' << server_pid << '\n';
  }
  end();
}

// Waits for what the dead process left behind to disappear.
void expect_cluster_cleaned_up(const fs::path& record) {
  std::ifstream in(record);
  std::string directory;
  pid_t server_pid = 0;
  std::getline(in, directory);
  in >> server_pid;
  ASSERT_FALSE(directory.empty());
  ASSERT_GT(server_pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((fs::exists(directory) || process_alive(server_pid)) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(fs::exists(directory));
  EXPECT_FALSE(process_alive(server_pid));
}

fs::path record_path(const std::string& name) {
  return fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".txt");
}

TEST(PostgresClusterDeathTest, ExitStillStopsTheCluster) {
  const fs::path record = record_path("strata-exit-record");
  EXPECT_EXIT(start_cluster_then(record, [] { std::exit(0); }), ::testing::ExitedWithCode(0), "");
  expect_cluster_cleaned_up(record);
  fs::remove(record);
}

TEST(PostgresClusterDeathTest, TerminateStillStopsTheCluster) {
  const fs::path record = record_path("strata-terminate-record");
  EXPECT_DEATH(start_cluster_then(record, [] { std::terminate(); }), "");
  expect_cluster_cleaned_up(record);
  fs::remove(record);
}

}  // namespace
}  // namespace strata::testing
