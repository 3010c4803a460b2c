// strata.sum: one chained SHA-256 per migration file, each line's hash
// covering that file and every file before it, and the last hash repeated on
// the first line as the total. Editing an old migration changes its line and
// every later one; two branches that each add a migration change the first
// line both, so git reports a conflict instead of silently forking the chain.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "strata/migrations/directory.h"

namespace strata::migrations {

inline constexpr const char* kSumFileName = "strata.sum";

struct SumLine {
  std::string file;  // "0001_init.up.sql"
  std::string hash;  // "sha256:<hex>"

  bool operator==(const SumLine&) const = default;
};

struct SumFile {
  std::string total;  // "sha256:<hex>", the last line's hash ("sha256:" + empty-input hash when empty)
  std::vector<SumLine> lines;

  bool operator==(const SumFile&) const = default;
  std::string text() const;
  // Adds the line for the next file of the chain.
  void append(const std::string& file, std::string_view content);
};

// The sum of the directory's files as they are now.
SumFile compute_sum(const Directory& directory);
// Parses strata.sum; a malformed line throws strata::Error at file:line:col.
SumFile parse_sum(const std::filesystem::path& path, std::string_view text);

// The directory's strata.sum as written; nothing when there is none.
std::optional<SumFile> recorded_sum(const Directory& directory);

// One line per problem, empty when `recorded` matches the files: names the
// first file whose content changed ("changed since strata.sum was written"),
// files missing from the sum and sum lines without a file.
std::vector<std::string> verify_sum(const Directory& directory, const SumFile& recorded);

// "sha256:<hex>" of `data`.
std::string sha256(std::string_view data);

}  // namespace strata::migrations
