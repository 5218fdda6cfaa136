// hoks validate: check HOKS documents as eHOKS would.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>
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
#include "hoks/batch/engine.hpp"
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
    CLI::Option *operation, *manual_entry, *format, *lang, *fail_on, *select, *ignore, *redact, *include, *exclude,
        *baseline, *max_report_findings, *max_documents;
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

// One finding per defect: a value the conversion could not convert (transform-failed) stays in the
// document as text, so the schema stage's finding at the same path (wrong-type, pattern-mismatch,
// invalid-date ...) says the same again; it goes.
void drop_unconverted_twice(::hoks::DocumentReport& r, const ::hoks::Catalog& catalog) {
  std::vector<std::string> unconverted;
  for (const auto& f : r.findings)
    if (f.rule == "transform-failed") unconverted.push_back(f.path);
  if (unconverted.empty()) return;
  r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(),
                                  [&](const ::hoks::Finding& f) {
                                    const ::hoks::Rule* rule = catalog.find(f.rule);
                                    return rule && rule->stage == "schema" &&
                                           std::find(unconverted.begin(), unconverted.end(), f.path) != unconverted.end();
                                  }),
                   r.findings.end());
}

// Whether a limit stopped checking (documents past --max-documents, or a per-document --max-*).
bool limit_hit(const ::hoks::Summary& s) {
  return s.not_checked > 0 ||
         std::any_of(s.rules.begin(), s.rules.end(), [](const ::hoks::RuleCount& r) { return r.rule == "limit-exceeded"; });
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

  // hoks.yaml: --config FILE, or the nearest one from the working folder up; options given win.
  ::hoks::Config cfg;
  if (!a.no_config) {
    std::optional<fs::path> file;
    if (!a.config.empty()) file = fs::path(a.config);
    else file = ::hoks::find_config(fs::current_path());
    if (file) {
      try {
        cfg = ::hoks::parse_config(read_text_file(file->string(), "--config"), *file, catalog);
      } catch (const ::hoks::ConfigError& e) {
        throw ToolError{e.what()};
      }
    }
  }
  const auto& given = a.given;
  auto from_config = [](CLI::Option* option) { return option == nullptr || option->count() == 0; };
  if (from_config(given.operation) && cfg.operation) a.operation = std::string(::hoks::to_string(*cfg.operation));
  if (from_config(given.manual_entry) && cfg.manual_entry) a.manual_entry = *cfg.manual_entry;
  if (from_config(given.format) && cfg.format) a.format = std::string(::hoks::to_string(*cfg.format));
  if (from_config(given.lang) && cfg.lang) a.lang = std::string(::hoks::to_string(*cfg.lang));
  if (from_config(given.fail_on) && cfg.fail_on) a.fail_on = std::string(::hoks::to_string(*cfg.fail_on));
  if (from_config(given.redact) && cfg.redact) a.redact = *cfg.redact;
  if (from_config(given.include)) a.include = cfg.include;
  if (from_config(given.exclude)) a.exclude = cfg.exclude;
  if (from_config(given.baseline) && cfg.baseline) a.baseline = cfg.baseline->string();
  if (from_config(given.max_report_findings) && cfg.max_findings) a.max_report_findings = *cfg.max_findings;

  ::hoks::ValidationOptions options;
  const auto op = ::hoks::parse_operation(a.operation);
  if (!op || *op == ::hoks::Operation::read) throw ToolError{"--operation must be create, replace or update"};
  options.operation = *op;
  options.manual_entry = a.manual_entry;
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
  ::hoks::RuleConfig config = cfg.rules;
  if (!from_config(given.select)) {
    config.select.clear();
    for (const auto& id : a.select) {
      if (!catalog.find(id)) throw ToolError{"--select: unknown rule '" + id + "' (see hoks rules)"};
      config.select.insert(id);
    }
  }
  if (!from_config(given.ignore)) {
    config.ignore.clear();
    for (const auto& id : a.ignore) {
      if (!catalog.find(id)) throw ToolError{"--ignore: unknown rule '" + id + "' (see hoks rules)"};
      config.ignore.insert(id);
    }
  }
  options.config = &config;
  if (!a.model.empty()) ::hoks::ModelVersions::builtin().apply_rule_set(a.model, config);  // the rule set of that version
  options.max_findings = a.max_findings;

  ::hoks::ReportOptions report;
  const auto lang = ::hoks::parse_lang(a.lang);
  if (!lang) throw ToolError{"--lang must be fi, sv or en"};
  report.lang = *lang;
  const auto fail_on = ::hoks::parse_severity(a.fail_on);
  if (!fail_on) throw ToolError{"--fail-on must be error, warning or info"};
  report.fail_on = *fail_on;
  const auto format = ::hoks::parse_report_format(a.format);
  if (!format) throw ToolError{"--format must be text, concise, json, junit, sarif, github, gitlab or html"};
  report.redact = a.redact;
  report.hints = a.hints == "all" ? ::hoks::HintMode::all : a.hints == "none" ? ::hoks::HintMode::none : ::hoks::HintMode::first;
  report.detail = a.quiet ? ::hoks::TextDetail::totals : a.statistics ? ::hoks::TextDetail::statistics : ::hoks::TextDetail::findings;
  report.max_findings = a.max_report_findings;
  report.tool_version = HOKS_VERSION;
  report.ruleset = catalog.version();
  report.color = (*format == ::hoks::ReportFormat::text || *format == ::hoks::ReportFormat::concise) &&
                 (a.color == "always" || (a.color == "auto" && a.output.empty() && terminal(STDOUT_FILENO, true)));
  const bool html = *format == ::hoks::ReportFormat::html;

  std::optional<::hoks::Baseline> baseline;
  if (!a.baseline.empty()) {
    try {
      baseline = ::hoks::Baseline::parse(read_text_file(a.baseline, "--baseline"));
    } catch (const ::hoks::BaselineError& e) {
      throw ToolError{a.baseline + ":" + e.what()};
    }
  }
  std::vector<::hoks::BaselineEntry> recorded;

  // A terminal on standard input: say that it is read (rather than wait silently).
  if (a.paths.empty() && isatty(STDIN_FILENO))
    std::cerr << "hoks: reading HOKS documents from standard input (end with Ctrl-D; hoks validate --help shows usage)\n";
  std::vector<::hoks::BatchSource> sources;
  try {
    sources = ::hoks::collect_sources(a.paths.empty() ? std::vector<std::string>{"-"} : a.paths, a.include, a.exclude);
  } catch (const ::hoks::BatchError& e) {
    throw ToolError{e.what()};
  }

  std::ofstream file_out;
  if (!a.output.empty()) {
    file_out.open(a.output, std::ios::binary | std::ios::trunc);
    if (!file_out) throw ToolError{a.output + ": cannot write"};
  }
  std::ostream& out = a.output.empty() ? std::cout : file_out;
  ::hoks::ReportWriter writer(*format, out, catalog, report);
  Progress progress(a.progress == "always" || (a.progress == "auto" && terminal(STDERR_FILENO, false)));
  const bool report_on_terminal = a.output.empty() && isatty(STDOUT_FILENO);

  const ::hoks::Validator validator(model, catalog);
  if (a.from != "json") {  // XML, CSV or a vendor profile: convert, validate, report at the input's positions
    const ::hoks::Profile profile = load_profile(a.from);
    for (const auto& path : a.paths.empty() ? std::vector<std::string>{"-"} : a.paths)
      for (auto& r : validate_converted(validator, profile, path, options, a.limits)) {
        drop_unconverted_twice(r, catalog);
        writer.add(r, {});
      }
    writer.finish();
    out.flush();
    if (limit_hit(writer.summary())) return exit_tool;
    if (const int empty = empty_status(writer.summary(), a); empty >= 0) return empty;
    return writer.summary().failed ? exit_findings : exit_ok;
  }
  // Each unit's part of the report, made on the worker threads: redaction, baseline, excerpts,
  // the rendered documents; written in input order.
  struct Rendered : ::hoks::BatchUnit::Extra {
    std::vector<::hoks::DocumentExtras> extras;     // one per document
    std::string rendered;                           // the documents rendered one after another
    std::vector<std::size_t> ends;                  // where each document ends in `rendered`
    std::vector<::hoks::BaselineEntry> recorded;    // --write-baseline: the findings to record
    std::size_t bytes() const override { return rendered.size() + recorded.size() * sizeof(recorded[0]); }
  };
  struct Sink : ::hoks::BatchSink {
    std::function<void(::hoks::BatchUnit&)> on_process, on_write;
    void process(::hoks::BatchUnit& u) override { on_process(u); }
    void write(::hoks::BatchUnit& u) override { on_write(u); }
  } sink;
  sink.on_process = [&](::hoks::BatchUnit& u) {
    auto res = std::make_unique<Rendered>();
    std::string masked;  // the text with personal data masked (html excerpts of --redact)
    if (a.redact && !u.past_limit) {
      const ::hoks::PersonalData personal(u.text, model);
      for (auto& r : u.documents) personal.redact(r.findings, report.lang);
      if (html) masked = personal.masked_text();
    }
    std::optional<::hoks::SourceLines> lines;
    if (html) lines.emplace(a.redact ? std::string_view(masked) : u.text, u.first_line);
    res->extras.resize(u.documents.size());
    res->ends.reserve(u.documents.size());
    for (std::size_t i = 0; i < u.documents.size(); ++i) {
      ::hoks::DocumentReport& r = u.documents[i];
      ::hoks::DocumentExtras& extras = res->extras[i];
      if (!a.write_baseline.empty()) ::hoks::record_baseline(r, res->recorded);
      extras.in_collection = u.ndjson || u.documents.size() > 1;
      extras.suppressed = baseline ? baseline->apply(r, catalog, &config) : 0;
      if (lines) {
        for (const auto& f : r.findings)
          extras.excerpts.push_back(f.location.line > 0 && f.location.file.empty()
                                        ? lines->excerpt(f.location.line, f.location.column, u.ndjson ? 0 : 2)
                                        : ::hoks::Excerpt{});
      }
      res->rendered += writer.render(r, extras).text;
      res->ends.push_back(res->rendered.size());
    }
    u.extra = std::move(res);
  };
  sink.on_write = [&](::hoks::BatchUnit& u) {
    if (report_on_terminal) progress.clear();  // the report's lines start at the line's beginning
    auto& res = static_cast<Rendered&>(*u.extra);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < u.documents.size(); ++i) {
      const std::string_view text = std::string_view(res.rendered).substr(begin, res.ends[i] - begin);
      writer.add(u.documents[i], res.extras[i], text, u.documents[i].findings.size());
      begin = res.ends[i];
    }
    recorded.insert(recorded.end(), std::make_move_iterator(res.recorded.begin()), std::make_move_iterator(res.recorded.end()));
  };
  ::hoks::BatchOptions batch;
  batch.validation = options;
  batch.limits = a.limits;
  batch.limit_stream_documents = a.given.max_documents->count() > 0;
  batch.jobs = a.jobs;
  batch.progress = [&](const ::hoks::BatchProgress& p) {
    progress.update(p.bytes, p.total_bytes, p.inputs, p.total_inputs, p.documents);
  };
  try {
    ::hoks::run_batch(validator, sources, batch, sink);
  } catch (const ::hoks::BatchError& e) {
    throw ToolError{e.what()};
  }
  progress.clear();
  writer.finish();
  out.flush();
  if (!out) throw ToolError{(a.output.empty() ? std::string("standard output") : a.output) + ": cannot write"};

  if (!a.write_baseline.empty()) {
    std::ofstream b(a.write_baseline, std::ios::binary | std::ios::trunc);
    if (!b || !(b << ::hoks::render_baseline(std::move(recorded), catalog.version())))
      throw ToolError{a.write_baseline + ": cannot write"};
    return exit_ok;  // the current findings are now accepted
  }
  if (limit_hit(writer.summary())) return exit_tool;  // a limit, not a verdict on the data
  if (const int empty = empty_status(writer.summary(), a); empty >= 0) return empty;
  return writer.summary().failed ? exit_findings : exit_ok;
}

}  // namespace

