// hoks diff: compare two snapshots of one student's HOKS and print the eHOKS update plan.
#include <CLI/CLI.hpp>
#include <stdexcept>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/maintain/diff.hpp"
#include "hoks/model/versions.hpp"

namespace hoks::cli {
namespace {

struct DiffArgs {
  std::string old_path, new_path;
  std::string id;
  std::string today;
  std::string format = "text";
  std::string lang = "fi";
  std::string model;
  std::string output;
  bool manual_entry = false;
};

// The HOKS id: --id, else the new snapshot's top-level id, else the old one's.
std::int64_t hoks_id(const DiffArgs& a, const std::string& old_text, const std::string& new_text) {
  if (!a.id.empty()) {
    try {
      std::size_t used = 0;
      const long long v = std::stoll(a.id, &used);
      if (used == a.id.size() && v > 0) return v;
    } catch (const std::exception&) {
    }
    throw ToolError{"--id must be a positive integer, not '" + a.id + "'"};
  }
  if (const std::int64_t id = ::hoks::snapshot_hoks_id(old_text, new_text)) return id;
  throw ToolError{"the HOKS id is not in the snapshots: give the id eHOKS returned with --id N"};
}

::hoks::Date parse_today(const std::string& s) {
  if (s.empty()) return ::hoks::Date::today();
  const auto d = ::hoks::parse_date(s);
  if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + s + "'"};
  return *d;
}

const ::hoks::Model& select_model(const std::string& version) {
  const auto& versions = ::hoks::ModelVersions::builtin();
  if (version.empty()) return versions.model(versions.current().version);
  if (!versions.find(version))
    throw ToolError{"--model: unknown model version '" + version + "' (known: " + versions.names() + ")"};
  return versions.model(version);
}

int run_diff(const DiffArgs& a) {
  const std::string old_text = read_file(a.old_path), new_text = read_file(a.new_path);
  ::hoks::DiffOptions options;
  options.hoks_id = hoks_id(a, old_text, new_text);
  options.today = parse_today(a.today);
  options.manual_entry = a.manual_entry;
  const auto lang = ::hoks::parse_lang(a.lang);
  if (!lang) throw ToolError{"--lang must be fi, sv or en"};
  const ::hoks::Model& model = select_model(a.model);
  ::hoks::UpdatePlan plan;
  try {
    plan = ::hoks::plan_update(old_text, new_text, options, model);
  } catch (const std::invalid_argument& e) {
    std::string m = e.what();
    if (m.rfind("old:", 0) == 0) m = a.old_path + m.substr(3);
    else if (m.rfind("new:", 0) == 0) m = a.new_path + m.substr(3);
    throw ToolError{m};
  }
  const auto& catalog = ::hoks::Catalog::builtin();
  write_output(a.output, a.format == "json" ? ::hoks::render_plan_json(plan, options.hoks_id, catalog, *lang)
                                            : ::hoks::render_plan_text(plan, options.hoks_id, catalog, *lang));
  return plan.clean() ? exit_ok : exit_findings;
}

}  // namespace

std::function<int()> add_diff_command(CLI::App& app) {
  auto a = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand("diff", "Compare two snapshots of one HOKS and print the eHOKS update plan (PATCH or PUT)");
  cmd->add_option("old", a->old_path, "The HOKS as eHOKS has it now (JSON)")->required();
  cmd->add_option("new", a->new_path, "The HOKS as it should be (JSON)")->required();
  cmd->add_option("--id", a->id, "The HOKS id eHOKS returned on creation (default: the snapshots' id)");
  cmd->add_option("--today", a->today, "The date of date-relative rules when the body is validated (YYYY-MM-DD)");
  cmd->add_option("--format", a->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--lang", a->lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  cmd->add_option("--model", a->model, "Model version (default: the current one)");
  cmd->add_flag("--manual-entry", a->manual_entry, "Validate the body for the virkailija (manual entry) routes");
  cmd->add_option("-o,--output", a->output, "Write the plan to this file");
  return [cmd, a]() -> int { return *cmd ? run_diff(*a) : -1; };
}

}  // namespace hoks::cli
