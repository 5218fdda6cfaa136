// Reports: findings of many documents rendered for people (text, html) and for programs and CI
// (json, junit, sarif, github, gitlab), written document by document so that memory stays flat.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/model/model.hpp"

namespace hoks {

// concise: text with one line per finding ("file:line:col: severity[rule] message"); full: text
// with each finding's source line and a caret (from DocumentExtras::excerpts).
enum class ReportFormat : std::uint8_t { text, json, junit, sarif, github, gitlab, html, concise, full };
// "sarif" -> ReportFormat::sarif; nullopt for an unknown name.
std::optional<ReportFormat> parse_report_format(std::string_view name);
std::string_view to_string(ReportFormat format);

// Text: a rule's fix hint at its first finding (later ones refer to it), at every finding, or never.
enum class HintMode : std::uint8_t { first, all, none };
// Text and concise: the findings, the per-rule table and the totals; only the table and the
// totals (--statistics); only the totals line (-q).
enum class TextDetail : std::uint8_t { findings, statistics, totals };

struct ReportOptions {
  Lang lang = Lang::fi;
  bool color = false;        // ANSI colours (text)
  HintMode hints = HintMode::first;
  TextDetail detail = TextDetail::findings;
  bool redact = false;       // personal data was removed (redact_findings); also hides echoed values
  Severity fail_on = Severity::error;
  std::size_t max_findings = 0;  // 0: all; else N findings, errors before warnings before infos (totals stay whole)
  std::string tool_version;
  std::string ruleset;
};

// The findings of one rule at one severity in a run.
struct RuleCount {
  std::string rule;
  Severity severity = Severity::error;
  std::size_t count = 0;
};

struct Summary {
  std::size_t documents = 0, valid = 0, errors = 0, warnings = 0, infos = 0;
  std::size_t shown = 0;       // findings written into the report (fewer than the total when capped)
  std::size_t omitted[3] = {};  // per Severity (info, warning, error): findings --max-findings left out
  std::size_t suppressed = 0;  // findings hidden by the baseline
  bool failed = false;         // some finding at or above fail_on
  std::size_t not_checked = 0; // documents a limit (--max-documents) left unchecked
  std::vector<RuleCount> rules;  // by count (most first), severity, rule id; complete after finish()

  std::size_t findings() const { return errors + warnings + infos; }
  bool partial() const { return shown < findings(); }
  bool limit_hit() const;      // a limit stopped checking (documents not checked, or limit-exceeded)
};

// Source lines around a finding, for the html report and --format full.
struct Excerpt {
  std::uint32_t first_line = 0;    // line number of lines[0]; 0 when there is no excerpt
  std::vector<std::string> lines;  // UTF-8; a long line is cut to a window around the finding
  std::uint32_t mark = 0;          // index in `lines` of the finding's line
  std::uint32_t mark_column = 0;   // 1-based column (characters) of the finding in lines[mark]; 0 = none
};

// What the report knows about a document besides its findings.
struct DocumentExtras {
  std::vector<Excerpt> excerpts;  // empty, or one per finding (html, full)
  std::size_t suppressed = 0;     // findings hidden by the baseline
  bool in_collection = false;     // one of several documents of its file (JSON array, NDJSON)
};

// A document's part of a report, made ahead of ReportWriter::add by ReportWriter::render.
struct RenderedDocument {
  std::string text;
  std::size_t shown = 0;  // the findings it shows
};

// Writes a report in one format as documents arrive; memory does not grow with the number of
// documents (junit and html keep their body in a temporary file until the totals are known; under
// --max-findings every format keeps the documents there, as the errors of the whole run go first).
// The formatting of documents can be spread over threads: render() them in any thread and order,
// then add() them in report order. A report keeps only the first context-missing finding of the run.
class ReportWriter {
 public:
  ReportWriter(ReportFormat format, std::ostream& out, const Catalog& catalog, const ReportOptions& options);
  ~ReportWriter();
  ReportWriter(const ReportWriter&) = delete;
  ReportWriter& operator=(const ReportWriter&) = delete;

