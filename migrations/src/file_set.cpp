#include "strata/migrations/file_set.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "strata/schema/error.h"

namespace strata::migrations {
namespace {

struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw Error("cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

FileSet::~FileSet() {
  for (const auto& file : staged_) {
    std::error_code ignored;
    std::filesystem::remove(file.temporary, ignored);
  }
}

void FileSet::stage(const std::filesystem::path& target, std::string_view content) {
  std::filesystem::path temporary = target;
  temporary += ".strata-tmp-" + std::to_string(::getpid());
  FileDescriptor file{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
  if (file.fd < 0) fail(temporary, "create");
  staged_.push_back({temporary, target});
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(file.fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(temporary, "write");
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (::fsync(file.fd) != 0) fail(temporary, "flush");
}

void FileSet::commit() {
  for (const auto& file : staged_) {
    if (std::rename(file.temporary.c_str(), file.target.c_str()) != 0) fail(file.target, "write");
  }
  staged_.clear();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  // Every file strata reads is SQL text. libpg_query, libpq and SQLite all
  // stop reading at a NUL byte, so the rest of the file would be dropped
  // without a word.
  if (const auto nul = content.find('\0'); nul != std::string::npos) {
    const auto line_start = content.rfind('\n', nul);
    const std::size_t from = line_start == std::string::npos ? 0 : line_start + 1;
    const auto line = std::count(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(from), '\n') + 1;
    // Columns count characters: every byte but UTF-8 continuation bytes.
    const auto column = std::count_if(content.begin() + static_cast<std::ptrdiff_t>(from),
                                      content.begin() + static_cast<std::ptrdiff_t>(nul),
                                      [](char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; }) +
                        1;
    throw Error("a NUL byte; SQL files are text, and everything after it would be lost",
                SourceLocation{path.string(), static_cast<int>(line), static_cast<int>(column)});
  }
  return content;
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  FileSet files;
  files.stage(target, content);
  files.commit();
}

}  // namespace strata::migrations
