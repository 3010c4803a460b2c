#include "strata/schema/error.h"

namespace strata {
namespace {

std::string headline(const std::string& message, const std::optional<SourceLocation>& location) {
  return location ? location->str() + ": " + message : message;
}

}  // namespace

std::string SourceLocation::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Error::Error(std::string message, std::optional<SourceLocation> location, std::string source_line)
    : std::runtime_error(headline(message, location)),
      message_(std::move(message)),
      location_(std::move(location)),
      source_line_(std::move(source_line)) {}

std::string Error::render() const {
  std::string out = what();
  if (source_line_.empty() || !location_ || location_->column <= 0) return out;
  out += "\n  " + source_line_ + "\n  ";
  // One pad per character (not per byte), keeping tabs, so the caret sits
  // under the offending character.
  int characters = 0;
  for (const char c : source_line_) {
    if (characters >= location_->column - 1) break;
    if ((static_cast<unsigned char>(c) & 0xC0U) == 0x80U) continue;  // UTF-8 continuation byte
    out += c == '\t' ? '\t' : ' ';
    ++characters;
  }
  out += '^';
  return out;
}

}  // namespace strata
