#include "strata/runtime/driver.h"

#include <filesystem>
#include <thread>

#include "drivers.h"
#include "strata/schema/error.h"

namespace strata::runtime {
namespace {

bool ends_with_any(const std::string& text, std::initializer_list<std::string_view> suffixes) {
  for (const auto suffix : suffixes) {
    if (text.ends_with(suffix)) return true;
  }
  return false;
}

// The file of a SQLite URL, or nothing when the URL is not one.
std::optional<std::string> sqlite_path(const std::string& url) {
  if (url.starts_with("sqlite://")) return url.substr(9);
  if (url.starts_with("sqlite:")) return url.substr(7);
  if (url.find('=') == std::string::npos && url.find("://") == std::string::npos &&
      ends_with_any(url, {".db", ".sqlite", ".sqlite3"}))
    return url;
  return std::nullopt;
}

bool is_postgres_url(const std::string& url) {
  return url.starts_with("postgres://") || url.starts_with("postgresql://") ||
         (url.find('=') != std::string::npos && url.find("://") == std::string::npos);
}

}  // namespace

const char* history_state_name(HistoryState state) {
  switch (state) {
    case HistoryState::Applied:
      return "applied";
    case HistoryState::Dirty:
      return "dirty";
  }
  return "applied";
}

std::optional<Engine> engine_of_url(const std::string& url) {
  if (sqlite_path(url)) return Engine::Sqlite;
  if (is_postgres_url(url)) return Engine::Postgres;
  return std::nullopt;
}

bool database_exists(const std::string& url) {
  const auto path = sqlite_path(url);
  if (!path || path->empty() || *path == ":memory:") return true;
  std::error_code ignored;
  return std::filesystem::exists(*path, ignored);
}

schema::Catalog inspect_database(const std::string& url) {
  if (!database_exists(url)) throw Error("the database " + mask_passwords(url) + " does not exist");
  schema::Catalog catalog = open_driver(url)->inspect();
  std::erase_if(catalog.tables, [](const auto& entry) { return entry.first.name == kHistoryTable; });
  return catalog;
}

std::unique_ptr<Driver> open_driver(const std::string& url) {
  if (const auto path = sqlite_path(url)) {
    if (path->empty()) throw Error("the SQLite URL " + url + " names no file");
    return detail::open_sqlite(*path, url);
  }
  if (is_postgres_url(url)) return detail::open_postgres(url);
  throw Error("unrecognised database URL \"" + mask_passwords(url) +
              "\": expected sqlite:PATH, a .db/.sqlite/.sqlite3 file, postgres://..., postgresql://... or a libpq "
              "key=value string");
}

void acquire_lock(Driver& driver, std::chrono::milliseconds timeout, std::ostream& out) {
  driver.set_lock_timeout(timeout);
  if (driver.try_lock()) return;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
  out << "waiting up to " << seconds << " s for another strata run to release the migration lock on "
      << driver.description() << "\n"
      << std::flush;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (driver.try_lock()) return;
  }
  throw DatabaseError("timed out after " + std::to_string(seconds) + " s waiting for the migration lock on " +
                      driver.description() + ": another strata run is migrating this database");
}

LockGuard::LockGuard(Driver& driver, std::chrono::milliseconds timeout, std::ostream& out) : driver_(driver) {
  acquire_lock(driver, timeout, out);
}

namespace detail {

std::size_t skip_blank(std::string_view text, std::size_t from, bool semicolons) {
  std::size_t at = from;
  while (at < text.size()) {
    const char c = text[at];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || (semicolons && c == ';')) {
      ++at;
    } else if (text.substr(at, 2) == "--") {
      const auto end = text.find('\n', at);
      at = end == std::string_view::npos ? text.size() : end + 1;
    } else if (text.substr(at, 2) == "/*") {
      const auto end = text.find("*/", at + 2);
      at = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  return at;
}

int characters_before(std::string_view text, std::size_t bytes) {
  int characters = 0;
  for (std::size_t i = 0; i < bytes && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) ++characters;
  }
  return characters;
}

void refuse_nul_bytes(std::string_view script) {
  if (const auto nul = script.find('\0'); nul != std::string_view::npos)
    throw DatabaseError("a NUL byte in the SQL text", {}, characters_before(script, nul) + 1);
}

}  // namespace detail
}  // namespace strata::runtime
