#include "hoks/maintain/impact.hpp"

#include <stdexcept>

#include "hoks/read/json.hpp"
#include "report/report_format.hpp"

namespace hoks {

namespace {

// Every document's report, in input order.
struct Collect : BatchSink {
  std::vector<DocumentReport> reports;
  void write(BatchUnit& unit) override {
    for (auto& r : unit.documents) reports.push_back(std::move(r));
  }
};

std::vector<DocumentReport> reports_under(std::string_view version, const std::vector<BatchSource>& sources,
                                          ValidationOptions options) {
  const auto& versions = ModelVersions::builtin();
  if (!versions.find(version)) throw std::out_of_range("unknown model version '" + std::string(version) + "'");
  RuleConfig config;
  versions.apply_rule_set(version, config);
  options.config = &config;
  const Validator validator(versions.model(version), Catalog::builtin());
  BatchOptions batch;
  batch.validation = options;
  Collect sink;
  run_batch(validator, sources, batch, sink);
  return std::move(sink.reports);
}

struct ImpactWords {
  const char* impact;
  const char* documents;
  const char* valid;
  const char* per_rule;
  const char* no_changes;
};

const ImpactWords& words(Lang lang) {
  static const ImpactWords fi{"Vaikutus", "asiakirjaa", "kelvollisia",
                              "Säännöittäin (+ ilmestyi, - poistui, ~ vakavuus muuttui):", "(ei muutoksia)"};
  static const ImpactWords sv{"Påverkan", "dokument", "giltiga",
                              "Per regel (+ tillkom, - försvann, ~ allvarlighetsgraden ändrades):", "(inga ändringar)"};
  static const ImpactWords en{"Impact", "documents", "valid", "Per rule (+ appeared, - vanished, ~ severity changed):",
                              "(no changes)"};
  return lang == Lang::sv ? sv : lang == Lang::en ? en : fi;
}

std::string render_text(const ImpactReport& r, std::string_view from, std::string_view to, Lang lang) {
  const ImpactWords& w = words(lang);
  std::string out = std::string(w.impact) + " " + std::string(from) + " -> " + std::string(to) + ": " +
                    std::to_string(r.documents) + " " + w.documents + "; " + w.valid + " " + std::to_string(r.valid_before) +
                    " -> " + std::to_string(r.valid_after) + "\n";
  for (const auto& e : r.entries) {
    const char* sign = e.kind == ImpactKind::appeared ? "+" : e.kind == ImpactKind::vanished ? "-" : "~";
    out += std::string(sign) + " " + e.source + "[" + std::to_string(e.index) + "] " + (e.path.empty() ? "/" : e.path) +
           " " + e.rule + " ";
    if (e.kind == ImpactKind::severity_changed)
      out += std::string(detail::severity_word(e.from, lang)) + " -> " + std::string(detail::severity_word(e.to, lang));
    else
      out += std::string(detail::severity_word(e.kind == ImpactKind::appeared ? e.to : e.from, lang));
    out += "\n";
  }
  out += std::string(w.per_rule) + "\n";
  for (const auto& t : r.totals)
    out += "  " + t.rule + ": +" + std::to_string(t.appeared) + " -" + std::to_string(t.vanished) + " ~" +
           std::to_string(t.severity_changed) + "\n";
  if (r.totals.empty()) out += std::string("  ") + w.no_changes + "\n";
  return out;
}

std::string render_json(const ImpactReport& r, std::string_view from, std::string_view to) {
  std::string out = "{\"from\": ";
  detail::append_json_string(out, from);
  out += ", \"to\": ";
  detail::append_json_string(out, to);
  out += ", \"documents\": " + std::to_string(r.documents) + ", \"valid\": {\"from\": " + std::to_string(r.valid_before) +
         ", \"to\": " + std::to_string(r.valid_after) + "},\n \"entries\": [";
  for (std::size_t i = 0; i < r.entries.size(); ++i) {
    const auto& e = r.entries[i];
    out += i ? ",\n  " : "\n  ";
    out += "{\"kind\": \"" + std::string(to_string(e.kind)) + "\", \"source\": ";
    detail::append_json_string(out, e.source);
    out += ", \"index\": " + std::to_string(e.index) + ", \"rule\": ";
    detail::append_json_string(out, e.rule);
    out += ", \"path\": ";
    detail::append_json_string(out, e.path);
    if (e.kind != ImpactKind::appeared) out += ", \"from\": \"" + std::string(to_string(e.from)) + "\"";
    if (e.kind != ImpactKind::vanished) out += ", \"to\": \"" + std::string(to_string(e.to)) + "\"";
    out += "}";
  }
  out += "],\n \"totals\": [";
  for (std::size_t i = 0; i < r.totals.size(); ++i) {
    const auto& t = r.totals[i];
    out += i ? ",\n  " : "\n  ";
    out += "{\"rule\": ";
    detail::append_json_string(out, t.rule);
    out += ", \"appeared\": " + std::to_string(t.appeared) + ", \"vanished\": " + std::to_string(t.vanished) +
           ", \"severity-changed\": " + std::to_string(t.severity_changed) + "}";
  }
  return out + "]}\n";
}

}  // namespace

ImpactReport measure_impact(const std::vector<BatchSource>& sources, std::string_view from, std::string_view to,
                            const ValidationOptions& options) {
  return compare_reports(reports_under(from, sources, options), reports_under(to, sources, options));
}

std::string render_impact(const ImpactReport& report, std::string_view from, std::string_view to, bool json, Lang lang) {
  return json ? render_json(report, from, to) : render_text(report, from, to, lang);
}

}  // namespace hoks
