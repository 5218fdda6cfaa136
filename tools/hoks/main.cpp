// hoks: the command line of hokskit. Parses arguments, reads files, prints; the library does the work.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

#include "hoks/batch.hpp"
#include "hoks/catalog.hpp"
#include "hoks/model.hpp"
#include "hoks/report.hpp"
#include "hoks/validate.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int exit_ok = 0, exit_findings = 1, exit_tool = 2;

struct ToolError {
  std::string message;
};

std::string read_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ToolError{path + ": cannot read file (" + std::strerror(errno) + ")"};
  std::string data;
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size > 0) {
    data.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
  } else {
    data.assign(std::istreambuf_iterator<char>(in), {});
  }
  return data;
}

// Files to read: PATHs as given; directories expanded recursively in sorted order.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    if (p == "-") {
      files.push_back(p);
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) throw ToolError{p + ": no such file or directory"};
    if (fs::is_directory(status)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        const std::string ext = it->path().extension().string();
        if (ext == ".json" || ext == ".ndjson" || ext == ".jsonl") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  return files;
}

hoks::Date today_from_clock() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string version_line(const hoks::Catalog& catalog, const hoks::Model& model) {
  return std::string("hoks ") + HOKS_VERSION + " (ruleset " + catalog.version() + ", model " + model.version() + ")";
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
};

