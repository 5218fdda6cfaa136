#include "hoks/report.hpp"

#include <set>

namespace hoks {
namespace {

const char* const value_args[] = {"value", "tyyppi", "unit"};

Finding redacted(const Finding& f, Lang lang) {
  Finding copy = f;
  static const char* const words[] = {"«poistettu»", "«borttaget»", "«redacted»"};
  for (auto& [name, value] : copy.args)
    for (const char* a : value_args)
      if (name == a) value = words[static_cast<int>(lang)];
  return copy;
}

struct Words {
  const char* error;
  const char* warning;
  const char* info;
  const char* hint;
  const char* path;
  const char* document;
  const char* documents;
  const char* valid;
  const char* errors;
  const char* warnings;
  const char* infos;
};

const Words& words(Lang lang) {
  static const Words fi{"virhe", "varoitus", "huomio", "ohje", "polku", "dokumentti", "dokumenttia", "kelvollisia",
                        "virhettä", "varoitusta", "huomiota"};
  static const Words sv{"fel", "varning", "info", "råd", "sökväg", "dokument", "dokument", "giltiga", "fel",
                        "varningar", "infor"};
  static const Words en{"error", "warning", "info", "hint", "path", "document", "documents", "valid", "errors",
                        "warnings", "infos"};
  return lang == Lang::fi ? fi : lang == Lang::sv ? sv : en;
}

}  // namespace

std::string finding_message(const Finding& f, const Catalog& catalog, const ReportOptions& options) {
  return options.redact ? catalog.message(redacted(f, options.lang), options.lang) : catalog.message(f, options.lang);
}

Summary summarize(const std::vector<DocumentReport>& reports, Severity fail_on) {
  Summary s;
  for (const auto& r : reports) {
    ++s.documents;
    if (r.valid()) ++s.valid;
    for (const auto& f : r.findings) {
      if (f.severity == Severity::error) ++s.errors;
      else if (f.severity == Severity::warning) ++s.warnings;
      else ++s.infos;
      if (f.severity >= fail_on) s.failed = true;
    }
  }
  return s;
}

std::string render_text(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options) {
  const Words& w = words(options.lang);
  std::string out;
  const char* bold = options.color ? "\033[1m" : "";
  const char* reset = options.color ? "\033[0m" : "";
  std::set<std::string_view> multi;  // sources with more than one document
  for (const auto& r : reports)
    if (r.index > 0) multi.insert(r.source);
  for (const auto& r : reports) {
    const bool many = multi.count(r.source) > 0;
    for (const auto& f : r.findings) {
      const char* colour = !options.color ? ""
                           : f.severity == Severity::error   ? "\033[1;31m"
                           : f.severity == Severity::warning ? "\033[1;35m"
                                                             : "\033[1;36m";
      const char* sev = f.severity == Severity::error ? w.error : f.severity == Severity::warning ? w.warning : w.info;
      out += bold;
      out += f.location.file.empty() ? r.source : f.location.file;
      if (f.location.line) out += ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
      out += ": ";
      out += reset;
      out += colour;
      out += sev;
      out += "[" + f.rule + "]";
      out += reset;
      out += ": ";
      out += finding_message(f, catalog, options);
      out += "\n";
      out += "  ";
      out += w.path;
      out += ": ";
      out += f.path.empty() ? "/" : f.path;
      if (!f.location.header.empty()) out += " (" + f.location.header + ")";
      if (many) out += std::string(" (") + w.document + " " + std::to_string(r.index) + ")";
      out += "\n";
      if (options.hints) {
        const std::string hint = options.redact ? catalog.hint(redacted(f, options.lang), options.lang)
                                                : catalog.hint(f, options.lang);
        if (!hint.empty()) out += std::string("  ") + w.hint + ": " + hint + "\n";
      }
    }
  }
  const Summary s = summarize(reports, options.fail_on);
  out += std::to_string(s.documents) + " " + (s.documents == 1 ? w.document : w.documents) + ": " +
         std::to_string(s.valid) + " " + w.valid + ", " + std::to_string(s.errors) + " " + w.errors + ", " +
         std::to_string(s.warnings) + " " + w.warnings + ", " + std::to_string(s.infos) + " " + w.infos + "\n";
  return out;
}

std::string render_json(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options) {
  std::string out = "{\"tool\": {\"name\": \"hoks\", \"version\": ";
  append_json_string(out, options.tool_version);
  out += ", \"ruleset\": ";
  append_json_string(out, options.ruleset);
  out += "},\n \"documents\": [";
  bool first_doc = true;
  for (const auto& r : reports) {
    out += first_doc ? "\n  " : ",\n  ";
    first_doc = false;
    out += "{\"source\": ";
    append_json_string(out, r.source);
    out += ", \"index\": " + std::to_string(r.index) + ", \"line\": " + std::to_string(r.line) + ", \"operation\": ";
    append_json_string(out, to_string(r.operation));
    out += ", \"valid\": ";
    out += r.valid() ? "true" : "false";
    out += ",\n   \"findings\": [";
    bool first = true;
    for (const auto& f : r.findings) {
      out += first ? "\n    " : ",\n    ";
      first = false;
      out += "{\"rule\": ";
      append_json_string(out, f.rule);
      out += ", \"severity\": ";
      append_json_string(out, to_string(f.severity));
      out += ", \"path\": ";
      append_json_string(out, f.path);
      out += ", \"message\": ";
      append_json_string(out, finding_message(f, catalog, options));
      const std::string hint = catalog.hint(options.redact ? redacted(f, options.lang) : f, options.lang);
      if (!hint.empty()) {
        out += ", \"hint\": ";
        append_json_string(out, hint);
      }
      out += ", \"location\": {\"line\": " + std::to_string(f.location.line) +
             ", \"column\": " + std::to_string(f.location.column);
      if (!f.location.file.empty()) {
        out += ", \"file\": ";
        append_json_string(out, f.location.file);
      }
      if (!f.location.header.empty()) {
        out += ", \"header\": ";
        append_json_string(out, f.location.header);
      }
      out += "}}";
    }
    out += first ? "]}" : "\n   ]}";
  }
  const Summary s = summarize(reports, options.fail_on);
  out += first_doc ? "],\n" : "\n ],\n";
  out += " \"summary\": {\"documents\": " + std::to_string(s.documents) + ", \"valid\": " + std::to_string(s.valid) +
         ", \"errors\": " + std::to_string(s.errors) + ", \"warnings\": " + std::to_string(s.warnings) +
         ", \"infos\": " + std::to_string(s.infos) + "}}\n";
  return out;
}

}  // namespace hoks