  // Adds the next document (findings in report order, see sort_findings).
  void add(const DocumentReport& doc, const DocumentExtras& extras = {});
  // What add() writes of the document when the report shows all its findings, but for the parts
  // that depend on the documents before it (nothing under --max-findings: finish() renders them).
  // Const: safe to call from several threads at once.
  RenderedDocument render(const DocumentReport& doc, const DocumentExtras& extras = {}) const;
  // Adds the next document rendered by render() (again with the same doc and extras); the same
  // bytes as add(doc, extras). Renders it again when --max-findings cuts its findings.
  void add(const DocumentReport& doc, const DocumentExtras& extras, const RenderedDocument& rendered) {
    add(doc, extras, rendered.text, rendered.shown);
  }
  // The same with the text of render() kept elsewhere (`shown`: the findings it shows), e.g. the
  // documents of a run rendered one after another into one buffer.
  void add(const DocumentReport& doc, const DocumentExtras& extras, std::string_view rendered, std::size_t shown);
  // Writes the totals and the end of the report; call once, after the last add().
  void finish();
  // The totals so far.
  const Summary& summary() const;
  // The options it was made with.
  const ReportOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A whole report as one string (documents of the same source with index > 0 are "in a collection").
std::string render_report(ReportFormat format, const std::vector<DocumentReport>& reports, const Catalog& catalog,
                          const ReportOptions& options);
// Compiler-style text: "file:line:col: error[rule]: message", then the hint.
std::string render_text(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options);
// The JSON report of docs/architecture.md.
std::string render_json(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options);

// The severity as the reports name it in `lang` (virhe, fel, error).
std::string_view severity_name(Severity s, Lang lang);
// The message of a finding in the report's language.
std::string finding_message(const Finding& f, const Catalog& catalog, const ReportOptions& options);

// A finding's texts in one language, as the reports show them.
struct RenderedFinding {
  std::string title;    // the rule's title
  std::string message;  // the rule's message filled from the finding's arguments
  std::string hint;     // how to fix it ("" when the rule has none)
};
// The title, message and hint of a finding in `lang` (from the built-in catalog unless given).
RenderedFinding render_finding(const Finding& f, Lang lang, const Catalog& catalog = Catalog::builtin());

// ---- Source excerpts ------------------------------------------------------------------------

// The lines of a text, for excerpts; `first_line` is the number of the text's first line.
class SourceLines {
 public:
  explicit SourceLines(std::string_view text, std::uint32_t first_line = 1);
  // Lines line-context .. line+context around a finding at line:column (1-based, absolute).
  Excerpt excerpt(std::uint32_t line, std::uint32_t column, std::uint32_t context = 2) const;

 private:
  std::string_view text_;
  std::uint32_t first_line_;
  std::vector<std::size_t> starts_;
};

// ---- Redaction --------------------------------------------------------------------------------

// What a personal value is; the report says the kind where it leaves the value out.
enum class PersonalKind : std::uint8_t { name, email, phone, person_oid, study_right_oid, identity_code, other };

// The model's fields that hold personal data: names (nimi, *-nimi), e-mail addresses (sahkoposti),
// phone numbers (puhelinnumero, phone type), learner OIDs (PID type), study-right OIDs (OOID type).
std::vector<std::pair<std::string, PersonalKind>> personal_fields(const Model& model);

// The personal data in one input text (a document, a JSON array or NDJSON lines), found lexically
// so that it also works on text that is not well-formed: values of the personal fields; anywhere,
// e-mail addresses, learner and study-right OIDs and Finnish personal identity codes; and, in any
// string, the words of those values (a name copied into another field).
class PersonalData {
 public:
  PersonalData(std::string_view text, const Model& model = Model::builtin());

  // `text` with every character of every personal value replaced by '•' (lines and columns kept).
  std::string masked_text() const;
  // Replaces echoed personal values in the arguments of `findings` by "«redacted: kind»" words.
  void redact(std::vector<Finding>& findings, Lang lang) const;
  bool empty() const { return spans_.empty(); }

 private:
  struct Span {
    std::size_t begin, end;  // bytes of the value (inside the quotes for strings)
    PersonalKind kind;
  };
  std::string_view text_;
  std::vector<Span> spans_;                                     // sorted, not overlapping
  std::unordered_map<std::string, PersonalKind> values_, words_;  // whole personal values, and their words
  std::vector<std::pair<std::string, PersonalKind>> fields_;
};

// The localized "«redacted: e-mail address»" word of a kind.
std::string redacted_word(PersonalKind kind, Lang lang);

}  // namespace hoks
