// Reports for CI systems: JUnit XML, SARIF 2.1.0, GitHub workflow commands, GitLab code quality.
#include <algorithm>
#include <map>
#include <tuple>

#include "report/report_format.hpp"

namespace hoks::detail {

using namespace std::string_view_literals;
namespace {

std::string num(std::size_t n) { return std::to_string(n); }
// `phrase` as a sentence: its first letter (ASCII) in upper case, a full stop at the end.
std::string sentence(std::string phrase) {
  if (!phrase.empty() && phrase[0] >= 'a' && phrase[0] <= 'z') phrase[0] = static_cast<char>(phrase[0] - 'a' + 'A');
  return phrase + ".";
}

// Per document: how often each finding's (rule, path) occurred before it among the first `shown`,
// for fingerprints; from one sort of the findings (no allocation per finding once warm).
class Occurrences {
 public:
  Occurrences(const std::vector<Finding>& findings, std::size_t shown) {
    thread_local std::vector<std::uint32_t> order;
    order.resize(shown);
    for (std::uint32_t i = 0; i < shown; ++i) order[i] = i;
    const auto key = [&](std::uint32_t i) { return std::tie(findings[i].rule, findings[i].path); };
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return key(a) < key(b) || (key(a) == key(b) && a < b);
    });
    numbers_.resize(shown);
    for (std::size_t k = 0; k < shown; ++k)
      numbers_[order[k]] = k > 0 && key(order[k]) == key(order[k - 1]) ? numbers_[order[k - 1]] + 1 : 0;
  }
  std::size_t of(std::size_t i) const { return numbers_[i]; }

 private:
  std::vector<std::size_t> numbers_;
};

// Writes items rendered each after a ",\n" separator, without the comma before the list's first.
void write_list_items(std::ostream& out, std::string_view items, bool& first) {
  if (items.empty()) return;
  if (first) items.remove_prefix(1);
  out << items;
  first = false;
}

// ---- JUnit XML ---------------------------------------------------------------------------------------
// One <testsuite> per input file, one <testcase> per document; a document with findings at or
// above --fail-on is a <failure> whose text lists the findings; other findings go to <system-out>.

class JunitWriter final : public FormatWriter {
 public:
  JunitWriter(std::ostream& out, const Catalog& catalog, const ReportOptions& options)
      : out_(out), catalog_(catalog), options_(options) {}

  // The document's <testcase>.
  std::string render(const DocumentReport& r, const DocumentExtras& extras, std::size_t shown) const override {
    std::size_t counts[3] = {};
    bool failed = false;
    for (const auto& f : r.findings) {
      ++counts[static_cast<int>(f.severity)];
      if (f.severity >= options_.fail_on) failed = true;
    }
    std::string name = r.source;
    if (extras.in_collection) name += " #" + num(r.index);
    if (const std::string who = identity_phrase(r, options_); !who.empty()) name += " (" + who + ")";
    std::string out = "    <testcase classname=\"";
    append_xml_escaped(out, r.source);
    out += "\" name=\""sv;
    append_xml_escaped(out, name);
    out += "\" file=\""sv;
    append_xml_escaped(out, r.source);
    out += "\" line=\"" + num(r.line) + "\" time=\"0\"";
    if (r.findings.empty()) {
      out += "/>\n"sv;
      return out;
    }
    out += ">\n"sv;
    std::string failing, other;
    for (std::size_t i = 0; i < shown; ++i) {
      const Finding& f = r.findings[i];
      std::string& line = f.severity >= options_.fail_on ? failing : other;
      line += finding_file(r, f);
      if (f.location.line) {
        line += ':';
        append_number(line, f.location.line);
        line += ':';
        append_number(line, f.location.column);
      }
      line += ": "sv;
      line += severity_word(f.severity, options_.lang);
      line += '[';
      line += f.rule;
      line += "]: "sv;
      catalog_.append_message(line, f, options_.lang);
      line += "\n  "sv;
      line += f.path.empty() ? "/" : f.path;
      line += '\n';
    }
    if (shown < r.findings.size()) other += "… +" + num(r.findings.size() - shown) + " (--max-findings)\n";
    const std::string phrase = count_phrase(counts[2], counts[1], counts[0], options_.lang);
    if (failed) {
      out += "      <failure type=\""sv;
      out += to_string(options_.fail_on);
      out += "\" message=\""sv;
      append_xml_escaped(out, phrase);
      out += "\">"sv;
      append_xml_escaped(out, failing);
      out += "</failure>\n"sv;
    }
    if (!other.empty()) {
      out += "      <system-out>"sv;
      append_xml_escaped(out, other);
      out += "</system-out>\n"sv;
    }
    out += "    </testcase>\n"sv;
    return out;
  }

