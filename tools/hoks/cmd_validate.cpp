// hoks validate: check HOKS documents as eHOKS would.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <ext/stdio_sync_filebuf.h>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <utility>

#include "commands.hpp"
#include "common.hpp"
#include "convert_input.hpp"
#include "hoks/report/baseline.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/batch/converted.hpp"
#include "hoks/batch/engine.hpp"
#include "hoks/batch/report_sink.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/batch/config.hpp"
#include "hoks/model/model.hpp"
#include "hoks/report/report.hpp"
#include "hoks/check/validate.hpp"
#include "hoks/model/versions.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {
namespace {

struct ValidateArgs {
  std::vector<std::string> paths;
  std::string operation = "create";
  bool manual_entry = false;
  std::string today;
  std::string model;  // --model: a model version (default: the current one)
  std::string from = "json";  // --from: json, xml, csv or PROFILE.yaml
  std::vector<std::string> context;  // --context NAME=VALUE for the profile's context
  std::string opiskeluoikeus;
  std::string format = "text";
  std::string output;
  std::string lang = "fi";
  std::string fail_on = "error";
  std::vector<std::string> select, ignore;
  unsigned jobs = 0;
  bool redact = false;
  std::string hints = "first";
  bool statistics = false, quiet = false;
  bool allow_empty = false;  // --allow-empty: no documents at all is no failure
  std::string color = "auto";
  ::hoks::InputLimits limits;  // --max-*: 0 = no limit
  std::uint32_t max_findings = ::hoks::ValidationOptions{}.max_findings;
  // Reports, configuration, baselines, batches.
  std::string config;
  bool no_config = false;
  std::vector<std::string> include, exclude;
  std::string baseline, write_baseline;
  std::size_t max_report_findings = 0;
  std::string progress = "auto";
  // Options given on the command line win over hoks.yaml.
  struct Given {
    CLI::Option *operation, *manual_entry, *format, *lang, *fail_on, *redact, *baseline, *max_report_findings, *max_documents;
  } given{};
};

// ---- progress ----------------------------------------------------------------------------------------

// A progress line on standard error when it is a terminal and the run takes more than a second.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  ~Progress() { clear(); }

  void update(std::uintmax_t bytes, std::uintmax_t total_bytes, std::size_t files, std::size_t total_files,
              std::size_t documents) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::string line = "\r";
    if (total_bytes > 0) {
      const double part = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes));
      const int filled = static_cast<int>(part * 30);
      line += "[" + std::string(filled, '#') + std::string(30 - filled, '.') + "] ";
      line += std::to_string(static_cast<int>(part * 100)) + "% ";
    }
    line += std::to_string(files) + "/" + std::to_string(total_files) + " files, " + std::to_string(documents) +
            " documents\033[K";
    std::cerr << line << std::flush;
    shown_ = true;
  }
  void clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_{};
};

// Whether `--color auto` and `--progress auto` may use the terminal on `fd`: not in CI logs (CI and
// the like set, TERM=dumb), nor when NO_COLOR is set (https://no-color.org; colour only).
bool terminal(int fd, bool colour) {
  if (!isatty(fd)) return false;
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' && std::string_view(v) != "false" && std::string_view(v) != "0";
  };
  for (const char* ci : {"CI", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "BUILDKITE", "JENKINS_URL"})
    if (set(ci)) return false;
  if (const char* term = std::getenv("TERM"); term != nullptr && std::string_view(term) == "dumb") return false;
  return !(colour && set("NO_COLOR"));
}

// ---- the run --------------------------------------------------------------------------------------------

std::string read_text_file(const std::string& path, const char* what) {
  try {
    return read_file(path);
  } catch (const ToolError& e) {
    throw ToolError{std::string(what) + ": " + e.message};
  }
}

