// A source file's text with its line starts, converting byte offsets and
// libpg_query's character cursor positions into file:line:col in one place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "strata/schema/error.h"

namespace strata::parser {

class SourceText {
 public:
  SourceText(std::string path, std::string_view text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }

  // file:line:col of a 0-based byte offset; the column counts characters.
  SourceLocation location(std::size_t byte_offset) const;
  // The line (without its newline) that holds the byte offset.
  std::string line_at(std::size_t byte_offset) const;
  // The byte offset of the 1-based character position `cursor` counted from
  // `from_byte` (libpg_query's cursorpos counts characters).
  std::size_t byte_offset_of_cursor(std::size_t from_byte, int cursor) const;

  Error error(std::size_t byte_offset, const std::string& message) const;

 private:
  std::string path_;
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace strata::parser
