// `hoks validate --from`: input in XML, CSV or a vendor's format converted to canonical JSON,
// validated, and every finding moved back to its place in the input.
#pragma once

#include <string>
#include <vector>

#include "hoks/batch/batch.hpp"
#include "hoks/convert/mapping.hpp"

namespace hoks {

// The reports of one converted input, and the canonical JSON they were validated from.
struct ConvertedReports {
  std::vector<DocumentReport> documents;  // at least one
  std::string json;                       // empty when the conversion failed
};

// Converts `files` (one input named `source`) with `profile`, validates the documents and moves
// each finding to the input's position through the source map (the canonical pointer stays in
// Finding::path); conversion findings join the report of their document. A string longer than
// limits.json.max_string_bytes is reported where it is in the input.
ConvertedReports validate_converted(const Validator& validator, const Profile& profile, const std::vector<NamedFile>& files,
                                    const std::string& source, const ValidationOptions& options,
                                    const InputLimits& limits = {});

}  // namespace hoks