// The exit status of a run without findings to hold against it: no documents at all (an empty
// folder or stream) is a failure of the step that made the input, unless --allow-empty.
int empty_status(const ::hoks::Summary& s, const ValidateArgs& a) {
  if (s.documents > 0 || a.allow_empty) return -1;
  std::cerr << "hoks: no documents in the input (an empty folder, file or standard input); "
               "give --allow-empty if that is expected\n";
  return exit_tool;
}

// The report sink of a run whose progress line shares the terminal with the report: the line is
// cleared before the report's lines are written.
struct TerminalSink : ::hoks::ReportSink {
  using ::hoks::ReportSink::ReportSink;
  std::function<void()> before_write;
  void write(::hoks::BatchUnit& unit) override {
    if (before_write) before_write();
    ::hoks::ReportSink::write(unit);
  }
};

// The settings given on the command line, as hoks.yaml would give them (the rest stays unset).
::hoks::Config command_line_config(const ValidateArgs& a, const ::hoks::Catalog& catalog) {
  const auto given = [](CLI::Option* option) { return option != nullptr && option->count() > 0; };
  const auto& g = a.given;
  ::hoks::Config c;
  if (given(g.operation)) c.operation = ::hoks::parse_operation(a.operation);
  if (given(g.manual_entry)) c.manual_entry = a.manual_entry;
  if (given(g.format)) c.format = ::hoks::parse_report_format(a.format);
  if (given(g.lang)) c.lang = ::hoks::parse_lang(a.lang);
  if (given(g.fail_on)) c.fail_on = ::hoks::parse_severity(a.fail_on);
  if (given(g.redact)) c.redact = a.redact;
  if (given(g.baseline)) c.baseline = a.baseline;
  if (given(g.max_report_findings)) c.max_findings = a.max_report_findings;
  c.include = a.include;
  c.exclude = a.exclude;
  const auto rules = [&](const std::vector<std::string>& selectors, const char* option, auto& set) {
    for (const auto& s : selectors) {  // ids, prefixes (legal-*), ehoks or quality
      const auto ids = catalog.select(s);
      if (ids.empty()) throw ToolError{std::string(option) + ": " + catalog.unknown_rule(s)};
      set.insert(ids.begin(), ids.end());
    }
  };
  rules(a.select, "--select", c.rules.select);
  rules(a.ignore, "--ignore", c.rules.ignore);
  return c;
}

