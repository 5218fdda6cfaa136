// A batch's report: each unit's documents redacted (ReportOptions::redact), compared with a baseline and rendered on the
// worker threads, then added to a ReportWriter in input order.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "hoks/batch/engine.hpp"
#include "hoks/report/baseline.hpp"
#include "hoks/report/report.hpp"

namespace hoks {

class ReportSink : public BatchSink {
 public:
  struct Options {
    bool excerpts = false;               // source excerpts of each finding (html, full)
    std::uint32_t excerpt_context = 2;   // lines before and after a finding's line (NDJSON: none)
    Baseline* baseline = nullptr;        // hide the findings it records
    const RuleConfig* rules = nullptr;   // may disable or re-grade baseline-stale
    bool record = false;                 // keep every finding for a new baseline (take_recorded)
  };
  ReportSink(ReportWriter& writer, const Model& model, const Catalog& catalog, const Options& options);

  void process(BatchUnit& unit) override;
  void write(BatchUnit& unit) override;
  // Documents of one input made outside run_batch (e.g. converted from XML or CSV): processed and
  // written at once; `text` is the JSON they were validated from (for redaction).
  void add(std::vector<DocumentReport>& documents, std::string_view text);
  // The findings recorded so far (Options::record), in report order.
  std::vector<BaselineEntry> take_recorded() { return std::move(recorded_); }

 private:
  ReportWriter& writer_;
  const Model& model_;
  const Catalog& catalog_;
  Options options_;
  std::vector<BaselineEntry> recorded_;
  // The first unit (BatchUnit::seq) whose documents keep a context-missing: the report says it
  // once, so a later unit's are left out before they are rendered.
  std::atomic<std::size_t> first_noted_{SIZE_MAX};
};

}  // namespace hoks