std::function<int()> add_validate_command(CLI::App& app) {
  auto a = std::make_shared<ValidateArgs>();
  auto& g = a->given;
  auto* validate = app.add_subcommand("validate", "Validate HOKS documents (files, directories, - for stdin)");
  validate->add_option("paths", a->paths, "Files, directories or - (standard input)");
  g.operation = validate->add_option("--operation", a->operation, "create (POST), replace (PUT) or update (PATCH)")
                    ->check(CLI::IsMember({"create", "replace", "update"}));
  g.manual_entry =
      validate->add_flag("--manual-entry", a->manual_entry, "Virkailija (manual entry) routes: skip oht-tunniste");
  validate->add_option("--today", a->today, "The date of date-relative rules (YYYY-MM-DD; default: today)");
  validate->add_option("--model", a->model, "Model version (default: the current one; see docs/model-maintenance.md)");
  validate->add_option("--from", a->from, "Input format: json, xml, csv (a directory of tables) or PROFILE.yaml");
  validate->add_option("--opiskeluoikeus", a->opiskeluoikeus, "KOSKI study rights: a file, a folder, NDJSON or an oppija response; each document takes its own by opiskeluoikeus-oid");
  g.format = validate->add_option("--format", a->format, "text, concise, json, junit, sarif, github, gitlab or html")
                 ->check(CLI::IsMember({"text", "concise", "json", "junit", "sarif", "github", "gitlab", "html"}));
  validate->add_option("-o,--output", a->output, "Write the report to this file");
  g.lang = validate->add_option("--lang", a->lang, "Language of messages and of the html report: fi, sv or en")
               ->check(CLI::IsMember({"fi", "sv", "en"}));
  g.fail_on = validate->add_option("--fail-on", a->fail_on, "Lowest severity that fails the run (exit 1)")
                  ->check(CLI::IsMember({"error", "warning", "info"}));
  g.select = validate->add_option("--select", a->select, "Only these rules (repeatable)")->delimiter(',')->allow_extra_args(false);
  g.ignore = validate->add_option("--ignore", a->ignore, "Not these rules (repeatable)")->delimiter(',')->allow_extra_args(false);
  validate->add_option("-j,--jobs", a->jobs, "Worker threads (default: all cores); the report is the same for any N");
  g.redact = validate->add_flag("--redact", a->redact,
                                "Leave personal data (names, e-mail addresses, phone numbers, OIDs) out of the report");
  validate->add_option("--hints", a->hints, "Text: a rule's fix hint at its first finding (first), at every one (all) or none")
      ->check(CLI::IsMember({"first", "all", "none"}))
      ->capture_default_str();
  validate->add_flag_callback("--no-hints", [a] { a->hints = "none"; }, "Text: leave out the fix hints (--hints none)");
  validate->add_flag("--statistics", a->statistics, "Text: only the per-rule table and the totals");
  validate->add_flag("-q,--quiet", a->quiet, "Text: only the totals line");
  validate->add_flag("--allow-empty", a->allow_empty, "No documents at all (an empty folder or stream) is no failure (else exit 2)");
  validate->add_option("--color", a->color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  validate->add_option("--config", a->config, "Settings file (default: hoks.yaml here or in a folder above)");
  validate->add_flag("--no-config", a->no_config, "Do not read hoks.yaml");
  g.include = validate->add_option("--include", a->include, "Globs of files taken from folders (default *.json, *.ndjson, *.jsonl)")
                  ->delimiter(',')
                  ->allow_extra_args(false);
  g.exclude = validate->add_option("--exclude", a->exclude, "Globs of files left out of folders")
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
