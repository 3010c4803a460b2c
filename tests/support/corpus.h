// The PostgreSQL corpus cases (tests/corpus/cases/postgres) for the suites
// that run them on the real server: which cases run on a stock PostgreSQL 15,
// the environment the peer tools assume, and loading a file into a fresh
// database.
#pragma once

#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "strata/parser/interpreter.h"
#include "strata/runtime/postgres_connection.h"

namespace strata::testing {

struct CorpusCase {
  std::string name;
  // sqldef runs some cases as a role whose own schema foo comes first on
  // search_path; files_of() sets up the same environment before the file.
  bool in_user_schema = false;
  bool current_runs = false;  // [pg15_ok] current
  bool desired_runs = false;  // [pg15_ok] desired
  bool rename_hints = false;  // desired.sql hints renames in comments (parser/rename_hints.h)
};

void PrintTo(const CorpusCase& corpus_case, std::ostream* out);

// Cases that can run on a stock PostgreSQL 15 without extension packages:
// not offline, no flavor, min_version <= 15, no expected error; at least one
// file runs as written.
std::vector<CorpusCase> runnable_postgres_cases(const std::filesystem::path& corpus_directory);

// One file of a case: the case, and "current" or "desired".
struct CorpusFile {
  CorpusCase corpus_case;
  std::string file;
};

void PrintTo(const CorpusFile& file, std::ostream* out);

// Every file of those cases that runs as written on a stock PostgreSQL 15.
std::vector<CorpusFile> runnable_postgres_files(const std::filesystem::path& corpus_directory);

// The files to load for `file` ("current" or "desired") of a case: the
// peer's environment first where it needs one.
std::vector<parser::SourceFile> files_of(const std::filesystem::path& corpus_directory, const CorpusCase& corpus_case,
                                         const std::string& file);

// "<key> <reason>" lines of a known-failures list; '#' starts a comment line.
std::map<std::string, std::string> read_known_failures(const std::filesystem::path& path);

// A fresh database on the shared cluster, quiet about notices, with the
// roles the peers' cases grant to.
runtime::PostgresConnection fresh_corpus_database();
// The same for a database of the shared cluster created by the caller, who
// needs its conninfo.
runtime::PostgresConnection corpus_database(const std::string& conninfo);

// Runs files statement by statement, as the peers load them.
void run_files(runtime::PostgresConnection& connection, const std::vector<parser::SourceFile>& files);

}  // namespace strata::testing
