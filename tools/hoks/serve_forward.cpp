// hoks serve: runs the program hoks-serve next to hoks with the same arguments.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "commands.hpp"
#include "common.hpp"

namespace hoks::cli {

std::function<int()> add_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Run a local eHOKS-compatible sandbox (HTTP); hoks serve --help lists its options");
  cmd->prefix_command();
  cmd->set_help_flag();
  return [cmd]() -> int {
    if (!*cmd) return -1;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::string program = (self.parent_path() / "hoks-serve").string();
    std::vector<std::string> args = {program};
    for (const auto& a : cmd->remaining()) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    throw ToolError{"cannot run " + program + ": " + std::strerror(errno)};
  };
}

}  // namespace hoks::cli
