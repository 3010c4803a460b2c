#include "source_text.h"

#include <algorithm>

namespace strata::parser {
namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

}  // namespace

SourceText::SourceText(std::string path, std::string_view text) : path_(std::move(path)), text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

SourceLocation SourceText::location(std::size_t byte_offset) const {
  byte_offset = std::min(byte_offset, text_.size());
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte_offset);
  const auto line_index = static_cast<std::size_t>(next_line - line_starts_.begin()) - 1;
  const std::size_t line_start = line_starts_[line_index];
  int column = 1;
  for (std::size_t i = line_start; i < byte_offset; ++i)
    if (!is_continuation_byte(text_[i])) ++column;
  return SourceLocation{path_, static_cast<int>(line_index) + 1, column};
}

std::string SourceText::line_at(std::size_t byte_offset) const {
  byte_offset = std::min(byte_offset, text_.size());
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte_offset);
  const std::size_t start = *(next_line - 1);
  std::size_t end = text_.find('\n', start);
  if (end == std::string_view::npos) end = text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string(text_.substr(start, end - start));
}

std::size_t SourceText::byte_offset_of_cursor(std::size_t from_byte, int cursor) const {
  std::size_t offset = from_byte;
  int characters = 1;
  while (offset < text_.size() && characters < cursor) {
    ++offset;
    while (offset < text_.size() && is_continuation_byte(text_[offset])) ++offset;
    ++characters;
  }
  return offset;
}

Error SourceText::error(std::size_t byte_offset, const std::string& message) const {
  return Error(message, location(byte_offset), line_at(byte_offset));
}

}  // namespace strata::parser
