// hoks rules, hoks explain: the rule catalog.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/maintain/docs_gen.hpp"
#include "hoks/maintain/fixtures.hpp"
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

// The explanation of one rule, with an example from its own fixtures when they are shipped.
std::string explanation(const ::hoks::Rule& r, ::hoks::Lang lang, const std::filesystem::path& dir) {
  ::hoks::RuleFixtures own;
  if (!dir.empty()) {
    const auto rule_dir = dir / "rules" / r.id;
    for (const char* name : {"fail-1.json", "options.yaml"}) {
      const auto file = rule_dir / name;
      if (!std::filesystem::exists(file)) continue;
      (std::string(name) == "options.yaml" ? own.options_yaml : own.files[name]) = read_file(file.string());
    }
  }
  return ::hoks::render_rule_explanation(r, lang, own.files.empty() ? nullptr : &own, dir / "context");
}

// Explains the rules of the selectors (ids, prefixes such as legal-*, ehoks, quality; '*' is every
// rule) in catalog order, a blank line between rules.
int run_explain(const std::vector<std::string>& selectors, const std::string& lang_name) {
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();
  std::set<std::string> chosen;
  for (const auto& s : selectors) {
    const auto ids = catalog.select(s);
    if (ids.empty()) throw ToolError{"explain: " + catalog.unknown_rule(s)};
    chosen.insert(ids.begin(), ids.end());
  }
  const auto dir = fixtures_dir();
  const ::hoks::Lang lang = ::hoks::parse_lang(lang_name).value_or(::hoks::Lang::fi);
  bool first = true;
  for (const auto& id : catalog.select("*")) {
    if (chosen.count(id) == 0) continue;
    std::cout << (first ? "" : "\n") << explanation(*catalog.find(id), lang, dir);
    first = false;
  }
  return exit_ok;
}

}  // namespace

std::function<int()> add_catalog_commands(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  auto lang = std::make_shared<std::string>("fi");
  auto rule_ids = std::make_shared<std::vector<std::string>>();
  auto* rules = app.add_subcommand("rules", "List the rule catalog");
  rules->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  rules->add_option("--lang", *lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  auto* explain = app.add_subcommand("explain", "Explain rules: what, why, an example, the fix");
  explain->add_option("rules", *rule_ids, "Rule ids, prefixes (legal-*), ehoks, quality, or '*' for every rule")->required();
  explain->add_option("--lang", *lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  return [=]() -> int {
    if (*rules) return run_rules(*format, *lang);
    if (*explain) return run_explain(*rule_ids, *lang);
    return -1;
  };
}

}  // namespace hoks::cli
