// hoks rules, hoks explain: the rule catalog.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "hoks/maintain/fixtures.hpp"
#include "common.hpp"
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/read/json.hpp"
#include "hoks/report/report.hpp"

namespace hoks::cli {
namespace {

// Display width of UTF-8 text: its code points.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

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
      std::string sev(::hoks::severity_name(r.severity, lang));
      sev.resize(sev.size() + 9 - std::min<std::size_t>(9, width(sev)), ' ');
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

// The first finding of `rule` in its fail-1.json fixture, with the lines around it.
std::string example(const ::hoks::Rule& rule, ::hoks::Lang lang) {
  const auto dir = fixtures_dir();
  const auto file = dir / "rules" / rule.id / "fail-1.json";
  if (dir.empty() || !std::filesystem::exists(file)) return {};
  const std::string text = read_file(file.string());
  const auto options_file = dir / "rules" / rule.id / "options.yaml";
  const auto fixture = ::hoks::fixture_options(
      std::filesystem::exists(options_file) ? read_file(options_file.string()) : std::string(), "fail-1.json");
  ::hoks::ValidationOptions options = fixture.validation();
  std::optional<::hoks::StudyRight> context;
  if (!fixture.context.empty()) {
    std::string error;
    context = ::hoks::parse_study_right(read_file((dir / "context" / (fixture.context + ".json")).string()), error);
    if (context) options.study_right = &*context;
  }
  ::hoks::StudyRights rights;
  if (!fixture.study_rights.empty()) {
    rights = ::hoks::StudyRights::load(dir / "context" / (fixture.study_rights + ".json"));
    options.study_rights = &rights;
  }
  std::vector<::hoks::DocumentReport> reports;
  ::hoks::validate_text(::hoks::Validator(), file.filename().string(), text, options, reports);
  for (const auto& r : reports) {
    for (const auto& f : r.findings) {
      if (f.rule != rule.id) continue;
      ::hoks::ReportOptions ro;
      ro.lang = lang;
      std::string out = "  fixtures/rules/" + rule.id + "/fail-1.json:" + std::to_string(f.location.line) + ":" +
                        std::to_string(f.location.column) + " " + (f.path.empty() ? "/" : f.path) + "\n";
      // Up to two lines before and after the finding.
      std::size_t line = 1, pos = 0;
      while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        if (line + 2 >= f.location.line && line <= f.location.line + 2) {
          out += (line == f.location.line ? "  > " : "    ") + std::to_string(line) + " | " + text.substr(pos, end - pos) + "\n";
        }
        pos = end + 1;
        ++line;
      }
      out += "  => " + ::hoks::finding_message(f, ::hoks::Catalog::builtin(), ro) + "\n";
      return out;
    }
  }
  return {};
}

// `text` with each {placeholder} named as <placeholder> (what the document fills in).
std::string named_placeholders(std::string text) {
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    text[open] = '<';
    text[close] = '>';
  }
  return text;
}

int run_explain(const std::string& id, const std::string& lang_name) {
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();
  const ::hoks::Rule* r = catalog.find(id);
  if (!r) throw ToolError{"unknown rule '" + id + "' (see hoks rules)"};
  const auto lang = ::hoks::parse_lang(lang_name).value_or(::hoks::Lang::fi);
  static const char* const labels[3][10] = {
      {"Vakavuus", "Peruste", "Mitä", "Miksi", "Korjaus", "Tarvitsee opiskeluoikeuden", "Esimerkki", "Voimassa",
       "tulkinta", "<…> täyttyy asiakirjan tiedoista"},
      {"Allvarlighet", "Grund", "Vad", "Varför", "Åtgärd", "Kräver studierätten", "Exempel", "Gäller", "tolkning",
       "<…> fylls i från dokumentet"},
      {"Severity", "Basis", "What", "Why", "Fix", "Needs the study right", "Example", "Applies", "interpretation",
       "<…> is filled in from the document"}};
  const auto& l = labels[static_cast<int>(lang)];
  const std::string ex = example(*r, lang);
  std::string out = r->id + ": " + r->title.in(lang) + "\n\n";
  out += std::string(l[0]) + ": " + std::string(::hoks::severity_name(r->severity, lang)) + "\n";
  out += std::string(l[1]) + ": " + r->basis_kind + (r->ehoks.empty() ? "" : " " + r->ehoks) +
         (r->law.empty() ? "" : "; " + r->law) + (r->basis_ref.empty() ? "" : " (" + r->basis_ref + ")") +
         (r->interpretation ? std::string(" [") + l[8] + "]" : "") + "\n";
  if (!r->from.empty() || !r->until.empty()) out += std::string(l[7]) + ": " + r->from + " … " + r->until + "\n";
  if (r->needs_context) out += std::string(l[5]) + ": --opiskeluoikeus\n";
  // The message with its placeholders named (the example below shows one filled in).
  const std::string what = named_placeholders(r->message.in(lang));
  out += std::string("\n") + l[2] + ":\n  " + what + "\n";
  if (what != r->message.in(lang)) out += std::string("  (") + l[9] + ")\n";
  out += std::string("\n") + l[3] + ":\n  " + r->rationale.in(lang) + "\n";
  if (!ex.empty()) out += std::string("\n") + l[6] + ":\n" + ex;
  out += std::string("\n") + l[4] + ":\n  " + named_placeholders(r->hint.in(lang)) + "\n";
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
