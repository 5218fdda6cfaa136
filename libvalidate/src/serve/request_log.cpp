#include "serve/request_log.hpp"

#include <algorithm>
#include <sstream>

#include "hoks/batch/batch.hpp"
#include "hoks/read/json.hpp"
#include "hoks/report/report.hpp"
#include "hoks/version.h"

namespace hoks::serve {
namespace {

std::size_t weight(const KeptRequest& r) { return r.body.size() + r.response.size() + r.path.size() + 256; }

void cut(std::string& s) {
  if (s.size() <= RequestLog::max_body) return;
  std::size_t n = RequestLog::max_body;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 sequence
  s.resize(n);
}

void field(std::string& out, const char* name, std::string_view value) {
  out += '"';
  out += name;
  out += "\":";
  detail::append_json_string(out, value);
}

}  // namespace

void RequestLog::add(KeptRequest r) {
  if (max_requests_ == 0) return;
  cut(r.body);
  cut(r.response);
  sort_findings(r.findings);
  std::lock_guard lock(mutex_);
  r.seq = next_++;
  bytes_ += weight(r);
  kept_.push_back(std::move(r));
  while (kept_.size() > max_requests_ || (bytes_ > max_bytes && kept_.size() > 1)) {
    bytes_ -= weight(kept_.front());
    kept_.pop_front();
    ++dropped_;
  }
}

void RequestLog::clear() {
  std::lock_guard lock(mutex_);
  kept_.clear();
  bytes_ = 0;
  dropped_ = 0;
}

std::string RequestLog::json(std::uint64_t after, std::size_t limit, bool bodies) const {
  std::lock_guard lock(mutex_);
  auto it = std::upper_bound(kept_.begin(), kept_.end(), after,
                             [](std::uint64_t s, const KeptRequest& r) { return s < r.seq; });
  std::string out = "{\"kept\":" + std::to_string(kept_.size()) + ",\"dropped\":" + std::to_string(dropped_) +
                    ",\"requests\":[";
  std::size_t n = 0;
  for (; it != kept_.end() && n < limit; ++it, ++n) {
    const KeptRequest& r = *it;
    if (n) out += ',';
    out += "{\"seq\":" + std::to_string(r.seq) + ",";
    field(out, "time", r.time);
    out += ',';
    field(out, "method", r.method);
    out += ',';
    field(out, "path", r.path);
    out += ',';
    field(out, "query", r.query);
    out += ",\"status\":" + std::to_string(r.status) + ",\"body_bytes\":" + std::to_string(r.body_bytes);
    if (bodies) {
      out += ',';
      field(out, "body", r.body);
      out += ',';
      field(out, "response", r.response);
    }
    out += ",\"findings\":[";
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      const Finding& f = r.findings[i];
      if (i) out += ',';
      out += '{';
      field(out, "rule", f.rule);
      out += ',';
      field(out, "severity", to_string(f.severity));
      out += ',';
      field(out, "path", f.path);
      out += ",\"line\":" + std::to_string(f.location.line) + ",\"column\":" + std::to_string(f.location.column) +
             ",\"message\":{";
      for (Lang lang : {Lang::fi, Lang::sv, Lang::en}) {
        if (lang != Lang::fi) out += ',';
        detail::append_json_string(out, to_string(lang));
        out += ':';
        detail::append_json_string(out, render_finding(f, lang).message);
      }
      out += "}}";
    }
    out += "]}";
  }
  out += "],\"next\":";
  out += it != kept_.end() && n > 0 ? std::to_string(std::prev(it)->seq) : "null";
  return out + "}";
}

std::string RequestLog::html(std::size_t limit, Lang lang) const {
  std::ostringstream page;
  ReportOptions options;
  options.lang = lang;
  options.tool_version = HOKS_VERSION_STRING;
  options.ruleset = Catalog::builtin().version();
  ReportWriter writer(ReportFormat::html, page, Catalog::builtin(), options);
  std::lock_guard lock(mutex_);
  for (auto it = kept_.size() > limit ? kept_.end() - static_cast<std::ptrdiff_t>(limit) : kept_.begin();
       it != kept_.end(); ++it) {
    const KeptRequest& r = *it;
    DocumentReport doc;
    doc.source = "#" + std::to_string(r.seq) + " " + r.time + " " + r.method + " " + r.path +
                 (r.query.empty() ? "" : "?" + r.query) + " \u2192 " + std::to_string(r.status);
    doc.findings = r.findings;
    DocumentExtras extras;
    const SourceLines lines(r.body);
    for (const Finding& f : doc.findings) extras.excerpts.push_back(lines.excerpt(f.location.line, f.location.column));
    writer.add(doc, extras);
  }
  writer.finish();
  return page.str();
}

}  // namespace hoks::serve