  void document(const DocumentReport& r, const DocumentExtras&, std::size_t, std::string_view rendered) override {
    if (!suite_open_ || r.source != suite_name_) close_suite();
    if (!suite_open_) {
      suite_open_ = true;
      suite_name_ = r.source;
      suite_tests_ = suite_failures_ = 0;
    }
    ++suite_tests_;
    if (std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.severity >= options_.fail_on; }))
      ++suite_failures_;
    suite_ += rendered;
  }

  void finish(const Summary& s) override {
    // The last suite goes straight to the output, after the others (not through body_ first).
    const std::size_t failures = failures_ + (suite_open_ ? suite_failures_ : 0);
    std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hoks validate\" tests=\"" +
                       num(s.documents) + "\" failures=\"" + num(failures) + "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
    out_ << head;
    body_.drain_to(out_);
    if (suite_open_) {
      out_ << suite_head();
      suite_.drain_to(out_);
      out_ << "  </testsuite>\n";
    }
    out_ << "</testsuites>\n";
  }

 private:
  std::string suite_head() const {
    std::string head = "  <testsuite name=\"";
    append_xml_escaped(head, suite_name_);
    head += "\" tests=\"" + num(suite_tests_) + "\" failures=\"" + num(suite_failures_) +
            "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
    return head;
  }

  void close_suite() {
    if (!suite_open_) return;
    body_ += suite_head();
    suite_.drain_to(body_);
    body_ += "  </testsuite>\n"sv;
    failures_ += suite_failures_;
    suite_open_ = false;
  }

  std::ostream& out_;
  const Catalog& catalog_;
  const ReportOptions& options_;
  SpillBuffer body_, suite_;
  bool suite_open_ = false;
  std::string suite_name_;
  std::size_t suite_tests_ = 0, suite_failures_ = 0, failures_ = 0;
};

// ---- SARIF 2.1.0 -----------------------------------------------------------------------------------

