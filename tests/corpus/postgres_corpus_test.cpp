// Every PostgreSQL corpus file that runs on a stock PostgreSQL 15 server is
// loaded twice into the real server: once as written, and once as the DDL
// strata prints from its own catalog of the file. The two databases must
// read back (runtime::inspect_postgres) the same: strata's front end then
// understood everything the file does, names the server chose included.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <toml++/toml.h>

#include "postgres_cluster.h"
#include "strata/parser/interpreter.h"
#include "strata/parser/postgres_parser.h"
#include "strata/runtime/postgres_connection.h"
#include "strata/runtime/postgres_inspect.h"
#include "strata/schema/compare.h"
#include "strata/schema/printer.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

struct CorpusFile {
  std::string case_name;
  std::string file;  // "current" or "desired"
  // sqldef runs some cases as a role whose own schema foo comes first on
  // search_path; the same environment is set up here before the file.
  bool in_user_schema = false;
};

void PrintTo(const CorpusFile& file, std::ostream* out) { *out << file.case_name << "/" << file.file; }

constexpr const char* kUserSchemaSetup = "CREATE SCHEMA foo;\nSET search_path TO foo, public;\n";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Files that run as written on a stock PostgreSQL 15 server with no extension
// packages: the cases a server-side comparison can check.
std::vector<CorpusFile> runnable_files() {
  std::vector<CorpusFile> files;
  const fs::path root = fs::path(STRATA_CORPUS_DIR) / "postgres";
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(root)) cases.push_back(entry.path());
  std::sort(cases.begin(), cases.end());
  for (const auto& directory : cases) {
    const toml::table meta = toml::parse_file((directory / "meta.toml").string());
    if (meta["offline"].value_or(false) || meta["expects_error"].value_or(false) || meta.contains("flavor")) continue;
    if (const auto min_version = meta["min_version"].value<std::string>(); min_version && std::stoi(*min_version) > 15)
      continue;
    const bool in_user_schema = meta["peer_config"]["user"].value_or(std::string()) == "psqldef_user";
    for (const char* file : {"current", "desired"})
      if (meta["pg15_ok"][file].value_or(false)) files.push_back({directory.filename().string(), file, in_user_schema});
  }
  return files;
}

// case/file -> why strata does not reproduce it yet.
const std::map<std::string, std::string>& known_failures() {
  static const std::map<std::string, std::string> failures = [] {
    std::map<std::string, std::string> out;
    std::ifstream in(STRATA_KNOWN_FAILURES);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto space = line.find(' ');
      out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
    }
    return out;
  }();
  return failures;
}

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

// A connection to a fresh database that keeps the server's notices to itself.
runtime::PostgresConnection fresh_database() {
  runtime::PostgresConnection connection(testing::shared_postgres().create_database());
  connection.exec("SET client_min_messages = warning");
  return connection;
}

void run_script(runtime::PostgresConnection& connection, const std::string& path, const std::string& sql) {
  for (const auto& statement : parser::split_postgres(path, sql)) connection.exec(std::string(statement.text));
}

class PostgresCorpus : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(PostgresCorpus, ServerReadsBackTheSameSchemaFromStrataDdl) {
  const CorpusFile& param = GetParam();
  const std::string key = param.case_name + "/" + param.file;
  if (const auto failure = known_failures().find(key); failure != known_failures().end())
    GTEST_SKIP() << "known failure: " << failure->second;

  const fs::path path = fs::path(STRATA_CORPUS_DIR) / "postgres" / param.case_name / (param.file + ".sql");
  const std::string sql = read(path);

  std::vector<parser::SourceFile> files;
  if (param.in_user_schema) files.push_back({"environment.sql", kUserSchemaSetup});
  files.push_back({path.string(), sql});

  schema::Catalog catalog;
  std::vector<parser::Warning> warnings;
  try {
    catalog = parser::load_postgres_schema(files, warnings);
  } catch (const Error& error) {
    FAIL() << "strata rejects the file: " << error.render();
  }
  const std::string printed = schema::catalog_sql(catalog);

  runtime::PostgresConnection as_written = fresh_database();
  create_peer_roles(as_written);
  for (const auto& file : files) run_script(as_written, file.path, file.text);

  runtime::PostgresConnection from_strata = fresh_database();
  try {
    run_script(from_strata, "strata.sql", printed);
  } catch (const std::exception& error) {
    FAIL() << "the server rejects strata's DDL: " << error.what() << "\n" << printed;
  }

  const auto differences = schema::differences(runtime::inspect_postgres(as_written), runtime::inspect_postgres(from_strata));
  std::string report;
  for (const auto& difference : differences) report += "  " + difference + "\n";
  EXPECT_TRUE(differences.empty()) << "as written vs strata's DDL:\n" << report << "strata's DDL:\n" << printed;
}

std::string test_name(const ::testing::TestParamInfo<CorpusFile>& info) {
  std::string name = info.param.case_name + "_" + info.param.file;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Postgres15, PostgresCorpus, ::testing::ValuesIn(runnable_files()), test_name);

}  // namespace
}  // namespace strata
