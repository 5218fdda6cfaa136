// Fuzzes the whole validate pipeline: a single document, a JSON array or NDJSON, through the
// schema and rule stages (with and without a study right) to the text and JSON reports.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "hoks/batch/batch.hpp"
#include "hoks/report/report.hpp"
#include "hoks/check/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const hoks::Validator validator;
  static const hoks::StudyRight study_right = [] {
    hoks::StudyRight sr;
    sr.tyyppi = "ammatillinenkoulutus";
    sr.alkamispaiva = hoks::Date{2024, 8, 1};
    sr.arvioitu_paattymispaiva = hoks::Date{2027, 5, 31};
    sr.latest_tila = "eronnut";
    return sr;
  }();
  if (size == 0) return 0;
  // The first byte picks the options; the rest is the input.
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  hoks::ValidationOptions options;
  options.operation = static_cast<hoks::Operation>(mode % 3);
  options.manual_entry = (mode & 4) != 0;
  options.today = hoks::Date{2026, 11, 28};
  if (mode & 8) options.study_right = &study_right;
  const auto layout = (mode & 16) ? hoks::InputLayout::ndjson : hoks::InputLayout::automatic;
  std::vector<hoks::DocumentReport> reports;
  hoks::validate_text(validator, "fuzz.json", text, options, reports, layout);
  hoks::ReportOptions report;
  report.lang = static_cast<hoks::Lang>((mode >> 5) % 3);
  report.redact = (mode & 128) != 0;
  hoks::render_text(reports, validator.catalog(), report);
  hoks::render_json(reports, validator.catalog(), report);
  return 0;
}
