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

// fixtures/rules/<rule-id>/{fail-*.json, pass-*.json, options.yaml}; a missing folder means no examples.
::hoks::RuleFixtureSet read_fixtures(const std::string& dir) {
  ::hoks::RuleFixtureSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return set;
  for (const auto& rule_dir : fs::directory_iterator(dir, ec)) {
    if (!rule_dir.is_directory()) continue;
    ::hoks::RuleFixtures fx;
    for (const auto& f : fs::directory_iterator(rule_dir.path())) {
      const std::string name = f.path().filename().string();
      if (!f.is_regular_file()) continue;
      if (name == "options.yaml") fx.options_yaml = read_file(f.path().string());
      else if (f.path().extension() == ".json") fx.files[name] = read_file(f.path().string());
    }
    set[rule_dir.path().filename().string()] = std::move(fx);
  }
  if (ec) throw ToolError{dir + ": cannot read folder (" + ec.message() + ")"};
  return set;
}

int run_docs(const DocsArgs& a) {
  const auto pages = ::hoks::reference_docs(::hoks::Model::builtin(), ::hoks::Catalog::builtin(),
                                            ::hoks::ModelVersions::builtin(), read_fixtures(a.fixtures));
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
