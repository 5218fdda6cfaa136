#include "hoks/batch/report_sink.hpp"

#include <algorithm>
#include <iterator>
#include <optional>

namespace hoks {

namespace {
// A unit's part of the report, made on a worker thread and kept until the unit's turn.
struct Rendered : BatchUnit::Extra {
  std::vector<DocumentExtras> extras;    // one per document
  std::vector<RenderedDocument> rendered;  // one per document, as render() made it (not copied)
  std::size_t text_bytes = 0;              // their texts' sizes
  std::vector<BaselineEntry> recorded;     // the findings to record in a baseline
  std::size_t bytes() const override { return text_bytes + recorded.size() * sizeof(recorded[0]); }
};
}  // namespace

ReportSink::ReportSink(ReportWriter& writer, const Model& model, const Catalog& catalog, const Options& options)
    : writer_(writer), model_(model), catalog_(catalog), options_(options) {}

void ReportSink::process(BatchUnit& u) {
  auto res = std::make_unique<Rendered>();
  std::string masked;  // the text with personal data masked (excerpts of a redacted report)
  const bool redact = writer_.options().redact;
  if (redact && !u.past_limit) {
    const PersonalData personal(u.text, model_);
    for (auto& r : u.documents) personal.redact(r.findings, writer_.options().lang);
    if (options_.excerpts) masked = personal.masked_text();
  }
  std::optional<SourceLines> lines;
  if (options_.excerpts) lines.emplace(redact ? std::string_view(masked) : u.text, u.first_line);
  res->extras.resize(u.documents.size());
  res->rendered.reserve(u.documents.size());
  bool noted = false;  // a document of this unit keeps context-missing
  for (std::size_t i = 0; i < u.documents.size(); ++i) {
    DocumentReport& r = u.documents[i];
    DocumentExtras& extras = res->extras[i];
    if (options_.record) record_baseline(r, res->recorded);
    extras.in_collection = u.ndjson || u.documents.size() > 1;
    extras.suppressed = options_.baseline ? options_.baseline->apply(r, catalog_, options_.rules) : 0;
    // context-missing, which the writer keeps only at the run's first: left out here when an
    // earlier unit keeps one (else the writer copies the document without it and renders it again).
    const auto note = std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule == "context-missing"; });
    if (note != r.findings.end()) {
      if (first_noted_.load(std::memory_order_relaxed) < u.seq) r.findings.erase(note);
      else noted = true;
    }
    if (lines) {
      for (const auto& f : r.findings)
        extras.excerpts.push_back(f.location.line > 0 && f.location.file.empty()
                                      ? lines->excerpt(f.location.line, f.location.column, u.ndjson ? 0 : options_.excerpt_context)
                                      : Excerpt{});
    }
    res->rendered.push_back(writer_.render(r, extras));
    res->text_bytes += res->rendered.back().text.size();
  }
  if (noted)
    for (std::size_t seen = first_noted_.load(); seen > u.seq && !first_noted_.compare_exchange_weak(seen, u.seq);) {
    }
  u.extra = std::move(res);
}

void ReportSink::write(BatchUnit& u) {
  auto& res = static_cast<Rendered&>(*u.extra);
  for (std::size_t i = 0; i < u.documents.size(); ++i) writer_.add(u.documents[i], res.extras[i], res.rendered[i]);
  recorded_.insert(recorded_.end(), std::make_move_iterator(res.recorded.begin()),
                   std::make_move_iterator(res.recorded.end()));
}

void ReportSink::add(std::vector<DocumentReport>& documents, std::string_view text) {
  BatchUnit unit;
  unit.source = documents.empty() ? std::string_view() : std::string_view(documents.front().source);
  unit.text = text;
  unit.documents = std::move(documents);
  const bool excerpts = options_.excerpts;
  options_.excerpts = false;  // the findings point into other files than `text`
  process(unit);
  options_.excerpts = excerpts;
  write(unit);
  documents = std::move(unit.documents);
}

}  // namespace hoks
