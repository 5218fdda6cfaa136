// hoks: the command line of hokskit. Parses arguments and prints; the library does the work.
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/model/model.hpp"

int main(int argc, char** argv) {
  using namespace hoks::cli;
  // Megabyte buffers (NDJSON pieces) are reused from the heap instead of being returned to the
  // system and faulted in again for the next piece: that halved the CPU time of hoks validate.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  // A heap per thread (glibc's default): with one heap, the threads of hoks validate --jobs 2
  // waited for its lock (CPU +13%, 1.71x instead of 1.88x). The megabyte buffers of a unit come
  // from pools shared by the threads (cmd_validate.cpp), so that the heaps do not each grow to
  // the most their thread ever held.
  CLI::App app{"hoks: checks and converts HOKS data as eHOKS would"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the tool, rule-set and model versions");
  // Setting up the options of every command costs more than a short run of hoks validate does
  // otherwise: when the first argument is `validate`, only that command is set up (its help and
  // errors are the same).
  std::vector<std::function<int()>> commands;
  if (argc > 1 && std::string_view(argv[1]) == "validate") {
    commands.push_back(add_validate_command(app));
  } else {
    for (auto* add : {add_validate_command, add_catalog_commands, add_schema_command, add_diff_command,
                      add_apply_command, add_anonymize_command, add_docs_command, add_impact_command,
                      add_gen_command, add_convert_commands, add_serve_command})
      commands.push_back(add(app));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_tool;
  }
  try {
    if (version) {
      std::cout << "hoks " << HOKS_VERSION << " (ruleset " << hoks::Catalog::builtin().version() << ", model "
                << hoks::Model::builtin().version() << ")\n";
      return exit_ok;
    }
    for (const auto& command : commands)
      if (const int status = command(); status >= 0) return status;
    std::cout << app.help();
    return exit_ok;
  } catch (const ToolError& e) {
    std::cerr << "hoks: " << e.message << "\n";
    return exit_tool;
  } catch (const std::exception& e) {
    std::cerr << "hoks: internal error: " << e.what() << "\n";
    return exit_tool;
  }
}