int run_validate(ValidateArgs a) {
  // Earlier model versions are loaded only when asked for: start-up stays small for the current one.
  const ::hoks::Model* selected = &::hoks::Model::builtin();
  if (!a.model.empty()) {
    const auto& versions = ::hoks::ModelVersions::builtin();
    if (!versions.find(a.model))
      throw ToolError{"--model: unknown model version '" + a.model + "' (known: " + versions.names() + ")"};
    selected = &versions.model(a.model);
  }
  const ::hoks::Model& model = *selected;
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();

  // hoks.yaml (--config FILE, or the nearest one from the working folder up), under the options given.
  ::hoks::Config cfg;
  try {
    if (!a.no_config)
      cfg = ::hoks::load_config(a.config.empty() ? std::nullopt : std::optional<fs::path>(a.config), fs::current_path(), catalog);
  } catch (const ::hoks::ConfigError& e) {
    throw ToolError{e.what()};
  }
  cfg = ::hoks::merge_config(std::move(cfg), command_line_config(a, catalog));

  ::hoks::ValidationOptions options;
  options.operation = cfg.operation.value_or(::hoks::Operation::create);
  if (options.operation == ::hoks::Operation::read)
    throw ToolError{"--operation must be create (post), replace (put) or update (patch)"};
  options.manual_entry = cfg.manual_entry.value_or(false);
  if (!a.today.empty()) {
    auto d = ::hoks::parse_date(a.today);
    if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + a.today + "'"};
    options.today = *d;
  }
  ::hoks::StudyRights study_rights;
  if (!a.opiskeluoikeus.empty()) {
    study_rights = load_study_rights(a.opiskeluoikeus);
    options.study_rights = &study_rights;
  }
  ::hoks::RuleConfig& config = cfg.rules;
  if (!a.model.empty()) ::hoks::ModelVersions::builtin().apply_rule_set(a.model, config);  // the rule set of that version
  options.config = &config;
  options.max_findings = a.max_findings;

  const ::hoks::ReportFormat format = cfg.format.value_or(::hoks::ReportFormat::text);
  ::hoks::ReportOptions report;
  report.lang = cfg.lang.value_or(::hoks::Lang::fi);
  report.fail_on = cfg.fail_on.value_or(::hoks::Severity::error);
  report.redact = cfg.redact.value_or(false);
  report.hints = a.hints == "all" ? ::hoks::HintMode::all : a.hints == "none" ? ::hoks::HintMode::none : ::hoks::HintMode::first;
  report.detail = a.quiet ? ::hoks::TextDetail::totals : a.statistics ? ::hoks::TextDetail::statistics : ::hoks::TextDetail::findings;
  report.max_findings = cfg.max_findings.value_or(0);
  report.tool_version = HOKS_VERSION;
  report.ruleset = catalog.version();
  report.color = (format == ::hoks::ReportFormat::text || format == ::hoks::ReportFormat::concise ||
                  format == ::hoks::ReportFormat::full) &&
                 (a.color == "always" || (a.color == "auto" && a.output.empty() && terminal(STDOUT_FILENO, true)));

  std::optional<::hoks::Baseline> baseline;
  if (cfg.baseline) {
    const std::string path = cfg.baseline->string();
    try {
      baseline = ::hoks::Baseline::parse(read_text_file(path, "--baseline"));
    } catch (const ::hoks::BaselineError& e) {
      throw ToolError{path + ":" + e.what()};
    }
  }

  // The report goes out in writes of 256 KiB, not stdio's 4 KiB: a write per 4 KiB was 10% of an
  // early-plan run (5,834 writes for a 25 MB report, 98 now) and, with --jobs 2, the writing
  // thread's share that the other thread waits for. 1 MiB made 24 writes but touched 192 more
  // pages (each a page fault), and cost more than it saved. A terminal keeps its line buffering.
  // (Static: stdout may still be flushed at exit.)
  // -o FILE goes through stdio as standard output does: std::filebuf writes every piece of 1 KiB
  // or more by itself (a writev per document, 4,871 for that report, and a quarter slower).
  static char out_buffer[std::size_t{256} << 10];
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      a.output.empty() ? nullptr : std::fopen(a.output.c_str(), "wb"), [](std::FILE* f) { return f ? std::fclose(f) : 0; });
  if (!a.output.empty() && !file) throw ToolError{a.output + ": cannot write (" + std::strerror(errno) + ")"};
  if (file || !isatty(STDOUT_FILENO)) std::setvbuf(file ? file.get() : stdout, out_buffer, _IOFBF, sizeof out_buffer);
  __gnu_cxx::stdio_sync_filebuf<char> file_buffer(file ? file.get() : stdout);
  std::ostream file_out(&file_buffer);
  std::ostream& out = a.output.empty() ? std::cout : file_out;
  ::hoks::ReportWriter writer(format, out, catalog, report);
  ::hoks::ReportSink::Options sink_options;
  sink_options.excerpts = format == ::hoks::ReportFormat::html || format == ::hoks::ReportFormat::full;
  sink_options.excerpt_context = format == ::hoks::ReportFormat::html ? 2 : 0;
  sink_options.baseline = baseline ? &*baseline : nullptr;
  sink_options.rules = &config;
  sink_options.record = !a.write_baseline.empty();
  TerminalSink sink(writer, model, catalog, sink_options);

  const ::hoks::Validator validator(model, catalog);
  if (a.from != "json") {  // XML, CSV or a vendor profile: convert, validate, report at the input's positions
    const ::hoks::Profile profile = load_profile(a.from, a.context);
    for (const auto& path : a.paths.empty() ? std::vector<std::string>{"-"} : a.paths) {
      auto converted = ::hoks::validate_converted(validator, profile, read_inputs(profile, path), path, options, a.limits);
      sink.add(converted.documents, converted.json);
    }
  } else {
    // A terminal on standard input: say that it is read (rather than wait silently).
    if (a.paths.empty() && isatty(STDIN_FILENO))
      std::cerr << "hoks: reading HOKS documents from standard input (end with Ctrl-D; hoks validate --help shows usage)\n";
    Progress progress(a.progress == "always" || (a.progress == "auto" && terminal(STDERR_FILENO, false)));
    if (a.output.empty() && isatty(STDOUT_FILENO)) sink.before_write = [&] { progress.clear(); };
    ::hoks::BatchOptions batch;
    batch.validation = options;
    batch.limits = a.limits;
    batch.limit_stream_documents = a.given.max_documents->count() > 0;
    batch.jobs = a.jobs;
    batch.progress = [&](const ::hoks::BatchProgress& p) {
      progress.update(p.bytes, p.total_bytes, p.inputs, p.total_inputs, p.documents);
    };
    try {
      const auto sources = ::hoks::collect_sources(a.paths.empty() ? std::vector<std::string>{"-"} : a.paths, cfg.include, cfg.exclude);
      ::hoks::run_batch(validator, sources, batch, sink);
    } catch (const ::hoks::BatchError& e) {
      throw ToolError{e.what()};
    }
    sink.before_write = nullptr;
  }
  writer.finish();
  errno = 0;
  out.flush();
  if (!out)  // the reason when this last write failed (a write that failed earlier left no errno to trust)
    throw ToolError{(a.output.empty() ? std::string("standard output") : a.output) + ": cannot write" +
                    (errno ? std::string(" (") + std::strerror(errno) + ")" : std::string())};

  if (!a.write_baseline.empty()) {
    std::ofstream b(a.write_baseline, std::ios::binary | std::ios::trunc);
    if (!b || !(b << ::hoks::render_baseline(sink.take_recorded(), catalog.version())))
      throw ToolError{a.write_baseline + ": cannot write"};
    return exit_ok;  // the current findings are now accepted
  }
  if (writer.summary().limit_hit()) return exit_tool;  // a limit, not a verdict on the data
  if (const int empty = empty_status(writer.summary(), a); empty >= 0) return empty;
  return writer.summary().failed ? exit_findings : exit_ok;
}

}  // namespace

