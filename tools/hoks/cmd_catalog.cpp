// hoks rules, hoks explain: the rule catalog.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "hoks/maintain/fixtures.hpp"
#include "common.hpp"
#include <unistd.h>

#include <filesystem>

#include "hoks/maintain/docs_gen.hpp"
#include "hoks/model/catalog.hpp"

namespace hoks::cli {
namespace {

int run_rules(const std::string& format, const std::string& lang_name) {
  std::cout << ::hoks::render_rule_list(::hoks::Catalog::builtin(), format == "json",
                                        ::hoks::parse_lang(lang_name).value_or(::hoks::Lang::fi));
  return exit_ok;
}

// The folder of the rule fixtures: next to the sources (build/bin/hoks) or installed (share/hokskit).
std::filesystem::path fixtures_dir() {
  if (const char* env = std::getenv("HOKS_FIXTURES")) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const auto& candidate : {exe.parent_path().parent_path().parent_path() / "fixtures",
                                exe.parent_path().parent_path() / "share" / "hokskit" / "fixtures"})
    if (std::filesystem::is_directory(candidate / "rules")) return candidate;
  return {};
}

int run_explain(const std::string& id, const std::string& lang_name) {
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();
  const ::hoks::Rule* r = catalog.find(id);
  if (!r) throw ToolError{"explain: " + catalog.unknown_rule(id)};
  const auto dir = fixtures_dir();
  const ::hoks::RuleFixtures* fixtures = nullptr;
  ::hoks::RuleFixtures own;
  if (!dir.empty()) {
    const auto rule_dir = dir / "rules" / r->id;
    for (const char* name : {"fail-1.json", "options.yaml"}) {
      const auto file = rule_dir / name;
      if (!std::filesystem::exists(file)) continue;
      (std::string(name) == "options.yaml" ? own.options_yaml : own.files[name]) = read_file(file.string());
    }
    if (!own.files.empty()) fixtures = &own;
  }
  std::cout << ::hoks::render_rule_explanation(*r, ::hoks::parse_lang(lang_name).value_or(::hoks::Lang::fi), fixtures,
                                               dir / "context");
  return exit_ok;
}

}  // namespace

std::function<int()> add_catalog_commands(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  auto lang = std::make_shared<std::string>("fi");
  auto rule_id = std::make_shared<std::string>();
  auto* rules = app.add_subcommand("rules", "List the rule catalog");
  rules->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  rules->add_option("--lang", *lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  auto* explain = app.add_subcommand("explain", "Explain one rule: what, why, fix");
  explain->add_option("rule", *rule_id, "Rule id")->required();
  explain->add_option("--lang", *lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  return [=]() -> int {
    if (*rules) return run_rules(*format, *lang);
    if (*explain) return run_explain(*rule_id, *lang);
    return -1;
  };
}

}  // namespace hoks::cli
