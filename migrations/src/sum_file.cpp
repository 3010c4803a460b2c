#include "strata/migrations/sum_file.h"

#include <openssl/evp.h>

#include <memory>

#include "strata/migrations/file_set.h"
#include "strata/schema/error.h"

namespace strata::migrations {
namespace {

constexpr std::string_view kHashPrefix = "sha256:";

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

bool is_hash(std::string_view text) {
  if (!text.starts_with(kHashPrefix) || text.size() != kHashPrefix.size() + 64) return false;
  for (const char c : text.substr(kHashPrefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string sha256(std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, &length) != 1)
    throw Error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(kHashPrefix);
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4U];
    text += kHex[digest[i] & 0x0FU];
  }
  return text;
}

std::string SumFile::text() const {
  std::string out = total + "\n";
  for (const auto& line : lines) out += line.file + " " + line.hash + "\n";
  return out;
}

void SumFile::append(const std::string& file, std::string_view content) {
  // Each hash covers the previous one, so a change anywhere changes every
  // line after it.
  const std::string previous = lines.empty() ? std::string() : lines.back().hash;
  total = sha256(previous + "\n" + file + "\n" + std::string(content));
  lines.push_back({file, total});
}

SumFile compute_sum(const Directory& directory) {
  SumFile sum;
  sum.total = sha256("");
  for (const auto& name : directory.file_names()) sum.append(name, read_file(directory.path() / name));
  return sum;
}

std::optional<SumFile> recorded_sum(const Directory& directory) {
  const std::filesystem::path path = directory.path() / kSumFileName;
  if (!std::filesystem::exists(path)) return std::nullopt;
  return parse_sum(path, read_file(path));
}

SumFile parse_sum(const std::filesystem::path& path, std::string_view text) {
  SumFile sum;
  int line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const SourceLocation at{path.string(), line_number, 1};
    if (line.starts_with("<<<<<<<") || line.starts_with("=======") || line.starts_with(">>>>>>>"))
      throw Error("unresolved merge conflict; two branches added migrations: run strata rebase on yours", at);
    if (line_number == 1) {
      if (!is_hash(line)) throw Error("expected the total hash (sha256:<64 hex digits>)", at);
      sum.total = std::string(line);
      continue;
    }
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos || space == 0)
      throw Error("expected \"<file> sha256:<hash>\"", at);
    const std::string_view hash = line.substr(space + 1);
    if (!is_hash(hash)) throw Error("malformed hash", SourceLocation{path.string(), line_number, static_cast<int>(space) + 2});
    sum.lines.push_back({std::string(line.substr(0, space)), std::string(hash)});
  }
  if (line_number == 0) throw Error("empty sum file", SourceLocation{path.string(), 1, 1});
  return sum;
}

std::vector<std::string> verify_sum(const Directory& directory, const SumFile& recorded) {
  const SumFile actual = compute_sum(directory);
  std::vector<std::string> problems;
  const std::filesystem::path sum_path = directory.path() / kSumFileName;
  std::size_t i = 0;
  for (; i < actual.lines.size() && i < recorded.lines.size(); ++i) {
    const auto& now = actual.lines[i];
    const auto& then = recorded.lines[i];
    if (now.file != then.file) {
      problems.push_back((directory.path() / now.file).string() + ": not in " + sum_path.string() +
                         " at this place (it lists " + then.file + "); run strata hash after reviewing");
      return problems;
    }
    if (now.hash != then.hash) {
      // Later lines differ too (the chain); the first one names the edited file.
      problems.push_back((directory.path() / now.file).string() + ": changed since " + sum_path.string() +
                         " was written; review it, then run strata hash");
      return problems;
    }
  }
  for (std::size_t k = i; k < actual.lines.size(); ++k)
    problems.push_back((directory.path() / actual.lines[k].file).string() + ": not in " + sum_path.string() +
                       "; run strata hash after reviewing it");
  for (std::size_t k = i; k < recorded.lines.size(); ++k)
    problems.push_back(sum_path.string() + ": lists " + recorded.lines[k].file + ", which does not exist");
  if (problems.empty() && actual.total != recorded.total)
    problems.push_back(sum_path.string() + ": the total on its first line does not match its lines; run strata hash");
  return problems;
}

}  // namespace strata::migrations
