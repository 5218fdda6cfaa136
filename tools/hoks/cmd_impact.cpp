// hoks impact: validate a corpus under two model versions and report what the change does to it.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/read/json.hpp"
#include "hoks/check/validate.hpp"
#include "hoks/model/versions.hpp"

namespace hoks::cli {
namespace {

struct ImpactArgs {
  std::vector<std::string> paths;
  std::string from, to;
  std::string operation = "create";
  bool manual_entry = false;
  std::string today;
  std::string opiskeluoikeus;
  std::string format = "text";
  std::string lang = "fi";
  std::string output;
};

std::vector<::hoks::DocumentReport> run_version(const std::string& version, const std::vector<std::string>& files,
                                                const std::vector<std::string>& texts, ::hoks::ValidationOptions options) {
  const auto& versions = ::hoks::ModelVersions::builtin();
  ::hoks::RuleConfig config;
  versions.apply_rule_set(version, config);
  options.config = &config;
  const ::hoks::Validator validator(versions.model(version), ::hoks::Catalog::builtin());
  std::vector<::hoks::DocumentReport> reports;
  for (std::size_t i = 0; i < files.size(); ++i) ::hoks::validate_text(validator, files[i], texts[i], options, reports);
  return reports;
}

// The words of the text report: [lang][impact, documents, valid, per rule, no changes].
constexpr const char* impact_words[3][5] = {
    {"Vaikutus", "asiakirjaa", "kelvollisia", "Säännöittäin (ilmestyi, poistui, vakavuus muuttui)", "ei muutoksia"},
    {"Påverkan", "dokument", "giltiga", "Per regel (tillkom, försvann, allvarlighet ändrades)", "inga ändringar"},
    {"Impact", "documents", "valid", "Per rule (appeared, vanished, severity changed)", "no changes"}};

std::string render_text(const ::hoks::ImpactReport& r, const ImpactArgs& a) {
  const auto& w = impact_words[static_cast<int>(::hoks::parse_lang(a.lang).value_or(::hoks::Lang::fi))];
  std::string out = std::string(w[0]) + " " + a.from + " -> " + a.to + ": " + std::to_string(r.documents) + " " + w[1] +
                    "; " + w[2] + " " + std::to_string(r.valid_before) + " -> " + std::to_string(r.valid_after) + "\n";
  for (const auto& e : r.entries) {
    const char* sign = e.kind == ::hoks::ImpactKind::appeared ? "+" : e.kind == ::hoks::ImpactKind::vanished ? "-" : "~";
    out += std::string(sign) + " " + e.source + "[" + std::to_string(e.index) + "] " + (e.path.empty() ? "/" : e.path) +
           " " + e.rule + " ";
    if (e.kind == ::hoks::ImpactKind::severity_changed)
      out += std::string(::hoks::to_string(e.from)) + " -> " + std::string(::hoks::to_string(e.to));
    else
      out += std::string(::hoks::to_string(e.kind == ::hoks::ImpactKind::appeared ? e.to : e.from));
    out += "\n";
  }
  out += std::string(w[3]) + ":\n";
  for (const auto& t : r.totals)
    out += "  " + t.rule + ": +" + std::to_string(t.appeared) + " -" + std::to_string(t.vanished) + " ~" +
           std::to_string(t.severity_changed) + "\n";
  if (r.totals.empty()) out += std::string("  (") + w[4] + ")\n";
  return out;
}

std::string render_json(const ::hoks::ImpactReport& r, const ImpactArgs& a) {
  std::string out = "{\"from\": ";
  ::hoks::append_json_string(out, a.from);
  out += ", \"to\": ";
  ::hoks::append_json_string(out, a.to);
  out += ", \"documents\": " + std::to_string(r.documents) + ", \"valid\": {\"from\": " + std::to_string(r.valid_before) +
         ", \"to\": " + std::to_string(r.valid_after) + "},\n \"entries\": [";
  for (std::size_t i = 0; i < r.entries.size(); ++i) {
    const auto& e = r.entries[i];
    out += i ? ",\n  " : "\n  ";
    out += "{\"kind\": \"" + std::string(::hoks::to_string(e.kind)) + "\", \"source\": ";
    ::hoks::append_json_string(out, e.source);
    out += ", \"index\": " + std::to_string(e.index) + ", \"rule\": ";
    ::hoks::append_json_string(out, e.rule);
    out += ", \"path\": ";
    ::hoks::append_json_string(out, e.path);
    if (e.kind != ::hoks::ImpactKind::appeared) out += ", \"from\": \"" + std::string(::hoks::to_string(e.from)) + "\"";
    if (e.kind != ::hoks::ImpactKind::vanished) out += ", \"to\": \"" + std::string(::hoks::to_string(e.to)) + "\"";
    out += "}";
  }
  out += "],\n \"totals\": [";
  for (std::size_t i = 0; i < r.totals.size(); ++i) {
    const auto& t = r.totals[i];
    out += i ? ",\n  " : "\n  ";
    out += "{\"rule\": ";
    ::hoks::append_json_string(out, t.rule);
    out += ", \"appeared\": " + std::to_string(t.appeared) + ", \"vanished\": " + std::to_string(t.vanished) +
           ", \"severity-changed\": " + std::to_string(t.severity_changed) + "}";
  }
  return out + "]}\n";
}

int run_impact(const ImpactArgs& a) {
  const auto& versions = ::hoks::ModelVersions::builtin();
  for (const auto* v : {&a.from, &a.to})
    if (!versions.find(*v)) throw ToolError{"unknown model version '" + *v + "' (known: " + versions.names() + ")"};
  ::hoks::ValidationOptions options;
  const auto op = ::hoks::parse_operation(a.operation);
  if (!op || *op == ::hoks::Operation::read) throw ToolError{"--operation must be create (post), replace (put) or update (patch)"};
  options.operation = *op;
  options.manual_entry = a.manual_entry;
  if (!a.today.empty()) {
    const auto d = ::hoks::parse_date(a.today);
    if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + a.today + "'"};
    options.today = *d;
  }
  ::hoks::StudyRights study_rights;
  if (!a.opiskeluoikeus.empty()) {
    study_rights = load_study_rights(a.opiskeluoikeus);
    options.study_rights = &study_rights;
  }
  const std::vector<std::string> files = expand_paths(a.paths);
  std::vector<std::string> texts;
  for (const auto& f : files) texts.push_back(read_file(f));
  const auto report = ::hoks::compare_reports(run_version(a.from, files, texts, options), run_version(a.to, files, texts, options));
  write_output(a.output, a.format == "json" ? render_json(report, a) : render_text(report, a));
  return exit_ok;
}

}  // namespace

