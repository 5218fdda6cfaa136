// Whole inputs: one file may hold one HOKS, a JSON array of HOKSes, or NDJSON (one per line).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/report/finding.hpp"
#include "hoks/check/validate.hpp"

namespace hoks {

enum class InputLayout : std::uint8_t { automatic, single, ndjson };

// Limits of one input (hostile input); 0 means "no limit". Findings per document: ValidationOptions.
struct InputLimits {
  InputLimits(const JsonLimits& json_limits = {}) : json(json_limits) {}
  JsonLimits json;                       // per document: depth, size, string length
  std::uint32_t max_documents = 100000;  // documents of one JSON array or NDJSON stream
};

// Splits `text` into documents, validates each, and appends one report per document.
// A document that is not well-formed gets one `syntax` finding at the position where reading failed;
// past limits.max_documents, one more report holds a `syntax` finding (too_many_documents) and the
// count of the documents left unchecked (not_checked), and reading stops.
void validate_text(const Validator& validator, std::string_view source, std::string_view text,
                   const ValidationOptions& options, std::vector<DocumentReport>& out,
                   InputLayout layout = InputLayout::automatic, const InputLimits& limits = {});

// Sorts findings into report order: by line, column, rule, path.
void sort_findings(std::vector<Finding>& findings);

}  // namespace hoks