// "oid-check-digit" -> "OidCheckDigit" (SARIF's rule name is an identifier).
std::string pascal_case(std::string_view id) {
  std::string out;
  bool up = true;
  for (char c : id) {
    if (c == '-' || c == '_') {
      up = true;
      continue;
    }
    out.push_back(up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    up = false;
  }
  return out;
}

// A file name as a relative URI reference (RFC 3986): unreserved characters and '/' kept.
std::string uri_reference(std::string_view path) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string_view sarif_level(Severity s) {
  return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

class SarifWriter final : public FormatWriter {
 public:
  SarifWriter(std::ostream& out, const Catalog& catalog, const ReportOptions& options)
      : out_(out), catalog_(catalog), options_(options) {
    const Lang lang = options.lang;
    std::string head =
        "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n \"version\": \"2.1.0\",\n \"runs\": [{\n"
        "  \"tool\": {\"driver\": {\"name\": \"hoks\", \"fullName\": \"hokskit hoks validate\", \"version\": ";
    detail::append_json_string(head, options.tool_version);
    head += ", \"semanticVersion\": "sv;
    detail::append_json_string(head, options.tool_version);
    head += ", \"language\": "sv;
    detail::append_json_string(head, to_string(lang));
    head += ", \"properties\": {\"ruleset\": "sv;
    detail::append_json_string(head, options.ruleset);
    head += "},\n   \"rules\": ["sv;
    const auto& rules = catalog.rules();
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const Rule& rule = rules[i];
      index_[rule.id] = i;
      head += i == 0 ? "\n    " : ",\n    ";
      head += "{\"id\": "sv;
      detail::append_json_string(head, rule.id);
      head += ", \"name\": "sv;
      detail::append_json_string(head, pascal_case(rule.id));
      head += ", \"shortDescription\": {\"text\": "sv;
      detail::append_json_string(head, rule.title.in(lang));
      head += "}, \"fullDescription\": {\"text\": "sv;
      detail::append_json_string(head, rule.rationale.in(lang).empty() ? rule.title.in(lang) : rule.rationale.in(lang));
      std::string help = rule.hint.in(lang);
      if (!rule.rationale.in(lang).empty()) help += (help.empty() ? "" : "\n\n") + rule.rationale.in(lang);
      if (help.empty()) help = rule.title.in(lang);
      head += "}, \"help\": {\"text\": "sv;
      detail::append_json_string(head, help);
      head += "}, \"defaultConfiguration\": {\"level\": \""sv;
      head += sarif_level(rule.severity);
      head += "\"}, \"properties\": {\"tags\": ["sv;
      detail::append_json_string(head, rule.stage.empty() ? "rule" : rule.stage);
      if (!rule.basis_kind.empty()) {
        head += ", "sv;
        detail::append_json_string(head, rule.basis_kind);
      }
      head += "]"sv;
      if (!rule.ehoks.empty()) {
        head += ", \"ehoks\": "sv;
        detail::append_json_string(head, rule.ehoks);
      }
      if (!rule.basis_ref.empty()) {
        head += ", \"basis\": "sv;
        detail::append_json_string(head, rule.basis_ref);
      }
      head += "}}"sv;
    }
    head += "\n   ]}},\n  \"columnKind\": \"unicodeCodePoints\",\n  \"results\": ["sv;
    out_ << head;
  }

  // The document's results, each after ",\n   ".
  std::string render(const DocumentReport& r, const DocumentExtras&, std::size_t shown) const override {
    const Occurrences occurrences(r.findings, shown);
    // What is the same for every result of the document, made once.
    std::string source_uri, document;
    detail::append_json_string(source_uri, uri_reference(r.source));
    document = ", \"document\": ";
    append_number(document, r.index);
    document += ", \"documentLine\": "sv;
    append_number(document, r.line);
    append_identity_json(document, r, options_);
    std::string out, text;
    for (std::size_t i = 0; i < shown; ++i) {
      const Finding& f = r.findings[i];
      out += ",\n   {\"ruleId\": "sv;
      detail::append_json_string(out, f.rule);
      if (auto it = index_.find(f.rule); it != index_.end()) {
        out += ", \"ruleIndex\": "sv;
        append_number(out, it->second);
      }
      out += ", \"level\": \""sv;
      out += sarif_level(f.severity);
      out += "\", \"message\": {\"text\": "sv;
      text.clear();
      catalog_.append_message(text, f, options_.lang);
      detail::append_json_string(out, text);
      out += "},\n    \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": "sv;
      if (f.location.file.empty()) out += source_uri;
      else detail::append_json_string(out, uri_reference(f.location.file));
      out += "}"sv;
      if (f.location.line > 0) {
        out += ", \"region\": {\"startLine\": "sv;
        append_number(out, f.location.line);
        if (f.location.column > 0) {
          out += ", \"startColumn\": "sv;
          append_number(out, f.location.column);
        }
        out += "}"sv;
      }
      out += "}, \"logicalLocations\": [{\"fullyQualifiedName\": "sv;
      detail::append_json_string(out, f.path.empty() ? "/" : f.path);
      out += ", \"kind\": \"object\"}]}],\n    \"partialFingerprints\": {\"hoksFinding/v1\": \""sv;
      append_fingerprint(out, r, f, occurrences.of(i));
      out += "\"}, \"properties\": {\"path\": "sv;
      detail::append_json_string(out, f.path);
      out += document;
      if (!f.location.header.empty()) {
        out += ", \"header\": "sv;
        detail::append_json_string(out, f.location.header);
      }
      out += "}}"sv;
    }
    return out;
  }

  void document(const DocumentReport&, const DocumentExtras&, std::size_t, std::string_view rendered) override {
    write_list_items(out_, rendered, first_);
  }

  void finish(const Summary& s) override {
    std::string out = first_ ? "],\n" : "\n  ],\n";
    out += "  \"invocations\": [{\"executionSuccessful\": true}],\n  \"properties\": {\"documents\": " +
           num(s.documents) + ", \"valid\": " + num(s.valid) + ", \"errors\": " + num(s.errors) +
           ", \"warnings\": " + num(s.warnings) + ", \"infos\": " + num(s.infos) + ", \"shown\": " + num(s.shown) +
           ", \"partial\": " + (s.partial() ? "true" : "false") + ", \"suppressed\": " + num(s.suppressed) +
           ", \"redacted\": " + (options_.redact ? "true" : "false");
    if (s.partial())
      out += ", \"omitted\": {\"errors\": " + num(s.omitted[2]) + ", \"warnings\": " + num(s.omitted[1]) +
             ", \"infos\": " + num(s.omitted[0]) + "}";
    out += "}\n }]\n}\n"sv;
    out_ << out;
  }

 private:
  std::ostream& out_;
  const Catalog& catalog_;
  const ReportOptions& options_;
  std::map<std::string, std::size_t, std::less<>> index_;
  bool first_ = true;
};

// ---- GitHub Actions workflow commands ------------------------------------------------------------
// ::error file=F,line=L,col=C,title=RULE::message   (warning, notice likewise)

// Escapes the message of a workflow command: % \r \n.
std::string github_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25"sv;
    else if (c == '\r') out += "%0D"sv;
    else if (c == '\n') out += "%0A"sv;
    else out.push_back(c);
  }
  return out;
}

