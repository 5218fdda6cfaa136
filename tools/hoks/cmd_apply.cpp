// hoks apply: the HOKS eHOKS stores after applying a PATCH or PUT body to a stored HOKS.
#include <CLI/CLI.hpp>
#include <iostream>
#include <stdexcept>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/maintain/apply.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/check/validate.hpp"

namespace hoks::cli {
namespace {

struct ApplyArgs {
  std::string base, body;
  std::string operation;
  std::string today;
  std::string lang = "fi";
  std::string output;
  bool manual_entry = false;
};

int run_apply(const ApplyArgs& a) {
  const auto op = ::hoks::parse_operation(a.operation);
  if (!op || (*op != ::hoks::Operation::update && *op != ::hoks::Operation::replace))
    throw ToolError{"--operation must be update (PATCH) or replace (PUT)"};
  const auto lang = ::hoks::parse_lang(a.lang);
  if (!lang) throw ToolError{"--lang must be fi, sv or en"};
  const std::string base = read_file(a.base), body = read_file(a.body);

  ::hoks::ValidationOptions options;
  options.operation = *op;
  options.manual_entry = a.manual_entry;
  if (!a.today.empty()) {
    const auto d = ::hoks::parse_date(a.today);
    if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + a.today + "'"};
    options.today = *d;
  }
  // eHOKS validates the body first; a rejected body changes nothing.
  std::vector<::hoks::DocumentReport> reports;
  ::hoks::validate_text(::hoks::Validator(), a.body, body, options, reports, ::hoks::InputLayout::single);
  const bool rejected = !reports.front().valid();
  for (const auto& f : reports.front().findings)
    if (f.severity == ::hoks::Severity::error)
      std::cerr << a.body << ":" << f.location.line << ":" << f.location.column << ": error[" << f.rule
                << "]: " << ::hoks::Catalog::builtin().message(f, *lang) << "\n";
  if (rejected) {
    static const char* const said[] = {"eHOKS hylkää rungon (HTTP 400), eikä tallennettu HOKS muutu.",
                                       "eHOKS avvisar innehållet (HTTP 400), och den lagrade PUK:en ändras inte.",
                                       "eHOKS rejects the body (HTTP 400), and the stored HOKS does not change."};
    std::cerr << said[static_cast<int>(*lang)] << "\n";
    return exit_findings;
  }
  try {
    write_output(a.output, ::hoks::apply_update(base, body, *op));
  } catch (const std::invalid_argument& e) {
    std::string m = e.what();
    if (m.rfind("base:", 0) == 0) m = a.base + m.substr(4);
    else if (m.rfind("body:", 0) == 0) m = a.body + m.substr(4);
    throw ToolError{m};
  }
  return exit_ok;
}

}  // namespace

std::function<int()> add_apply_command(CLI::App& app) {
  auto a = std::make_shared<ApplyArgs>();
  auto* cmd = app.add_subcommand("apply", "Print the HOKS eHOKS stores after applying a PATCH or PUT body");
  cmd->add_option("base", a->base, "The stored HOKS (JSON, as GET returns it or as it was sent)")->required();
  cmd->add_option("body", a->body, "The request body (JSON)")->required();
  cmd->add_option("--operation", a->operation, "update (PATCH) or replace (PUT)")
      ->required()
      ->check(CLI::IsMember({"update", "replace"}));
  cmd->add_option("--today", a->today, "The date of date-relative rules when the body is validated (YYYY-MM-DD)");
  cmd->add_option("--lang", a->lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  cmd->add_flag("--manual-entry", a->manual_entry, "Validate the body for the virkailija (manual entry) routes");
  cmd->add_option("-o,--output", a->output, "Write the stored HOKS to this file");
  return [cmd, a]() -> int { return *cmd ? run_apply(*a) : -1; };
}

}  // namespace hoks::cli
