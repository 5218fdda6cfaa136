// Fuzzes the baseline reader: a bad file throws BaselineError (a runtime_error), never anything
// else; a baseline that loads is applied to a document report without crashing.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "hoks/report/baseline.hpp"
#include "hoks/model/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    hoks::Baseline baseline = hoks::Baseline::parse(std::string_view(reinterpret_cast<const char*>(data), size));
    hoks::DocumentReport doc;
    doc.source = "a.json";
    baseline.apply(doc, hoks::Catalog::builtin());
    baseline.unvisited();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
