// The project's error type: every failure a user can cause carries where it
// happened, and the command line prints it as one `file:line:col: message`.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace strata {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based, in characters

  std::string str() const;  // "file:line:col", "file" when the position is unknown
};

class Error : public std::runtime_error {
 public:
  explicit Error(std::string message, std::optional<SourceLocation> location = std::nullopt,
                 std::string source_line = {});

  const std::string& message() const { return message_; }
  const std::optional<SourceLocation>& location() const { return location_; }
  // The offending line of source text, when known, for a caret display.
  const std::string& source_line() const { return source_line_; }

  // "file:line:col: message", then the source line and a caret under the column.
  std::string render() const;

 private:
  std::string message_;
  std::optional<SourceLocation> location_;
  std::string source_line_;
};

}  // namespace strata
