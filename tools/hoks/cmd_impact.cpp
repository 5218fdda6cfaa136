// hoks impact: validate a corpus under two model versions and report what the change does to it.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/batch/engine.hpp"
#include "hoks/maintain/impact.hpp"
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
  std::string output;
  std::string lang = "fi";
};

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
  const auto lang = ::hoks::parse_lang(a.lang);
  if (!lang) throw ToolError{"--lang must be fi, sv or en"};
  try {
    const auto report = ::hoks::measure_impact(::hoks::collect_sources(a.paths), a.from, a.to, options);
    write_output(a.output, ::hoks::render_impact(report, a.from, a.to, a.format == "json", *lang));
  } catch (const ::hoks::BatchError& e) {
    throw ToolError{e.what()};
  }
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
