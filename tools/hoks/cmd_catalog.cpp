// hoks rules, hoks explain: the rule catalog.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/catalog.hpp"
#include "hoks/json.hpp"

namespace hoks::cli {
namespace {

int run_rules(const std::string& format, const std::string& lang_name) {
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();
  const auto lang = ::hoks::parse_lang(lang_name).value_or(::hoks::Lang::fi);
  std::string out;
  if (format == "json") {
    out = "{\"ruleset\": ";
    ::hoks::append_json_string(out, catalog.version());
    out += ", \"rules\": [";
    bool first = true;
    for (const auto& r : catalog.rules()) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      out += "{\"id\": ";
      ::hoks::append_json_string(out, r.id);
      out += ", \"severity\": ";
      ::hoks::append_json_string(out, ::hoks::to_string(r.severity));
      out += ", \"stage\": ";
      ::hoks::append_json_string(out, r.stage);
      out += ", \"ehoks\": ";
      ::hoks::append_json_string(out, r.ehoks);
      out += ", \"needs_context\": ";
      out += r.needs_context ? "true" : "false";
      out += ", \"title\": ";
      ::hoks::append_json_string(out, r.title.in(lang));
      out += "}";
    }
    out += "\n]}\n";
  } else if (format == "text") {
    for (const auto& r : catalog.rules()) {
      std::string sev(::hoks::to_string(r.severity));
      sev.resize(8, ' ');
      std::string id = r.id;
      if (id.size() < 28) id.resize(28, ' ');
      out += id + " " + sev + (r.needs_context ? "ctx " : "    ") + r.title.in(lang) + "\n";
    }
  } else {
    throw ToolError{"--format must be text or json"};
  }
  std::cout << out;
  return exit_ok;
}

int run_explain(const std::string& id, const std::string& lang_name) {
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();
  const ::hoks::Rule* r = catalog.find(id);
  if (!r) throw ToolError{"unknown rule '" + id + "' (see hoks rules)"};
  const auto lang = ::hoks::parse_lang(lang_name).value_or(::hoks::Lang::fi);
  static const char* const labels[3][6] = {
      {"Vakavuus", "Peruste", "Mitä", "Miksi", "Korjaus", "Tarvitsee opiskeluoikeuden"},
      {"Allvarlighet", "Grund", "Vad", "Varför", "Åtgärd", "Kräver studierätten"},
      {"Severity", "Basis", "What", "Why", "Fix", "Needs the study right"}};
  const auto& l = labels[static_cast<int>(lang)];
  std::string out = r->id + ": " + r->title.in(lang) + "\n\n";
  out += std::string(l[0]) + ": " + std::string(::hoks::to_string(r->severity)) + "\n";
  out += std::string(l[1]) + ": " + r->basis_kind + (r->ehoks.empty() ? "" : " " + r->ehoks) +
         (r->law.empty() ? "" : "; " + r->law) + (r->basis_ref.empty() ? "" : " (" + r->basis_ref + ")") +
         (r->interpretation ? " [tulkinta / interpretation]" : "") + "\n";
  if (!r->from.empty() || !r->until.empty()) out += "Voimassa / Gäller / Applies: " + r->from + " … " + r->until + "\n";
  if (r->needs_context) out += std::string(l[5]) + ": --opiskeluoikeus\n";
  out += std::string("\n") + l[2] + ":\n  " + r->message.in(lang) + "\n";
  out += std::string("\n") + l[3] + ":\n  " + r->rationale.in(lang) + "\n";
  out += std::string("\n") + l[4] + ":\n  " + r->hint.in(lang) + "\n";
  std::cout << out;
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
