// hoks validate: check HOKS documents as eHOKS would.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <thread>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/batch.hpp"
#include "hoks/catalog.hpp"
#include "hoks/model.hpp"
#include "hoks/report.hpp"
#include "hoks/validate.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {
namespace {

::hoks::Date today_from_clock() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

struct ValidateArgs {
  std::vector<std::string> paths;
  std::string operation = "create";
  bool manual_entry = false;
  std::string today;
  std::string opiskeluoikeus;
  std::string format = "text";
  std::string output;
  std::string lang = "fi";
  std::string fail_on = "error";
  std::vector<std::string> select, ignore;
  unsigned jobs = 0;
  bool redact = false;
  bool no_hints = false;
  std::string color = "auto";
  ::hoks::InputLimits limits;  // --max-*: 0 = no limit
  std::uint32_t max_findings = ::hoks::ValidationOptions{}.max_findings;
};

int run_validate(const ValidateArgs& a) {
  const ::hoks::Model& model = ::hoks::Model::builtin();
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();
  ::hoks::ValidationOptions options;
  const auto op = ::hoks::parse_operation(a.operation);
  if (!op || *op == ::hoks::Operation::read) throw ToolError{"--operation must be create, replace or update"};
  options.operation = *op;
  options.manual_entry = a.manual_entry;
  if (a.today.empty()) {
    options.today = today_from_clock();
  } else {
    auto d = ::hoks::parse_date(a.today);
    if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + a.today + "'"};
    options.today = *d;
  }
  std::optional<::hoks::StudyRight> study_right;
  if (!a.opiskeluoikeus.empty()) {
    std::string error;
    study_right = ::hoks::parse_study_right(read_file(a.opiskeluoikeus), error);
    if (!study_right) throw ToolError{a.opiskeluoikeus + ":" + error};
    options.study_right = &*study_right;
  }
  ::hoks::RuleConfig config;
  for (const auto& id : a.select) {
    if (!catalog.find(id)) throw ToolError{"--select: unknown rule '" + id + "' (see hoks rules)"};
    config.select.insert(id);
  }
  for (const auto& id : a.ignore) {
    if (!catalog.find(id)) throw ToolError{"--ignore: unknown rule '" + id + "' (see hoks rules)"};
    config.ignore.insert(id);
  }
  options.config = &config;
  options.max_findings = a.max_findings;

  ::hoks::ReportOptions report;
  const auto lang = ::hoks::parse_lang(a.lang);
  if (!lang) throw ToolError{"--lang must be fi, sv or en"};
  report.lang = *lang;
  const auto fail_on = ::hoks::parse_severity(a.fail_on);
  if (!fail_on) throw ToolError{"--fail-on must be error, warning or info"};
  report.fail_on = *fail_on;
  report.redact = a.redact;
  report.hints = !a.no_hints;
  report.tool_version = HOKS_VERSION;
  report.ruleset = catalog.version();
  report.color = a.color == "always" || (a.color == "auto" && a.output.empty() && isatty(STDOUT_FILENO));

  const std::vector<std::string> files = expand_paths(a.paths.empty() ? std::vector<std::string>{"-"} : a.paths);
  const ::hoks::Validator validator(model, catalog);
  std::vector<std::vector<::hoks::DocumentReport>> per_file(files.size());
  std::vector<std::string> errors(files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < files.size();) {
      try {
        const std::string text = read_file(files[i]);
        const std::string ext = fs::path(files[i]).extension().string();
        const auto layout = ext == ".ndjson" || ext == ".jsonl" ? ::hoks::InputLayout::ndjson : ::hoks::InputLayout::automatic;
        ::hoks::validate_text(validator, files[i], text, options, per_file[i], layout, a.limits);
      } catch (const ToolError& e) {
        errors[i] = e.message;
      }
    }
  };
  unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, files.size())));
  std::vector<std::thread> threads;
  for (unsigned k = 1; k < jobs; ++k) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (!e.empty()) throw ToolError{e};

  std::vector<::hoks::DocumentReport> reports;
  for (auto& v : per_file)
    for (auto& r : v) reports.push_back(std::move(r));

  std::string text;
  if (a.format == "text") text = ::hoks::render_text(reports, catalog, report);
  else if (a.format == "json") text = ::hoks::render_json(reports, catalog, report);
  else throw ToolError{"--format must be text or json"};
  if (a.output.empty()) {
    std::cout << text;
    std::cout.flush();
  } else {
    std::ofstream out(a.output, std::ios::binary);
    if (!out || !(out << text)) throw ToolError{a.output + ": cannot write"};
  }
  return ::hoks::summarize(reports, report.fail_on).failed ? exit_findings : exit_ok;
}

}  // namespace

std::function<int()> add_validate_command(CLI::App& app) {
  auto a = std::make_shared<ValidateArgs>();
  auto* validate = app.add_subcommand("validate", "Validate HOKS documents (files, directories, - for stdin)");
  validate->add_option("paths", a->paths, "Files, directories or - (standard input)");
  validate->add_option("--operation", a->operation, "create (POST), replace (PUT) or update (PATCH)")
      ->check(CLI::IsMember({"create", "replace", "update"}));
  validate->add_flag("--manual-entry", a->manual_entry, "Virkailija (manual entry) routes: skip oht-tunniste");
  validate->add_option("--today", a->today, "The date of date-relative rules (YYYY-MM-DD; default: today)");
  validate->add_option("--opiskeluoikeus", a->opiskeluoikeus, "The student's KOSKI study right (JSON)");
  validate->add_option("--format", a->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  validate->add_option("-o,--output", a->output, "Write the report to this file");
  validate->add_option("--lang", a->lang, "Language of messages: fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  validate->add_option("--fail-on", a->fail_on, "Lowest severity that fails the run (exit 1)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  validate->add_option("--select", a->select, "Only these rules (repeatable)")->delimiter(',');
  validate->add_option("--ignore", a->ignore, "Not these rules (repeatable)")->delimiter(',');
  validate->add_option("-j,--jobs", a->jobs, "Worker threads (default: all cores)");
  validate->add_flag("--redact", a->redact, "Leave personal data out of the report");
  validate->add_flag("--no-hints", a->no_hints, "Text: leave out the fix hints");
  validate->add_option("--color", a->color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  validate->add_option("--max-depth", a->limits.json.max_depth, "Limit: nesting depth of a document (0: none)")
      ->capture_default_str();
  validate->add_option("--max-document-size", a->limits.json.max_document_bytes,
                       "Limit: bytes of one document, e.g. 64MiB (0: none up to 4 GiB)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  validate->add_option("--max-string-length", a->limits.json.max_string_bytes, "Limit: bytes of one string (0: none)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  validate->add_option("--max-documents", a->limits.max_documents, "Limit: documents in one file or stream (0: none)")
      ->capture_default_str();
  validate->add_option("--max-findings-per-document", a->max_findings, "Limit: findings reported per document (0: none)")
      ->capture_default_str();
  return [validate, a]() -> int { return *validate ? run_validate(*a) : -1; };
}

}  // namespace hoks::cli
