// The migration directory: NNNN_slug.up.sql / NNNN_slug.down.sql pairs in one
// linear chain, each with a header naming it and carrying the directives the
// runtime obeys.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata::migrations {

// What a migration file asks of the applier.
struct Directives {
  bool no_transaction = false;           // "-- strata:no-transaction": run statement by statement
  bool sqlite_foreign_keys_off = false;  // "-- strata:sqlite-foreign-keys-off": PRAGMA around the transaction

  bool operator==(const Directives&) const = default;
};

// The header comment at the top of a file.
struct Header {
  std::string version;  // "0002"
  std::string message;  // "add email"
  std::string created;  // ISO 8601 UTC
  std::string from_schema;  // "sha256:<hex>" of the schema it starts from
  std::string to_schema;    // ... and the one it reaches
  Directives directives;

  bool operator==(const Header&) const = default;
};

// The header as comment lines, each starting with "-- ", ending with a blank line.
std::string render_header(const Header& header);
// Reads the directives (and header fields, where present) from the leading
// comment block of a file's text; text after the first non-comment line is
// not read.
Header parse_header(std::string_view text);

struct Migration {
  int version = 0;          // 2
  std::string version_text; // "0002"
  std::string slug;         // "add_email"
  std::filesystem::path up;
  std::filesystem::path down;

  std::string stem() const { return version_text + "_" + slug; }  // "0002_add_email"
};

// The file name parts of "0002_add_email.up.sql": version text, slug and
// direction ("up"/"down"); nothing for other names.
struct MigrationFileName {
  std::string version_text;
  std::string slug;
  std::string direction;
};
std::optional<MigrationFileName> parse_file_name(const std::string& file_name);

// A slug from a free-text message: lower case, runs of other characters as '_'.
std::string slug_of(std::string_view message);

// The version text of `version`: at least four digits, zero-padded.
std::string version_text(int version);

// Every up/down pair in `path`, ordered by version then name, without
// checking the chain (two pairs may share a version after a merge). Throws
// for a stray file name or a pair missing one of its files.
std::vector<Migration> list_migrations(const std::filesystem::path& path);

// The text of a migration file with its header's version set to `version`.
std::string with_header_version(std::string_view text, const std::string& version);

class Directory {
 public:
  // Reads the directory (which may not exist yet: an empty chain). Throws
  // strata::Error naming the file for a stray name, a gap in the sequence, two
  // migrations with one version (after a merge: run strata rebase), or an up
  // file without its down file.
  static Directory read(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const std::vector<Migration>& migrations() const { return migrations_; }
  int next_version() const { return migrations_.empty() ? 1 : migrations_.back().version + 1; }
  // The migration with this version ("0002" or "2"), or nothing.
  const Migration* find(std::string_view version) const;

  // Every migration file name in the order the sum file lists them.
  std::vector<std::string> file_names() const;

 private:
  std::filesystem::path path_;
  std::vector<Migration> migrations_;
};

}  // namespace strata::migrations
