// Writes several files as one step: every file is written to a temporary
// file beside its target first, and only when all of them are written are
// they renamed into place. A failure before that leaves every target as it
// was and removes the temporary files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace strata::migrations {

class FileSet {
 public:
  FileSet() = default;
  FileSet(const FileSet&) = delete;
  FileSet& operator=(const FileSet&) = delete;
  ~FileSet();  // removes temporary files not committed

  // Writes `content` to a temporary file next to `target` (flushed to disk).
  // Throws strata::Error when the file cannot be written.
  void stage(const std::filesystem::path& target, std::string_view content);
  // Renames every staged file onto its target.
  void commit();

 private:
  struct Staged {
    std::filesystem::path temporary;
    std::filesystem::path target;
  };
  std::vector<Staged> staged_;
};

// One file, atomically.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

// A whole file; a missing or unreadable file throws strata::Error.
std::string read_file(const std::filesystem::path& path);

}  // namespace strata::migrations