std::function<int()> add_impact_command(CLI::App& app) {
  auto a = std::make_shared<ImpactArgs>();
  auto* cmd = app.add_subcommand("impact", "Findings that appear, vanish or change severity between two model versions");
  cmd->add_option("paths", a->paths, "Files or directories of HOKS documents")->required();
  cmd->add_option("--from", a->from, "The older model version")->required();
  cmd->add_option("--to", a->to, "The newer model version")->required();
  cmd->add_option("--operation", a->operation, "create (or post), replace (put) or update (patch)")
      ->check(CLI::IsMember({"create", "replace", "update", "post", "put", "patch"}));
  cmd->add_flag("--manual-entry", a->manual_entry, "Virkailija (manual entry) routes");
  cmd->add_option("--today", a->today, "The date of date-relative rules (YYYY-MM-DD)");
  cmd->add_option("--opiskeluoikeus", a->opiskeluoikeus, "KOSKI study rights (file, folder, NDJSON, oppija response) for the context rules, by opiskeluoikeus-oid");
  cmd->add_option("--format", a->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--lang", a->lang, "Language of the text report: fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  cmd->add_option("-o,--output", a->output, "Write the report to this file");
  return [cmd, a]() -> int { return *cmd ? run_impact(*a) : -1; };
}

}  // namespace hoks::cli
