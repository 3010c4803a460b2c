#include "corpus.h"

#include <algorithm>
#include <mutex>
#include <ostream>
#include <toml++/toml.h>

#include "postgres_cluster.h"
#include "strata/migrations/file_set.h"
#include "strata/parser/postgres_parser.h"

namespace strata::testing {
namespace {

constexpr const char* kUserSchemaSetup = "CREATE SCHEMA foo;\nSET search_path TO foo, public;\n";

// The roles sqldef's cases grant to; created once per cluster.
void create_peer_roles(runtime::PostgresConnection& connection) {
  static std::once_flag once;
  std::call_once(once, [&] {
    for (const char* role : {"readonly_user", "app_user", "admin_role", "user-with-dash", "user.with.dot",
                             "user with spaces", "CamelCaseUser", "UPPERCASE_USER", "user1", "user2", "user3",
                             "user4", "My User", "reader", "writer", "admin", "reader1", "reader2", "writer1",
                             "writer2", "role1", "role2", "power_user", "user@domain.com", "schemainspect_test_role"})
      connection.exec("CREATE ROLE \"" + std::string(role) + "\"");
  });
}

}  // namespace

void PrintTo(const CorpusCase& corpus_case, std::ostream* out) { *out << corpus_case.name; }

std::vector<CorpusCase> runnable_postgres_cases(const std::filesystem::path& corpus_directory) {
  std::vector<std::filesystem::path> directories;
  for (const auto& entry : std::filesystem::directory_iterator(corpus_directory / "postgres"))
    directories.push_back(entry.path());
  std::sort(directories.begin(), directories.end());
  std::vector<CorpusCase> cases;
  for (const auto& directory : directories) {
    const toml::table meta = toml::parse_file((directory / "meta.toml").string());
    if (meta["offline"].value_or(false) || meta["expects_error"].value_or(false) || meta.contains("flavor")) continue;
    if (const auto min_version = meta["min_version"].value<std::string>(); min_version && std::stoi(*min_version) > 15)
      continue;
    CorpusCase corpus_case{directory.filename().string(),
                           meta["peer_config"]["user"].value_or(std::string()) == "psqldef_user",
                           meta["pg15_ok"]["current"].value_or(false), meta["pg15_ok"]["desired"].value_or(false),
                           meta["rename_hints"].value_or(false)};
    if (corpus_case.current_runs || corpus_case.desired_runs) cases.push_back(std::move(corpus_case));
  }
  return cases;
}

std::vector<parser::SourceFile> files_of(const std::filesystem::path& corpus_directory, const CorpusCase& corpus_case,
                                         const std::string& file) {
  const std::filesystem::path path = corpus_directory / "postgres" / corpus_case.name / (file + ".sql");
  std::vector<parser::SourceFile> files;
  if (corpus_case.in_user_schema) files.push_back({"environment.sql", kUserSchemaSetup});
  files.push_back({path.string(), migrations::read_file(path)});
  return files;
}

std::map<std::string, std::string> read_known_failures(const std::filesystem::path& path) {
  std::map<std::string, std::string> out;
  const std::string text = migrations::read_file(path);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return out;
}

runtime::PostgresConnection fresh_corpus_database() { return corpus_database(shared_postgres().create_database()); }

runtime::PostgresConnection corpus_database(const std::string& conninfo) {
  runtime::PostgresConnection connection(conninfo);
  connection.exec("SET client_min_messages = warning");
  create_peer_roles(connection);
  return connection;
}

void run_files(runtime::PostgresConnection& connection, const std::vector<parser::SourceFile>& files) {
  for (const auto& file : files)
    for (const auto& statement : parser::split_postgres(file.path, file.text)) connection.exec(std::string(statement.text));
}

void PrintTo(const CorpusFile& file, std::ostream* out) { *out << file.corpus_case.name << "/" << file.file; }

std::vector<CorpusFile> runnable_postgres_files(const std::filesystem::path& corpus_directory) {
  std::vector<CorpusFile> files;
  for (const auto& corpus_case : runnable_postgres_cases(corpus_directory)) {
    if (corpus_case.current_runs) files.push_back({corpus_case, "current"});
    if (corpus_case.desired_runs) files.push_back({corpus_case, "desired"});
  }
  return files;
}

}  // namespace strata::testing
