#include "strata/migrations/directory.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "strata/schema/error.h"

namespace strata::migrations {
namespace {

constexpr std::string_view kDirectivePrefix = "-- strata:";

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

}  // namespace

std::string render_header(const Header& header) {
  std::string text = "-- strata migration " + header.version + ": " + header.message + "\n";
  text += "-- created: " + header.created + "\n";
  text += "-- from schema: " + header.from_schema + "\n";
  text += "-- to schema: " + header.to_schema + "\n";
  text += "--\n"
          "-- Directives the applier obeys, one per line in this header:\n"
          "--   -- strata:no-transaction          run statement by statement, outside a transaction\n"
          "--   -- strata:sqlite-foreign-keys-off turn SQLite foreign keys off around the transaction\n";
  if (header.directives.no_transaction) text += "-- strata:no-transaction\n";
  if (header.directives.sqlite_foreign_keys_off) text += "-- strata:sqlite-foreign-keys-off\n";
  return text + "\n";
}

Header parse_header(std::string_view text) {
  Header header;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    if (!line.starts_with("--")) break;  // the header is the leading comment block
    if (line.starts_with(kDirectivePrefix)) {
      const std::string directive = trim(std::string_view(line).substr(kDirectivePrefix.size()));
      if (directive == "no-transaction") header.directives.no_transaction = true;
      if (directive == "sqlite-foreign-keys-off") header.directives.sqlite_foreign_keys_off = true;
      continue;
    }
    auto field = [&](std::string_view key) -> std::optional<std::string> {
      const std::string prefix = "-- " + std::string(key) + ": ";
      if (line.starts_with(prefix)) return trim(std::string_view(line).substr(prefix.size()));
      return std::nullopt;
    };
    if (const std::string title = "-- strata migration "; line.starts_with(title)) {
      const std::string rest = line.substr(title.size());
      const auto colon = rest.find(':');
      header.version = rest.substr(0, colon);
      if (colon != std::string::npos) header.message = trim(std::string_view(rest).substr(colon + 1));
    } else if (auto created = field("created")) {
      header.created = *created;
    } else if (auto from = field("from schema")) {
      header.from_schema = *from;
    } else if (auto to = field("to schema")) {
      header.to_schema = *to;
    }
  }
  return header;
}

std::optional<MigrationFileName> parse_file_name(const std::string& file_name) {
  for (const std::string direction : {"up", "down"}) {
    const std::string suffix = "." + direction + ".sql";
    if (!file_name.ends_with(suffix)) continue;
    const std::string stem = file_name.substr(0, file_name.size() - suffix.size());
    const auto underscore = stem.find('_');
    if (underscore == std::string::npos) return std::nullopt;
    const std::string version = stem.substr(0, underscore);
    const std::string slug = stem.substr(underscore + 1);
    if (!is_digits(version) || version.size() < 4 || slug.empty()) return std::nullopt;
    return MigrationFileName{version, slug, direction};
  }
  return std::nullopt;
}

std::string slug_of(std::string_view message) {
  std::string slug;
  for (const char c : message) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (word) {
      slug += c;
    } else if (c >= 'A' && c <= 'Z') {
      slug += static_cast<char>(c - 'A' + 'a');
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug.empty() ? "migration" : slug;
}

std::string version_text(int version) {
  std::string text = std::to_string(version);
  if (text.size() < 4) text.insert(0, 4 - text.size(), '0');
  return text;
}

std::vector<Migration> list_migrations(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return {};
  if (!std::filesystem::is_directory(path)) throw Error(path.string() + " is not a directory");
  std::map<std::pair<int, std::string>, Migration> found;  // (version, stem) -> pair
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !name.ends_with(".sql")) continue;
    const auto parsed = parse_file_name(name);
    if (!parsed)
      throw Error((path / name).string() + ": not a migration file name; expected NNNN_name.up.sql or NNNN_name.down.sql");
    Migration& migration = found[{to_int(parsed->version_text), parsed->version_text + "_" + parsed->slug}];
    migration.version = to_int(parsed->version_text);
    migration.version_text = parsed->version_text;
    migration.slug = parsed->slug;
    (parsed->direction == "up" ? migration.up : migration.down) = entry.path();
  }
  std::vector<Migration> migrations;
  for (auto& [key, migration] : found) {
    if (migration.up.empty()) throw Error((path / (migration.stem() + ".up.sql")).string() + ": missing (its down file exists)");
    if (migration.down.empty()) throw Error((path / (migration.stem() + ".down.sql")).string() + ": missing (its up file exists)");
    migrations.push_back(std::move(migration));
  }
  return migrations;
}

std::string with_header_version(std::string_view text, const std::string& version) {
  constexpr std::string_view kTitle = "-- strata migration ";
  const auto title = text.find(kTitle);
  const auto header_end = text.find("\n\n");
  if (title == std::string_view::npos || (header_end != std::string_view::npos && title > header_end))
    return std::string(text);
  const auto colon = text.find(':', title);
  const auto line_end = text.find('\n', title);
  if (colon == std::string_view::npos || colon > line_end) return std::string(text);
  return std::string(text.substr(0, title + kTitle.size())) + version + std::string(text.substr(colon));
}

Directory Directory::read(const std::filesystem::path& path) {
  Directory directory;
  directory.path_ = path;
  std::map<int, std::vector<Migration>> by_version;
  for (auto& migration : list_migrations(path)) by_version[migration.version].push_back(std::move(migration));

  int expected = 1;
  for (auto& [version, pairs] : by_version) {
    if (pairs.size() > 1) {
      std::string names;
      for (const auto& pair : pairs) names += (names.empty() ? "" : " and ") + pair.stem();
      throw Error((path / pairs.front().stem()).string() + ": " + names + " share version " + pairs.front().version_text +
                  "; after a merge, renumber yours with strata rebase " + pairs.back().stem());
    }
    Migration& migration = pairs.front();
    if (version != expected)
      throw Error((path / (migration.stem() + ".up.sql")).string() + ": version " + migration.version_text +
                  " follows " + version_text(expected - 1) + "; version " + version_text(expected) + " is missing");
    directory.migrations_.push_back(std::move(migration));
    ++expected;
  }
  return directory;
}

const Migration* Directory::find(std::string_view version) const {
  if (!is_digits(version)) return nullptr;
  const int wanted = to_int(version);
  for (const auto& migration : migrations_)
    if (migration.version == wanted) return &migration;
  return nullptr;
}

std::vector<std::string> Directory::file_names() const {
  std::vector<std::string> names;
  for (const auto& migration : migrations_) {
    names.push_back(migration.up.filename().string());
    names.push_back(migration.down.filename().string());
  }
  return names;
}

}  // namespace strata::migrations
