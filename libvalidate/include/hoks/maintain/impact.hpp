// `hoks impact`: a corpus validated under two model versions, and what the change does to it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hoks/batch/engine.hpp"
#include "hoks/model/versions.hpp"

namespace hoks {

// Validates `sources` under model versions `from` and `to` (each with its rule set) and compares
// the findings. Throws std::out_of_range for an unknown version; BatchError for unreadable input.
ImpactReport measure_impact(const std::vector<BatchSource>& sources, std::string_view from, std::string_view to,
                            const ValidationOptions& options);

// The report as text in one language, or as JSON (`json`).
std::string render_impact(const ImpactReport& report, std::string_view from, std::string_view to, bool json, Lang lang);

}  // namespace hoks
