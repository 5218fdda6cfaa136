// hoks docs: generate the reference (a page per entity and per rule, Markdown and HTML).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/maintain/docs_gen.hpp"
#include "hoks/model/model.hpp"
#include "hoks/model/versions.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {
namespace {

struct DocsArgs {
  std::string output;
  std::string fixtures = "fixtures/rules";
};

int run_docs(const DocsArgs& a) {
  const auto pages = ::hoks::reference_docs(::hoks::Model::builtin(), ::hoks::Catalog::builtin(),
                                            ::hoks::ModelVersions::builtin(), ::hoks::read_rule_fixtures(a.fixtures));
  for (const auto& [path, text] : pages) {
    const fs::path p = fs::path(a.output) / path;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) throw ToolError{p.parent_path().string() + ": cannot create folder (" + ec.message() + ")"};
    write_output(p.string(), text);
  }
  std::cerr << "hoks docs: " << pages.size() << " pages in " << a.output << "\n";
  return exit_ok;
}

}  // namespace

std::function<int()> add_docs_command(CLI::App& app) {
  auto a = std::make_shared<DocsArgs>();
  auto* cmd = app.add_subcommand("docs", "Generate the entity and rule reference (Markdown and HTML)");
  cmd->add_option("-o,--output", a->output, "Output folder (e.g. docs/reference)")->required();
  cmd->add_option("--fixtures", a->fixtures, "Rule fixtures folder for the examples (default fixtures/rules)");
  return [cmd, a]() -> int { return *cmd ? run_docs(*a) : -1; };
}

}  // namespace hoks::cli
