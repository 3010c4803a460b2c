// Drift detection (`strata diff --from URL --to schema/`) compares the catalog
// read from a live database with the catalog the front end builds from the
// files. Every PostgreSQL corpus file that runs on PostgreSQL 15 and that the
// front end accepts is loaded into a fresh database; the database, read as
// drift detection reads it, must equal the front end's catalog of the file.
// At the end each shard prints how many files agree and which kinds of
// difference occur. Files listed in live_known_differences.txt are compared
// and counted but may differ; once one agrees, the test asks to unlist it.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "corpus.h"
#include "postgres_cluster.h"
#include "strata/parser/interpreter.h"
#include "strata/parser/live_alignment.h"
#include "strata/runtime/driver.h"
#include "strata/runtime/server_form.h"
#include "strata/schema/compare.h"

namespace strata {
namespace {

using testing::CorpusFile;

const std::map<std::string, std::string>& known_failures() {
  static const auto failures = testing::read_known_failures(STRATA_KNOWN_FAILURES);
  return failures;
}

const std::map<std::string, std::string>& known_differences() {
  static const auto differences = testing::read_known_failures(STRATA_KNOWN_DIFFERENCES);
  return differences;
}

// Files compared, files that agree, and differences by kind, for this shard.
struct Tally {
  int compared = 0;
  int equal = 0;
  std::map<std::string, int> kinds;
};

Tally& tally() {
  static Tally totals;
  return totals;
}

// The kind of one line of schema::differences: the object kind, and for a
// table each part of what differs, without names ("table: column differs").
std::vector<std::string> kinds_of(const std::string& line) {
  const std::string object = line.substr(0, line.find(' '));
  const auto colon = line.find(": ");
  const std::string detail = colon == std::string::npos ? "" : line.substr(colon + 2);
  // "column c differs (...)" -> "column differs"; "column c only in the files" -> "column only in the files"
  auto kind_of_part = [&](const std::string& part) -> std::string {
    if (part.starts_with("only in ")) return object + ": " + part;
    if (object != "table") return object + ": differs";
    if (!part.starts_with("column ") && !part.starts_with("constraint ")) return object + ": " + part;
    const std::string what = part.substr(part.find(' ', part.find(' ') + 1) + 1);
    return object + ": " + part.substr(0, part.find(' ')) + " " + what.substr(0, what.find(" ("));
  };
  std::vector<std::string> kinds;
  std::size_t start = 0;
  while (start <= detail.size()) {
    auto end = detail.find("; ", start);
    if (end == std::string::npos) end = detail.size();
    kinds.push_back(kind_of_part(detail.substr(start, end - start)));
    start = end + 2;
  }
  return kinds;
}

// Prints the tally once the shard's cases have run.
class TallyReport : public ::testing::Environment {
 public:
  void TearDown() override {
    std::cout << "live vs files: " << tally().equal << " of " << tally().compared << " files equal, "
              << tally().compared - tally().equal << " differ\n";
    for (const auto& [kind, count] : tally().kinds) std::cout << "  " << count << "  " << kind << "\n";
  }
};
[[maybe_unused]] const auto* const kTallyReport = ::testing::AddGlobalTestEnvironment(new TallyReport);

class LiveMatchesFiles : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(LiveMatchesFiles, DriftDetectionSeesNoDifference) {
  const CorpusFile& param = GetParam();
  const std::string key = param.corpus_case.name + "/" + param.file;
  if (const auto failure = known_failures().find(key); failure != known_failures().end())
    GTEST_SKIP() << "known failure: " << failure->second;

  const auto files = testing::files_of(STRATA_CORPUS_DIR, param.corpus_case, param.file);
  schema::Catalog from_files;
  std::vector<parser::Warning> warnings;
  try {
    from_files = parser::load_postgres_schema(files, warnings);
  } catch (const Error& error) {
    GTEST_SKIP() << "the front end rejects the file: " << error.render();
  }

  const std::string url = testing::shared_postgres().create_database();
  {
    runtime::PostgresConnection connection = testing::corpus_database(url);
    testing::run_files(connection, files);
  }
  // As drift detection compares them: the server's rewrites of what the files
  // say (casts it infers, IN as = ANY, qualified names, a view's * expanded,
  // partition bounds in the key's type, default operator classes left out)
  // are not differences.
  from_files = runtime::in_server_form(url, std::move(from_files));
  const auto differences = schema::differences(parser::align_live_catalog(runtime::inspect_database(url), from_files),
                                               from_files, "the live database", "the files");

  ++tally().compared;
  if (differences.empty()) ++tally().equal;
  std::string report;
  for (const auto& difference : differences) {
    report += "  " + difference + "\n";
    for (const auto& kind : kinds_of(difference)) ++tally().kinds[kind];
  }
  if (known_differences().contains(key))
    EXPECT_FALSE(differences.empty()) << key << " now agrees: remove it from live_known_differences.txt";
  else
    EXPECT_TRUE(differences.empty()) << report;
}

std::string test_name(const ::testing::TestParamInfo<CorpusFile>& info) {
  std::string name = info.param.corpus_case.name + "_" + info.param.file;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Postgres15, LiveMatchesFiles, ::testing::ValuesIn(testing::runnable_postgres_files(STRATA_CORPUS_DIR)), test_name);

}  // namespace
}  // namespace strata
