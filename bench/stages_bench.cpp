// Micro-benchmarks of the stages of hoks validate on generated documents (hoks gen --seed 1):
// reading (JSON tape), schema stage, schema + rules, the NDJSON pipeline, and reporting.
// The rule stage costs what BM_SchemaAndRules costs beyond BM_SchemaStage.
#include <benchmark/benchmark.h>

#include <deque>

#include "hoks/batch/batch.hpp"
#include "hoks/maintain/generate.hpp"
#include "hoks/read/json.hpp"
#include "hoks/report/report.hpp"
#include "hoks/check/validate.hpp"

namespace {

constexpr std::uint64_t documents = 1000;
constexpr std::uint64_t invalid = 16;

struct Corpus {
  std::vector<std::string> docs;
  std::string ndjson;
  std::size_t bytes = 0;
  hoks::StudyRight study_right;
  hoks::ValidationOptions options;

  Corpus() {
    hoks::GeneratorOptions g;
    g.seed = 1;
    g.count = documents;
    g.invalid = invalid;
    const hoks::HoksGenerator generator(g);
    for (std::uint64_t i = 0; i < documents; ++i) {
      docs.push_back(generator.document(i));
      bytes += docs.back().size();
      ndjson += docs.back();
      ndjson += '\n';
    }
    // fixtures/context/ammatillinen.json
    study_right.tyyppi = "ammatillinenkoulutus";
    study_right.alkamispaiva = g.study_right_start;
    study_right.arvioitu_paattymispaiva = g.study_right_end;
    study_right.latest_tila = "lasna";
    options.today = hoks::Date{2026, 11, 28};
    options.study_right = &study_right;
  }
};

const Corpus& corpus() {
  static const Corpus c;
  return c;
}

void count(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * documents));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus().bytes));
}

// Reading: the strict JSON reader building its tape.
void BM_Read(benchmark::State& state) {
  const Corpus& c = corpus();
  hoks::JsonDocument doc;
  for (auto _ : state)
    for (const auto& text : c.docs) benchmark::DoNotOptimize(doc.parse(text));
  count(state);
}
BENCHMARK(BM_Read)->Unit(benchmark::kMillisecond);

// The schema stage alone, on documents already read.
void BM_SchemaStage(benchmark::State& state) {
  const Corpus& c = corpus();
  std::deque<hoks::JsonDocument> parsed(c.docs.size());
  for (std::size_t i = 0; i < c.docs.size(); ++i) parsed[i].parse(c.docs[i]);
  const hoks::Validator validator;
  std::vector<hoks::Finding> findings;
  for (auto _ : state) {
    for (const auto& doc : parsed) {
      findings.clear();
      validator.validate_schema(doc.root(), hoks::Operation::create, findings);
    }
    benchmark::DoNotOptimize(findings.data());
  }
  count(state);
}
BENCHMARK(BM_SchemaStage)->Unit(benchmark::kMillisecond);

// Schema stage and every rule (with the study right), on documents already read.
void BM_SchemaAndRules(benchmark::State& state) {
  const Corpus& c = corpus();
  std::deque<hoks::JsonDocument> parsed(c.docs.size());
  for (std::size_t i = 0; i < c.docs.size(); ++i) parsed[i].parse(c.docs[i]);
  const hoks::Validator validator;
  std::vector<hoks::Finding> findings;
  for (auto _ : state) {
    for (const auto& doc : parsed) {
      findings.clear();
      validator.validate(doc.root(), c.options, findings);
    }
    benchmark::DoNotOptimize(findings.data());
  }
  count(state);
}
BENCHMARK(BM_SchemaAndRules)->Unit(benchmark::kMillisecond);

// What hoks validate does per input: split NDJSON, read, validate, locate and sort findings.
void BM_Pipeline(benchmark::State& state) {
  const Corpus& c = corpus();
  const hoks::Validator validator;
  std::vector<hoks::DocumentReport> reports;
  for (auto _ : state) {
    reports.clear();
    hoks::validate_text(validator, "corpus.ndjson", c.ndjson, c.options, reports, hoks::InputLayout::ndjson);
    benchmark::DoNotOptimize(reports.data());
  }
  count(state);
}
BENCHMARK(BM_Pipeline)->Unit(benchmark::kMillisecond);

std::vector<hoks::DocumentReport> corpus_reports() {
  const Corpus& c = corpus();
  std::vector<hoks::DocumentReport> reports;
  hoks::validate_text(hoks::Validator(), "corpus.ndjson", c.ndjson, c.options, reports, hoks::InputLayout::ndjson);
  return reports;
}

// Reporting: the text report (findings of the invalid documents and the totals).
void BM_ReportText(benchmark::State& state) {
  const auto reports = corpus_reports();
  hoks::ReportOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(hoks::render_text(reports, hoks::Catalog::builtin(), options));
  count(state);
}
BENCHMARK(BM_ReportText)->Unit(benchmark::kMillisecond);

// Reporting: the JSON report, which lists every document.
void BM_ReportJson(benchmark::State& state) {
  const auto reports = corpus_reports();
  hoks::ReportOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(hoks::render_json(reports, hoks::Catalog::builtin(), options));
  count(state);
}
BENCHMARK(BM_ReportJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
