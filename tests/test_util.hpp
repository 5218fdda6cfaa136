// Shared helpers for the tests.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace hoks::test {

// Built with AddressSanitizer (scripts/sanitize): slower, and its allocator holds more memory.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::filesystem::path source_dir() { return HOKS_SOURCE_DIR; }
inline std::filesystem::path shared_dir() { return HOKS_SHARED_DIR; }

struct CommandResult {
  int status = -1;
  std::string out;
};

// Runs a shell command, capturing standard output (standard error goes to err_file if given).
inline CommandResult run(const std::string& command) {
  CommandResult r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string hoks_binary() { return HOKS_BINARY; }

// The output of `hoks explain '*'` cut into each rule's explanation (ids in catalog order; each
// starts with "ID: " on a line of its own, a blank line between two). Stops at the first id missing.
inline std::vector<std::pair<std::string, std::string>> split_explanations(const std::string& all,
                                                                           const std::vector<std::string>& ids) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (all.compare(start, ids[i].size() + 2, ids[i] + ": ") != 0) break;
    const std::size_t next = i + 1 < ids.size() ? all.find("\n\n" + ids[i + 1] + ": ", start) : std::string::npos;
    out.emplace_back(ids[i], all.substr(start, next == std::string::npos ? std::string::npos : next + 1 - start));
    if (next == std::string::npos) break;
    start = next + 2;
  }
  return out;
}

}  // namespace hoks::test
