// hoks profile draft: a starting mapping profile from a vendor's sample file (docs/mapping.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "convert_input.hpp"
#include "hoks/convert/mapping.hpp"

namespace hoks::cli {
namespace {

struct DraftArgs {
  std::string sample, format, output;
};

int run_draft(const DraftArgs& a) {
  std::string format = a.format;
  if (format.empty()) {
    const auto dot = a.sample.find_last_of('.');
    std::string ext = dot == std::string::npos ? "" : a.sample.substr(dot + 1);
    for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    format = ext;
  }
  if (format != "xml" && format != "csv")
    throw ToolError{a.sample + ": give a sample named *.xml or *.csv, or --format xml|csv"};
  const ::hoks::ProfileDraft d = ::hoks::draft_profile(
      {a.sample, read_file(a.sample)}, format == "xml" ? ::hoks::Profile::Format::xml : ::hoks::Profile::Format::csv);
  if (d.yaml.empty()) {
    std::cerr << render_findings(d.findings, a.sample, ::hoks::Lang::fi);
    return exit_findings;
  }
  write_output(a.output, d.yaml);
  return exit_ok;
}

}  // namespace

std::function<int()> add_profile_command(CLI::App& app) {
  auto a = std::make_shared<DraftArgs>();
  auto* profile = app.add_subcommand("profile", "Mapping profiles: hoks profile draft SAMPLE writes a starting profile");
  profile->require_subcommand(1, 1);
  auto* draft = profile->add_subcommand("draft", "Write a starting profile from a sample XML or CSV file of a vendor's export");
  draft->add_option("sample", a->sample, "A sample export: SAMPLE.xml or SAMPLE.csv")->required();
  draft->add_option("--format", a->format, "xml or csv (default: from the sample's name)");
  draft->add_option("-o,--output", a->output, "Write the profile to this file (default standard output)");
  return [draft, a]() -> int { return *draft ? run_draft(*a) : -1; };
}

}  // namespace hoks::cli
