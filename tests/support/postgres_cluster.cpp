#include "postgres_cluster.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace strata::testing {
namespace fs = std::filesystem;

namespace {

// Prefer the Debian PostgreSQL 15 server: pg_config may belong to another
// major version's client package.
constexpr std::string_view kPostgres15Bindir = "/usr/lib/postgresql/15/bin";

// Runs in the watchdog shell: waits until every write end of its stdin pipe is
// closed (the test process is gone, however it ended), then shuts the server
// down and removes the cluster directory. A cluster stopped normally kills
// its watchdog first.
constexpr const char* kWatchdogScript =
    "root=$1; data=$2; shift 2\n"
    "while read -r _; do :; done\n"
    "\"$@\" stop -D \"$data\" -m immediate >/dev/null 2>&1\n"
    "rm -rf -- \"$root\"\n";

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

class SpawnFileActions {
 public:
  SpawnFileActions() {
    if (posix_spawn_file_actions_init(&actions_) != 0) throw std::runtime_error("posix_spawn_file_actions_init failed");
  }
  ~SpawnFileActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnFileActions(const SpawnFileActions&) = delete;
  SpawnFileActions& operator=(const SpawnFileActions&) = delete;

  void open(int fd, const fs::path& path, int flags) {
    check(posix_spawn_file_actions_addopen(&actions_, fd, path.c_str(), flags, 0644));
  }
  void dup2(int from, int to) { check(posix_spawn_file_actions_adddup2(&actions_, from, to)); }
  void chdir(const fs::path& directory) { check(posix_spawn_file_actions_addchdir_np(&actions_, directory.c_str())); }
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  static void check(int error) {
    if (error != 0) throw std::system_error(error, std::generic_category(), "posix_spawn_file_actions");
  }
  posix_spawn_file_actions_t actions_{};
};

class SpawnAttributes {
 public:
  SpawnAttributes() {
    if (posix_spawnattr_init(&attributes_) != 0) throw std::runtime_error("posix_spawnattr_init failed");
  }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;

  void set_flags(short flags) {
    if (const int error = posix_spawnattr_setflags(&attributes_, flags); error != 0)
      throw std::system_error(error, std::generic_category(), "posix_spawnattr_setflags");
  }
  const posix_spawnattr_t* get() const { return &attributes_; }

 private:
  posix_spawnattr_t attributes_{};
};

pid_t spawn(const std::vector<std::string>& argv, const SpawnFileActions& actions,
            const SpawnAttributes* attributes = nullptr) {
  std::vector<std::string> arguments = argv;  // posix_spawn wants mutable strings
  std::vector<char*> pointers;
  for (auto& argument : arguments) pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawnp(&pid, pointers[0], actions.get(), attributes ? attributes->get() : nullptr,
                                 pointers.data(), environ);
  if (error != 0) throw std::system_error(error, std::generic_category(), "cannot run " + argv[0]);
  return pid;
}

// The child's exit code, or -1 when it did not exit normally.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("waitpid");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The last lines of a log, to explain a failure.
std::string log_tail(const fs::path& log) {
  constexpr std::size_t kLines = 30;
  std::ifstream in(log);
  if (!in) return "(no " + log.filename().string() + ")";
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > kLines) lines.pop_front();
  }
  std::string tail = "--- " + log.string() + " (last lines) ---\n";
  for (const auto& line : lines) tail += line + "\n";
  return tail;
}

fs::path find_bindir() {
  if (fs::exists(fs::path(kPostgres15Bindir) / "initdb")) return fs::path(kPostgres15Bindir);
  const std::unique_ptr<FILE, int (*)(FILE*)> pg_config(::popen("pg_config --bindir 2>/dev/null", "r"), ::pclose);
  if (pg_config) {
    std::array<char, 4096> buffer{};
    if (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pg_config.get()) != nullptr) {
      std::string bindir = buffer.data();
      while (!bindir.empty() && (bindir.back() == '\n' || bindir.back() == '\r')) bindir.pop_back();
      if (fs::exists(fs::path(bindir) / "initdb")) return bindir;
    }
  }
  throw std::runtime_error("PostgreSQL server binaries not found (tried " + std::string(kPostgres15Bindir) +
                           " and pg_config --bindir)");
}

