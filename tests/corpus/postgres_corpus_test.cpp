// Every PostgreSQL corpus file that runs on a stock PostgreSQL 15 server is
// loaded twice into the real server: once as written, and once as the DDL
// strata prints from its own catalog of the file. The two databases must
// read back (runtime::inspect_postgres) the same: strata's front end then
// understood everything the file does, names the server chose included.
#include <gtest/gtest.h>

#include <map>

#include "corpus.h"
#include "strata/parser/interpreter.h"
#include "strata/runtime/postgres_inspect.h"
#include "strata/schema/compare.h"
#include "strata/schema/printer.h"

namespace strata {
namespace {


using testing::CorpusFile;

// case/file -> why strata does not reproduce it yet.
const std::map<std::string, std::string>& known_failures() {
  static const auto failures = testing::read_known_failures(STRATA_KNOWN_FAILURES);
  return failures;
}

class PostgresCorpus : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(PostgresCorpus, ServerReadsBackTheSameSchemaFromStrataDdl) {
  const CorpusFile& param = GetParam();
  const std::string key = param.corpus_case.name + "/" + param.file;
  if (const auto failure = known_failures().find(key); failure != known_failures().end())
    GTEST_SKIP() << "known failure: " << failure->second;

  const auto files = testing::files_of(STRATA_CORPUS_DIR, param.corpus_case, param.file);
  schema::Catalog catalog;
  std::vector<parser::Warning> warnings;
  try {
    catalog = parser::load_postgres_schema(files, warnings);
  } catch (const Error& error) {
    FAIL() << "strata rejects the file: " << error.render();
  }
  const std::string printed = schema::catalog_sql(catalog);

  runtime::PostgresConnection as_written = testing::fresh_corpus_database();
  testing::run_files(as_written, files);

  runtime::PostgresConnection from_strata = testing::fresh_corpus_database();
  try {
    testing::run_files(from_strata, {{"strata.sql", printed}});
  } catch (const std::exception& error) {
    FAIL() << "the server rejects strata's DDL: " << error.what() << "\n" << printed;
  }

  const auto differences = schema::differences(runtime::inspect_postgres(as_written), runtime::inspect_postgres(from_strata),
                                               "the database as written", "the database from strata's DDL");
  std::string report;
  for (const auto& difference : differences) report += "  " + difference + "\n";
  EXPECT_TRUE(differences.empty()) << report << "strata's DDL:\n" << printed;
}

std::string test_name(const ::testing::TestParamInfo<CorpusFile>& info) {
  std::string name = info.param.corpus_case.name + "_" + info.param.file;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Postgres15, PostgresCorpus, ::testing::ValuesIn(testing::runnable_postgres_files(STRATA_CORPUS_DIR)), test_name);

}  // namespace
}  // namespace strata