// Escapes a property value of a workflow command: % \r \n : ,
std::string github_property(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25"sv;
    else if (c == '\r') out += "%0D"sv;
    else if (c == '\n') out += "%0A"sv;
    else if (c == ':') out += "%3A"sv;
    else if (c == ',') out += "%2C"sv;
    else out.push_back(c);
  }
  return out;
}

class GithubWriter final : public FormatWriter {
 public:
  GithubWriter(std::ostream& out, const Catalog& catalog, const ReportOptions& options)
      : out_(out), catalog_(catalog), options_(options) {}

  std::string render(const DocumentReport& r, const DocumentExtras& extras, std::size_t shown) const override {
    static const char* const path_word[] = {"polku", "sökväg", "path"};
    static const char* const doc_word[] = {"dokumentti", "dokument", "document"};
    const int lang = static_cast<int>(options_.lang);
    std::string out;
    for (std::size_t i = 0; i < shown; ++i) {
      const Finding& f = r.findings[i];
      out += "::"sv;
      out += f.severity == Severity::error ? "error" : f.severity == Severity::warning ? "warning" : "notice";
      out += " file=" + github_property(finding_file(r, f));
      if (f.location.line > 0) {
        out += ",line=" + num(f.location.line);
        if (f.location.column > 0) out += ",col=" + num(f.location.column);
      }
      out += ",title=" + github_property(f.rule) + "::";
      std::string message = catalog_.message(f, options_.lang);
      message += " ("sv;
      message += path_word[lang];
      message += " " + (f.path.empty() ? std::string("/") : f.path);
      if (extras.in_collection) message += std::string(", ") + doc_word[lang] + " " + num(r.index);
      if (const std::string who = identity_phrase(r, options_); !who.empty()) message += ", " + who;
      message += ")"sv;
      out += github_data(message) + "\n";
    }
    return out;
  }

