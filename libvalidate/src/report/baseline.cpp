#include "hoks/report/baseline.hpp"

#include <algorithm>

#include "hoks/read/json.hpp"

namespace hoks {

Baseline Baseline::parse(std::string_view json) {
  JsonDocument doc;
  LineIndex lines(json);
  auto fail = [&](std::size_t offset, const std::string& message) {
    const TextPosition p = lines.locate(offset);
    throw BaselineError(std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + message);
  };
  if (!doc.parse(json)) fail(doc.error_offset(), "not well-formed JSON (" + std::string(to_string(doc.error())) + ")");
  const JsonValue root = doc.root();
  if (!root.is_object() || !root.get("hoks-baseline").valid())
    fail(root.offset(), "not a hoks baseline (an object with \"hoks-baseline\": 1 and \"findings\")");
  const JsonValue findings = root.get("findings");
  if (!findings.is_array()) fail(root.offset(), "\"findings\" must be an array");
  Baseline b;
  for (auto& item : findings) {
    const JsonValue e = item.value();
    if (!e.is_object()) fail(e.offset(), "a baseline entry must be an object");
    const JsonValue source = e.get("source"), index = e.get("index"), rule = e.get("rule"), path = e.get("path");
    if (!source.is_string() || !rule.is_string() || !path.is_string())
      fail(e.offset(), "a baseline entry needs \"source\", \"rule\" and \"path\" strings");
    std::uint32_t n = 0;
    if (index.valid()) {
      const std::string_view digits = index.str();
      if (index.type() != JsonType::number || digits.empty() || digits.size() > 9 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos)
        fail(index.offset(), "\"index\" must be a whole number");
      n = static_cast<std::uint32_t>(std::stoul(std::string(digits)));
    }
    b.documents_[{std::string(source.str()), n}].entries.emplace_back(std::string(rule.str()), std::string(path.str()));
    ++b.size_;
  }
  for (auto& [key, d] : b.documents_) std::sort(d.entries.begin(), d.entries.end());
  return b;
}

std::size_t Baseline::apply(DocumentReport& doc, const Catalog& catalog, const RuleConfig* config) {
  auto it = documents_.find(std::pair<std::string, std::uint32_t>(doc.source, doc.index));
  if (it == documents_.end()) return 0;
  Document& d = it->second;
  d.visited.store(true, std::memory_order_relaxed);
  std::vector<bool> used(d.entries.size(), false);
  std::size_t removed = 0;
  std::vector<Finding> kept;
  kept.reserve(doc.findings.size());
  for (Finding& f : doc.findings) {
    const std::pair<std::string, std::string> key(f.rule, f.path);
    auto lo = std::lower_bound(d.entries.begin(), d.entries.end(), key);
    bool hidden = false;
    for (auto e = lo; e != d.entries.end() && *e == key; ++e) {
      const std::size_t k = static_cast<std::size_t>(e - d.entries.begin());
      if (!used[k]) {
        used[k] = true;
        hidden = true;
        break;
      }
    }
    if (hidden) ++removed;
    else kept.push_back(std::move(f));
  }
  doc.findings = std::move(kept);
  const bool report_stale = !config || config->enabled(baseline_stale_rule);
  if (report_stale) {
    const Rule* rule = catalog.find(baseline_stale_rule);
    Severity severity = rule ? rule->severity : Severity::info;
    if (config)
      if (auto s = config->severity.find(baseline_stale_rule); s != config->severity.end()) severity = s->second;
    bool added = false;
    for (std::size_t k = 0; k < d.entries.size(); ++k) {
      if (used[k]) continue;
      Finding f;
      f.rule = std::string(baseline_stale_rule);
      f.severity = severity;
      f.path = d.entries[k].second;
      f.location.line = doc.line;
      f.location.column = 1;
      f.args = {{"rule", d.entries[k].first}};
      doc.findings.push_back(std::move(f));
      added = true;
    }
    if (added) sort_findings(doc.findings);
  }
  return removed;
}

std::size_t Baseline::unvisited() const {
  std::size_t n = 0;
  for (const auto& [key, d] : documents_)
    if (!d.visited.load(std::memory_order_relaxed)) n += d.entries.size();
  return n;
}

void record_baseline(const DocumentReport& doc, std::vector<BaselineEntry>& out) {
  for (const Finding& f : doc.findings)
    if (f.rule != baseline_stale_rule) out.push_back({doc.source, doc.index, f.rule, f.path});
}

std::string render_baseline(std::vector<BaselineEntry> entries, std::string_view ruleset) {
  std::sort(entries.begin(), entries.end());
  std::string out = "{\"hoks-baseline\": 1, \"ruleset\": ";
  detail::append_json_string(out, ruleset);
  out += ",\n \"findings\": [";
  bool first = true;
  for (const auto& e : entries) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"source\": ";
    detail::append_json_string(out, e.source);
    out += ", \"index\": " + std::to_string(e.index) + ", \"rule\": ";
    detail::append_json_string(out, e.rule);
    out += ", \"path\": ";
    detail::append_json_string(out, e.path);
    out += "}";
  }
  out += first ? "]}\n" : "\n ]}\n";
  return out;
}

}  // namespace hoks