std::function<int()> add_validate_command(CLI::App& app) {
  auto a = std::make_shared<ValidateArgs>();
  auto& g = a->given;
  auto* validate = app.add_subcommand("validate", "Validate HOKS documents (files, directories, - for stdin)");
  validate->add_option("paths", a->paths, "Files, directories or - (standard input)");
  g.operation = validate->add_option("--operation", a->operation, "create (or post), replace (put) or update (patch)")
                    ->check(CLI::IsMember({"create", "replace", "update", "post", "put", "patch"}));
  g.manual_entry =
      validate->add_flag("--manual-entry", a->manual_entry, "Virkailija (manual entry) routes: skip oht-tunniste");
  validate->add_option("--today", a->today, "The date of date-relative rules (YYYY-MM-DD; default: today)");
  validate->add_option("--model", a->model, "Model version (default: the current one; see docs/model-maintenance.md)");
  validate->add_option("--from", a->from, "Input format: json, xml, csv (a directory of tables) or PROFILE.yaml");
  validate->add_option("--context", a->context, "With --from PROFILE.yaml: NAME=VALUE, a value of the profile's context (repeatable)")->allow_extra_args(false);
  validate->add_option("--opiskeluoikeus", a->opiskeluoikeus, "KOSKI study rights: a file, a folder, NDJSON or an oppija response; each document takes its own by opiskeluoikeus-oid");
  g.format = validate->add_option("--format", a->format,
                                  "text, concise (a line a finding), full (text with the source lines), json, junit, "
                                  "sarif, github, gitlab or html")
                 ->check(CLI::IsMember({"text", "concise", "full", "json", "junit", "sarif", "github", "gitlab", "html"}));
  validate->add_option("-o,--output", a->output, "Write the report to this file");
  g.lang = validate->add_option("--lang", a->lang, "Language of messages and of the html report: fi, sv or en")
               ->check(CLI::IsMember({"fi", "sv", "en"}));
  g.fail_on = validate->add_option("--fail-on", a->fail_on, "Lowest severity that fails the run (exit 1)")
                  ->check(CLI::IsMember({"error", "warning", "info"}));
  validate->add_option("--select", a->select, "Only these rules (repeatable): ids, prefixes (legal-*), ehoks (the checks eHOKS makes) or quality (the others)")->delimiter(',')->allow_extra_args(false);
  validate->add_option("--ignore", a->ignore, "Not these rules (repeatable): ids, prefixes (legal-*), ehoks or quality")->delimiter(',')->allow_extra_args(false);
  validate->add_option("-j,--jobs", a->jobs, "Worker threads (0: all cores this process may run on, the default); the report is the same for any N");
  g.redact = validate->add_flag("--redact", a->redact,
                                "Leave personal data (names, e-mail addresses, phone numbers, OIDs) out of the report");
  validate->add_option("--hints", a->hints, "Text: a rule's fix hint at its first finding (first), at every one (all) or none")
      ->check(CLI::IsMember({"first", "all", "none"}))
      ->capture_default_str();
  validate->add_flag_callback("--no-hints", [a] { a->hints = "none"; }, "Text: leave out the fix hints (--hints none)");
  validate->add_flag("--statistics", a->statistics, "Text: only the per-rule table and the totals");
  validate->add_flag("-q,--quiet", a->quiet, "Text: only the totals line");
  validate->add_flag("--allow-empty", a->allow_empty, "No documents at all (an empty folder or stream) is no failure (else exit 2)");
  validate->add_option("--color", a->color, "auto (a terminal, unless NO_COLOR is set), always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  validate->add_option("--config", a->config, "Settings file (default: hoks.yaml here or in a folder above)");
  validate->add_flag("--no-config", a->no_config, "Do not read hoks.yaml");
  validate->add_option("--include", a->include, "Globs of files taken from folders (default *.json, *.ndjson, *.jsonl)")
                  ->delimiter(',')
                  ->allow_extra_args(false);
  validate->add_option("--exclude", a->exclude, "Globs of files left out of folders")
                  ->delimiter(',')
                  ->allow_extra_args(false);
  g.baseline = validate->add_option("--baseline", a->baseline, "Hide the findings recorded in this baseline file");
  validate->add_option("--write-baseline", a->write_baseline, "Record the current findings in this baseline file (exit 0)");
  g.max_report_findings =
      validate->add_option("--max-findings", a->max_report_findings, "Show at most N findings; totals stay whole");
  validate->add_option("--progress", a->progress, "Progress on standard error: auto (a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  validate->add_option("--max-depth", a->limits.json.max_depth, "Limit: nesting depth of a document (0: none)")
      ->capture_default_str();
  validate->add_option("--max-document-size", a->limits.json.max_document_bytes,
                       "Limit: bytes of one document, e.g. 64MiB (0: none up to 4 GiB)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  validate->add_option("--max-string-length", a->limits.json.max_string_bytes, "Limit: bytes of one string (0: none)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  g.max_documents = validate->add_option("--max-documents", a->limits.max_documents,
                                         "Limit: documents in one JSON array; in NDJSON streams none unless given (0: none)")
      ->capture_default_str();
  validate->add_option("--max-findings-per-document", a->max_findings, "Limit: findings reported per document (0: none)")
      ->capture_default_str();
  return [validate, a]() -> int { return *validate ? run_validate(*a) : -1; };
}

}  // namespace hoks::cli