int run_validate(const ValidateArgs& a) {
  const hoks::Model& model = hoks::Model::builtin();
  const hoks::Catalog& catalog = hoks::Catalog::builtin();
  hoks::ValidationOptions options;
  const auto op = hoks::parse_operation(a.operation);
  if (!op || *op == hoks::Operation::read) throw ToolError{"--operation must be create, replace or update"};
  options.operation = *op;
  options.manual_entry = a.manual_entry;
  if (a.today.empty()) {
    options.today = today_from_clock();
  } else {
    auto d = hoks::parse_date(a.today);
    if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + a.today + "'"};
    options.today = *d;
  }
  std::optional<hoks::StudyRight> study_right;
  if (!a.opiskeluoikeus.empty()) {
    std::string error;
    study_right = hoks::parse_study_right(read_file(a.opiskeluoikeus), error);
    if (!study_right) throw ToolError{a.opiskeluoikeus + ":" + error};
    options.study_right = &*study_right;
  }
  hoks::RuleConfig config;
  for (const auto& id : a.select) {
    if (!catalog.find(id)) throw ToolError{"--select: unknown rule '" + id + "' (see hoks rules)"};
    config.select.insert(id);
  }
  for (const auto& id : a.ignore) {
    if (!catalog.find(id)) throw ToolError{"--ignore: unknown rule '" + id + "' (see hoks rules)"};
    config.ignore.insert(id);
  }
  options.config = &config;

  hoks::ReportOptions report;
  const auto lang = hoks::parse_lang(a.lang);
  if (!lang) throw ToolError{"--lang must be fi, sv or en"};
  report.lang = *lang;
  const auto fail_on = hoks::parse_severity(a.fail_on);
  if (!fail_on) throw ToolError{"--fail-on must be error, warning or info"};
  report.fail_on = *fail_on;
  report.redact = a.redact;
  report.hints = !a.no_hints;
  report.tool_version = HOKS_VERSION;
  report.ruleset = catalog.version();
  report.color = a.color == "always" || (a.color == "auto" && a.output.empty() && isatty(STDOUT_FILENO));

  const std::vector<std::string> files = expand_paths(a.paths.empty() ? std::vector<std::string>{"-"} : a.paths);
  const hoks::Validator validator(model, catalog);
  std::vector<std::vector<hoks::DocumentReport>> per_file(files.size());
  std::vector<std::string> errors(files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < files.size();) {
      try {
        const std::string text = read_file(files[i]);
        const std::string ext = fs::path(files[i]).extension().string();
        const auto layout = ext == ".ndjson" || ext == ".jsonl" ? hoks::InputLayout::ndjson : hoks::InputLayout::automatic;
        hoks::validate_text(validator, files[i], text, options, per_file[i], layout);
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

  std::vector<hoks::DocumentReport> reports;
  for (auto& v : per_file)
    for (auto& r : v) reports.push_back(std::move(r));

  std::string text;
  if (a.format == "text") text = hoks::render_text(reports, catalog, report);
  else if (a.format == "json") text = hoks::render_json(reports, catalog, report);
  else throw ToolError{"--format must be text or json"};
  if (a.output.empty()) {
    std::cout << text;
    std::cout.flush();
  } else {
    std::ofstream out(a.output, std::ios::binary);
    if (!out || !(out << text)) throw ToolError{a.output + ": cannot write"};
  }
  return hoks::summarize(reports, report.fail_on).failed ? exit_findings : exit_ok;
}

int run_rules(const std::string& format, const std::string& lang_name) {
  const hoks::Catalog& catalog = hoks::Catalog::builtin();
  const auto lang = hoks::parse_lang(lang_name).value_or(hoks::Lang::fi);
  std::string out;
  if (format == "json") {
    out = "{\"ruleset\": ";
    hoks::append_json_string(out, catalog.version());
    out += ", \"rules\": [";
    bool first = true;
    for (const auto& r : catalog.rules()) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      out += "{\"id\": ";
      hoks::append_json_string(out, r.id);
      out += ", \"severity\": ";
      hoks::append_json_string(out, hoks::to_string(r.severity));
      out += ", \"stage\": ";
      hoks::append_json_string(out, r.stage);
      out += ", \"ehoks\": ";
      hoks::append_json_string(out, r.ehoks);
      out += ", \"needs_context\": ";
      out += r.needs_context ? "true" : "false";
      out += ", \"title\": ";
      hoks::append_json_string(out, r.title.in(lang));
      out += "}";
    }
    out += "\n]}\n";
  } else if (format == "text") {
    for (const auto& r : catalog.rules()) {
      std::string sev(hoks::to_string(r.severity));
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
  const hoks::Catalog& catalog = hoks::Catalog::builtin();
  const hoks::Rule* r = catalog.find(id);
  if (!r) throw ToolError{"unknown rule '" + id + "' (see hoks rules)"};
  const auto lang = hoks::parse_lang(lang_name).value_or(hoks::Lang::fi);
  static const char* const labels[3][6] = {
      {"Vakavuus", "Peruste", "Mitä", "Miksi", "Korjaus", "Tarvitsee opiskeluoikeuden"},
      {"Allvarlighet", "Grund", "Vad", "Varför", "Åtgärd", "Kräver studierätten"},
      {"Severity", "Basis", "What", "Why", "Fix", "Needs the study right"}};
  const auto& l = labels[static_cast<int>(lang)];
  std::string out = r->id + ": " + r->title.in(lang) + "\n\n";
  out += std::string(l[0]) + ": " + std::string(hoks::to_string(r->severity)) + "\n";
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

int main(int argc, char** argv) {
  CLI::App app{"hoks: checks and converts HOKS data as eHOKS would"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the tool, rule-set and model versions");

  ValidateArgs va;
  auto* validate = app.add_subcommand("validate", "Validate HOKS documents (files, directories, - for stdin)");
  validate->add_option("paths", va.paths, "Files, directories or - (standard input)");
  validate->add_option("--operation", va.operation, "create (POST), replace (PUT) or update (PATCH)")
      ->check(CLI::IsMember({"create", "replace", "update"}));
  validate->add_flag("--manual-entry", va.manual_entry, "Virkailija (manual entry) routes: skip oht-tunniste");
  validate->add_option("--today", va.today, "The date of date-relative rules (YYYY-MM-DD; default: today)");
  validate->add_option("--opiskeluoikeus", va.opiskeluoikeus, "The student's KOSKI study right (JSON)");
  validate->add_option("--format", va.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  validate->add_option("-o,--output", va.output, "Write the report to this file");
  validate->add_option("--lang", va.lang, "Language of messages: fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  validate->add_option("--fail-on", va.fail_on, "Lowest severity that fails the run (exit 1)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  validate->add_option("--select", va.select, "Only these rules (repeatable)")->delimiter(',');
  validate->add_option("--ignore", va.ignore, "Not these rules (repeatable)")->delimiter(',');
  validate->add_option("-j,--jobs", va.jobs, "Worker threads (default: all cores)");
  validate->add_flag("--redact", va.redact, "Leave personal data out of the report");
  validate->add_flag("--no-hints", va.no_hints, "Text: leave out the fix hints");
  validate->add_option("--color", va.color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));

  std::string rules_format = "text", lang = "fi";
  auto* rules = app.add_subcommand("rules", "List the rule catalog");
  rules->add_option("--format", rules_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  rules->add_option("--lang", lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));

  std::string rule_id;
  auto* explain = app.add_subcommand("explain", "Explain one rule: what, why, fix");
  explain->add_option("rule", rule_id, "Rule id")->required();
  explain->add_option("--lang", lang, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_tool;
  }
  try {
    if (version) {
      std::cout << version_line(hoks::Catalog::builtin(), hoks::Model::builtin()) << "\n";
      return exit_ok;
    }
    if (*validate) return run_validate(va);
    if (*rules) return run_rules(rules_format, lang);
    if (*explain) return run_explain(rule_id, lang);
    std::cout << app.help();
    return exit_ok;
  } catch (const ToolError& e) {
    std::cerr << "hoks: " << e.message << "\n";
    return exit_tool;
  } catch (const std::exception& e) {
    std::cerr << "hoks: internal error: " << e.what() << "\n";
    return exit_tool;
  }
}
