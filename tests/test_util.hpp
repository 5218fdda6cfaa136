// Shared helpers for the tests.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hoks::test {

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

}  // namespace hoks::test