  void document(const DocumentReport&, const DocumentExtras&, std::size_t, std::string_view rendered) override {
    out_ << rendered;
  }

  void finish(const Summary& s) override {
    static const char* const partial[] = {"Raportti on osittainen: näytetään {shown}/{total} löydöstä (--max-findings).",
                                          "Rapporten är ofullständig: visar {shown} av {total} fynd (--max-findings).",
                                          "The report is partial: showing {shown} of {total} findings (--max-findings)."};
    if (s.partial())
      out_ << "::warning title=hoks::"
           << github_data(detail::fill_template(partial[static_cast<int>(options_.lang)],
                                        {{"shown", num(s.shown)}, {"total", num(s.findings())}}) +
                          " " + sentence(omitted_phrase(s, options_.lang)))
           << "\n";
  }

 private:
  std::ostream& out_;
  const Catalog& catalog_;
  const ReportOptions& options_;
};

// ---- GitLab code quality ----------------------------------------------------------------------------

class GitlabWriter final : public FormatWriter {
 public:
  GitlabWriter(std::ostream& out, const Catalog& catalog, const ReportOptions& options)
      : out_(out), catalog_(catalog), options_(options) {
    out_ << "[";
  }

  // The document's issues, each after ",\n  ".
  std::string render(const DocumentReport& r, const DocumentExtras&, std::size_t shown) const override {
    const Occurrences occurrences(r.findings, shown);
    const std::string who = identity_phrase(r, options_);
    std::string out, description;
    for (std::size_t i = 0; i < shown; ++i) {
      const Finding& f = r.findings[i];
      out += ",\n  "sv;
      description.clear();
      catalog_.append_message(description, f, options_.lang);
      description += " ("sv;
      description += f.path.empty() ? "/" : f.path;
      if (!who.empty()) {
        description += "; "sv;
        description += who;
      }
      description += ")"sv;
      out += "{\"description\": "sv;
      detail::append_json_string(out, description);
      out += ", \"check_name\": "sv;
      detail::append_json_string(out, f.rule);
      out += ", \"fingerprint\": \""sv;
      append_fingerprint(out, r, f, occurrences.of(i));
      out += "\", \"severity\": \""sv;
      out += f.severity == Severity::error ? "major" : f.severity == Severity::warning ? "minor" : "info";
      out += "\", \"categories\": [\"Bug Risk\"], \"location\": {\"path\": "sv;
      detail::append_json_string(out, finding_file(r, f));
      out += ", \"lines\": {\"begin\": " + num(std::max<std::uint32_t>(1, f.location.line)) + "}}}";
    }
    return out;
  }

  void document(const DocumentReport&, const DocumentExtras&, std::size_t, std::string_view rendered) override {
    write_list_items(out_, rendered, first_);
  }

  void finish(const Summary&) override { out_ << (first_ ? "]\n" : "\n]\n"); }

 private:
  std::ostream& out_;
  const Catalog& catalog_;
  const ReportOptions& options_;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<FormatWriter> make_junit_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options) {
  return std::make_unique<JunitWriter>(out, catalog, options);
}
std::unique_ptr<FormatWriter> make_sarif_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options) {
  return std::make_unique<SarifWriter>(out, catalog, options);
}
std::unique_ptr<FormatWriter> make_github_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options) {
  return std::make_unique<GithubWriter>(out, catalog, options);
}
std::unique_ptr<FormatWriter> make_gitlab_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options) {
  return std::make_unique<GitlabWriter>(out, catalog, options);
}

}  // namespace hoks::detail
