// hoks: the command line of hokskit. Parses arguments and prints; the library does the work.
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/model/model.hpp"
#include "hoks/model/suggest.hpp"

namespace {

const std::function<bool(const CLI::App*)> all = [](const CLI::App*) { return true; };

constexpr const char* exit_codes =
    "Exit status: 0 no finding at or above --fail-on (or the command did its job), 1 such findings, "
    "2 the tool could not do its job (usage, unreadable input, a limit).\n";

// The deepest subcommand given on the command line (the app itself when none).
const CLI::App* chosen(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands())
    if (sub->parsed()) return chosen(*sub);
  return &app;
}

// " (did you mean --format?)" for a misspelt option or subcommand in a parse error, or "".
std::string did_you_mean(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* cmd = chosen(app);
  std::vector<std::string> words;
  for (const auto& w : cmd->remaining()) words.push_back(w);
  if (words.empty()) {  // the error names the argument: "... expected: valdate"
    const std::string what = e.what();
    if (const auto colon = what.rfind(": "); colon != std::string::npos) {
      std::istringstream in(what.substr(colon + 2));
      for (std::string w; in >> w;) words.push_back(w);
    }
  }
  std::vector<std::string> names;
  for (const std::string& w : words) {
    names.clear();
    if (w.rfind("--", 0) == 0) {
      for (const CLI::Option* o : cmd->get_options())
        for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    } else if (w.rfind('-', 0) == 0) {
      continue;
    } else if (cmd == &app) {
      for (const CLI::App* sub : app.get_subcommands(all)) names.push_back(sub->get_name());
    }
    const std::string key = w.substr(0, w.find('='));
    const std::string near = hoks::closest_word(key, {names.begin(), names.end()});
    if (!near.empty()) return " (did you mean " + near + "?)";
  }
  return {};
}

}  // namespace

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
  app.option_defaults()->always_capture_default();
  bool version = false;
  app.add_flag("-V,--version", version, "Print the tool, rule-set and model versions");
  // Setting up the options of every command costs more than a short run of hoks validate does
  // otherwise: when the first argument is `validate`, only that command is set up (its help and
  // errors are the same).
  std::vector<std::function<int()>> commands;
  if (argc > 1 && std::string_view(argv[1]) == "validate") {
    commands.push_back(add_validate_command(app));
  } else {
    for (auto* add : {add_validate_command, add_catalog_commands, add_schema_command, add_diff_command,
                      add_apply_command, add_anonymize_command, add_docs_command, add_impact_command,
                      add_gen_command, add_convert_commands, add_serve_command, add_profile_command})
      commands.push_back(add(app));
    auto* help = app.add_subcommand("help", "Print the help of a command: hoks help CMD");
    auto topic = std::make_shared<std::string>();
    help->add_option("command", *topic, "A command (none: the list of commands)");
    const CLI::App& root = app;
    commands.push_back([&root, help, topic]() -> int {
      if (!*help) return -1;
      // As --help prints it (App::help() would print the help of `help`, the command given).
      const auto formatter = root.get_formatter();
      if (topic->empty()) {
        std::cout << formatter->make_help(&root, root.get_name(), CLI::AppFormatMode::Normal);
        return exit_ok;
      }
      for (const CLI::App* sub : root.get_subcommands(all))
        if (sub->get_name() == *topic) {
          std::cout << formatter->make_help(sub, root.get_name() + " " + sub->get_name(), CLI::AppFormatMode::Normal);
          return exit_ok;
        }
      std::vector<std::string> names;
      for (const CLI::App* sub : root.get_subcommands(all)) names.push_back(sub->get_name());
      const std::string near = hoks::closest_word(*topic, {names.begin(), names.end()});
      throw ToolError{"help: unknown command '" + *topic + "'" + (near.empty() ? "" : " (did you mean " + near + "?)") +
                      "; hoks --help lists the commands"};
    });
  }
  app.footer(exit_codes);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) sub->footer(exit_codes);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? exit_ok : exit_tool;  // --help
    std::cerr << "hoks: " << e.what() << did_you_mean(app, e) << "\nhoks: see hoks " << (chosen(app) == &app ? "" : chosen(app)->get_name() + " ") << "--help\n";
    return exit_tool;
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
