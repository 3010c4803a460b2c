// The two drivers behind open_driver(), and helpers they share.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "strata/runtime/driver.h"

namespace strata::runtime::detail {

// `path` is a file name or ":memory:".
std::unique_ptr<Driver> open_sqlite(const std::string& path, const std::string& description);
// `conninfo` is a postgres:// URL or a libpq key=value string.
std::unique_ptr<Driver> open_postgres(const std::string& conninfo);

// The byte offset of the first token at or after `from` in SQL text:
// whitespace, -- and /* */ comments (and, when asked, semicolons) skipped.
std::size_t skip_blank(std::string_view text, std::size_t from, bool semicolons = false);

// The number of characters (UTF-8 code points) in text[0, bytes).
int characters_before(std::string_view text, std::size_t bytes);

// Throws a DatabaseError at the first NUL byte of a script: libpq and SQLite
// read it as the end of the text, so whatever follows would never run.
void refuse_nul_bytes(std::string_view script);

}  // namespace strata::runtime::detail