fs::path make_temporary_directory() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern = (tmpdir != nullptr && *tmpdir != '\0' ? fs::path(tmpdir) : fs::path("/tmp")) /
                        "strata-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw_errno("mkdtemp " + pattern);
  // pg_ctl passes the socket directory to the server through a shell command line.
  if (pattern.find('\'') != std::string::npos) {
    fs::remove(pattern);
    throw std::runtime_error("temporary directory path contains a quote: " + pattern);
  }
  return pattern;
}

// A port for the socket's name: nothing listens on TCP (listen_addresses is
// empty), but a port no one uses keeps the server's shared memory keys and any
// human looking at `ss` free of confusion.
int pick_free_port() {
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> first_port(20000, 59999);
  int port = first_port(random);
  for (int attempt = 0; attempt < 200; ++attempt, port = port >= 59999 ? 20000 : port + 1) {
    const FileDescriptor probe(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (probe.get() < 0) throw_errno("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return port;
  }
  throw std::runtime_error("no free port found for the PostgreSQL test cluster");
}

// A conninfo value, quoted only when libpq needs it to be.
std::string conninfo_value(std::string_view value) {
  if (!value.empty() && value.find_first_of(" \t\n\r'\\") == std::string_view::npos) return std::string(value);
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

struct ConnectionClose {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
struct ResultClear {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};

}  // namespace

PostgresCluster::PostgresCluster() : bindir_(find_bindir()), root_(make_temporary_directory()) {
  try {
    // The server refuses to run as root: as root, hand the directory to postgres.
    if (::geteuid() == 0) user_prefix_ = {"runuser", "-u", "postgres", "--"};
    start_watchdog();
    if (::geteuid() == 0) {
      const passwd* postgres = ::getpwnam("postgres");
      if (postgres == nullptr) throw std::runtime_error("running as root, but there is no postgres user");
      if (::chown(root_.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) throw_errno("chown " + root_.string());
    }
    initdb();
    start_server();
  } catch (...) {
    stop();
    throw;
  }
}

PostgresCluster::~PostgresCluster() { stop(); }

int PostgresCluster::run_as_server_user(std::vector<std::string> argv, const fs::path& log) const {
  argv.insert(argv.begin(), user_prefix_.begin(), user_prefix_.end());
  SpawnFileActions actions;
  actions.open(STDIN_FILENO, "/dev/null", O_RDONLY);
  actions.open(STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_APPEND);
  actions.dup2(STDOUT_FILENO, STDERR_FILENO);
  // The server user may not be able to enter the test's working directory.
  actions.chdir(root_);
  return wait_for(spawn(argv, actions));
}

void PostgresCluster::initdb() {
  const fs::path log = root_ / "initdb.log";
  const int status = run_as_server_user({(bindir_ / "initdb").string(), "-D", data_directory().string(), "-A", "trust",
                                         "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"},
                                        log);
  if (status != 0) throw std::runtime_error("initdb failed (exit code " + std::to_string(status) + ")\n" + log_tail(log));
}

void PostgresCluster::start_server() {
  port_ = pick_free_port();
  const fs::path pg_ctl_log = root_ / "pg_ctl.log";
  const fs::path server_log = root_ / "server.log";
  const std::string options = "-k '" + root_.string() + "' -c listen_addresses='' -p " + std::to_string(port_) +
                              " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  const int status = run_as_server_user({(bindir_ / "pg_ctl").string(), "start", "-w", "-t", "60", "-D",
                                         data_directory().string(), "-l", server_log.string(), "-o", options},
                                        pg_ctl_log);
  if (status != 0) {
    throw std::runtime_error("pg_ctl start failed (exit code " + std::to_string(status) + ")\n" + log_tail(pg_ctl_log) +
                             log_tail(server_log));
  }
  running_ = true;
}

void PostgresCluster::start_watchdog() {
  std::array<int, 2> pipe_ends{};
  if (::pipe2(pipe_ends.data(), O_CLOEXEC) != 0) throw_errno("pipe2");
  const FileDescriptor read_end(pipe_ends[0]);
  FileDescriptor write_end(pipe_ends[1]);

  std::vector<std::string> argv = {"/bin/sh", "-c", kWatchdogScript, "strata-postgres-watchdog", root_.string(),
                                   data_directory().string()};
  argv.insert(argv.end(), user_prefix_.begin(), user_prefix_.end());
  argv.push_back((bindir_ / "pg_ctl").string());

  SpawnFileActions actions;
  actions.dup2(read_end.get(), STDIN_FILENO);
  actions.open(STDOUT_FILENO, "/dev/null", O_WRONLY);
  actions.dup2(STDOUT_FILENO, STDERR_FILENO);
  actions.chdir("/");
  // Its own session: a signal sent to the test's process group (a terminal's
  // ^C, a test runner's timeout) must not take the watchdog down with it.
  SpawnAttributes attributes;
  attributes.set_flags(POSIX_SPAWN_SETSID);
  watchdog_pid_ = spawn(argv, actions, &attributes);
  watchdog_pipe_ = write_end.release();
}

void PostgresCluster::dismiss_watchdog() noexcept {
  if (watchdog_pid_ > 0) {
    ::kill(watchdog_pid_, SIGKILL);
    int status = 0;
    while (::waitpid(watchdog_pid_, &status, 0) < 0 && errno == EINTR) {
    }
    watchdog_pid_ = -1;
  }
  if (watchdog_pipe_ >= 0) {
    ::close(watchdog_pipe_);
    watchdog_pipe_ = -1;
  }
}

void PostgresCluster::stop() noexcept {
  if (root_.empty()) return;
  if (running_) {
    try {
      run_as_server_user({(bindir_ / "pg_ctl").string(), "stop", "-D", data_directory().string(), "-m", "immediate",
                          "-w"},
                         root_ / "pg_ctl.log");
    } catch (const std::exception&) {
      // Nothing more to try here: the watchdog stops the server once this
      // process is gone.
      return;
    }
    running_ = false;
  }
  std::error_code ignored;
  fs::remove_all(root_, ignored);
  dismiss_watchdog();
  root_.clear();
}

std::string PostgresCluster::conninfo(std::string_view dbname) const {
  return "host=" + conninfo_value(root_.string()) + " port=" + std::to_string(port_) +
         " user=postgres dbname=" + conninfo_value(dbname);
}

std::string PostgresCluster::create_database() {
  if (!running_) throw std::runtime_error("the PostgreSQL test cluster is not running");
  std::string name;
  {
    const std::lock_guard lock(databases_mutex_);
    name = "strata_test_" + std::to_string(++databases_created_);
  }
  const std::unique_ptr<PGconn, ConnectionClose> connection(PQconnectdb(conninfo("postgres").c_str()));
  if (PQstatus(connection.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to the test cluster: " + std::string(PQerrorMessage(connection.get())));
  const std::unique_ptr<PGresult, ResultClear> result(
      // FILE_COPY is several times faster than PostgreSQL 15's default WAL_LOG
      // strategy for the small databases tests make (no fsync here anyway).
      PQexec(connection.get(), ("CREATE DATABASE " + name + " STRATEGY FILE_COPY").c_str()));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error("CREATE DATABASE " + name + " failed: " + PQerrorMessage(connection.get()));
  return conninfo(name);
}

namespace {

struct SharedCluster {
  std::mutex mutex;
  std::unique_ptr<PostgresCluster> cluster;
  std::string failure;  // a failed start is reported to every later caller, not retried
};

SharedCluster& shared_cluster() {
  static SharedCluster shared;
  return shared;
}

}  // namespace

PostgresCluster& shared_postgres() {
  SharedCluster& shared = shared_cluster();
  const std::lock_guard lock(shared.mutex);
  if (!shared.failure.empty()) throw std::runtime_error(shared.failure);
  if (!shared.cluster) {
    try {
      shared.cluster = std::make_unique<PostgresCluster>();
    } catch (const std::exception& error) {
      shared.failure = error.what();
      throw;
    }
  }
  return *shared.cluster;
}

void PostgresEnvironment::TearDown() {
  SharedCluster& shared = shared_cluster();
  const std::lock_guard lock(shared.mutex);
  if (shared.cluster) shared.cluster->stop();
}

}  // namespace strata::testing
