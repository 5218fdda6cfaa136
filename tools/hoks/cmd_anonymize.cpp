// hoks anonymize: replace personal data with synthetic values that keep the document's verdict.
#include <CLI/CLI.hpp>
#include <stdexcept>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/maintain/anonymize.hpp"

namespace hoks::cli {
namespace {

struct AnonymizeArgs {
  std::string input;
  std::uint64_t seed = 1;
  bool free_text = false;
  std::string output;
};

int run_anonymize(const AnonymizeArgs& a) {
  const std::string text = read_file(a.input);
  ::hoks::AnonymizeOptions options;
  options.seed = a.seed;
  options.free_text = a.free_text;
  try {
    write_output(a.output, ::hoks::anonymize(text, options));
  } catch (const std::invalid_argument& e) {
    throw ToolError{a.input + ":" + e.what()};
  }
  return exit_ok;
}

}  // namespace

std::function<int()> add_anonymize_command(CLI::App& app) {
  auto a = std::make_shared<AnonymizeArgs>();
  auto* cmd = app.add_subcommand("anonymize", "Replace personal data with synthetic values (keeps the verdict)");
  cmd->add_option("input", a->input, "HOKS JSON (one document, an array or NDJSON; - for standard input)")->required();
  cmd->add_option("--seed", a->seed, "Seed: the same seed and input give the same output (default 1)");
  cmd->add_flag("--free-text", a->free_text, "Also replace free-text descriptions");
  cmd->add_option("-o,--output", a->output, "Write the result to this file");
  return [cmd, a]() -> int { return *cmd ? run_anonymize(*a) : -1; };
}

}  // namespace hoks::cli
