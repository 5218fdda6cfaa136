// Internal to the reports: one writer per format, and helpers they share.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "hoks/report/report.hpp"

namespace hoks::detail {

// Bytes kept in memory up to a limit and in an anonymous temporary file beyond it, so that a
// format that writes its totals first can hold a body of any size.
class SpillBuffer {
 public:
  explicit SpillBuffer(std::size_t memory_limit = std::size_t{4} << 20) : limit_(memory_limit) {}
  ~SpillBuffer();
  SpillBuffer(const SpillBuffer&) = delete;
  SpillBuffer& operator=(const SpillBuffer&) = delete;

  void append(std::string_view bytes);
  SpillBuffer& operator+=(std::string_view bytes) {
    append(bytes);
    return *this;
  }
  // Writes everything appended so far to `out`, then empties the buffer.
  void drain_to(std::ostream& out);
  void drain_to(SpillBuffer& out);
  // Passes everything appended so far to `sink(std::string_view)` in pieces, then empties the buffer.
  template <class Sink>
  void drain(Sink&& sink);
  bool empty() const { return memory_.empty() && file_bytes_ == 0; }

 private:
  std::size_t limit_;
  std::string memory_;
  std::FILE* file_ = nullptr;
  std::size_t file_bytes_ = 0;
};

// One format. Each document, with the number of its findings the report shows (the first
// `shown`), is first rendered: render() makes the bytes that do not depend on the documents before
// it; it is const, so that worker threads can render documents at once. document() then writes
// them in order, with what does depend on the documents before (separators, numbers, groups).
// finish() gets the totals of the whole run.
class FormatWriter {
 public:
  virtual ~FormatWriter() = default;
  virtual std::string render(const DocumentReport& doc, const DocumentExtras& extras, std::size_t shown) const = 0;
  virtual void document(const DocumentReport& doc, const DocumentExtras& extras, std::size_t shown,
                        std::string_view rendered) = 0;
  virtual void finish(const Summary& summary) = 0;
};

// concise: one line per finding, no hints.
std::unique_ptr<FormatWriter> make_text_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options,
                                               bool concise);
std::unique_ptr<FormatWriter> make_json_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options);
std::unique_ptr<FormatWriter> make_junit_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options);
std::unique_ptr<FormatWriter> make_sarif_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options);
std::unique_ptr<FormatWriter> make_github_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options);
std::unique_ptr<FormatWriter> make_gitlab_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options);
std::unique_ptr<FormatWriter> make_html_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options);

// Appends the decimal digits of n (no temporary string).
inline void append_number(std::string& out, std::uint64_t n) {
  char digits[20];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}
// Appends `s` escaped for XML/HTML text and attribute values; invalid UTF-8 and characters XML
// does not allow become U+FFFD.
void append_xml_escaped(std::string& out, std::string_view s);
// The file a finding points into: its own location.file, else the document's source.
inline const std::string& finding_file(const DocumentReport& doc, const Finding& f) {
  return f.location.file.empty() ? doc.source : f.location.file;
}
// "id 5, opiskeluoikeus-oid 1.2.246.562.15.…, oppija-oid 1.2.246.562.24.…": the document's
// identity as the reports name it ("" when it has none); under --redact without the OIDs.
std::string identity_phrase(const DocumentReport& doc, const ReportOptions& options);
// Appends `, "id": …, "opiskeluoikeus_oid": …, "oppija_oid": …` (JSON members; no OIDs under --redact).
void append_identity_json(std::string& out, const DocumentReport& doc, const ReportOptions& options);
// A stable 128-bit fingerprint (32 hex digits) of a finding: source, document, rule, path and
// the occurrence number of that combination in the document; not the line, so it survives edits.
std::string fingerprint(const DocumentReport& doc, const Finding& f, std::size_t occurrence);
void append_fingerprint(std::string& out, const DocumentReport& doc, const Finding& f, std::size_t occurrence);
// The localized "error" / "warning" / "info".
std::string_view severity_word(Severity s, Lang lang);
// "2 virhettä, 1 varoitus" for the findings of one document.
std::string count_phrase(std::size_t errors, std::size_t warnings, std::size_t infos, Lang lang);
// "left out: 3 warnings, 2 infos": what --max-findings left out of the report, by severity.
std::string omitted_phrase(const Summary& s, Lang lang);

}  // namespace hoks::detail
