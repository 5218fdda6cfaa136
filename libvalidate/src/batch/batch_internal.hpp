// Shared by validate_text and the batch engine.
#pragma once

#include <string_view>
#include <vector>

#include "hoks/batch/batch.hpp"

namespace hoks::detail {

// Appends the report that says document `index`, starting at `line`:`column` (byte `offset`), is past
// limits.max_documents.
void add_too_many_documents(std::vector<DocumentReport>& out, std::string_view source, std::uint32_t index,
                            std::uint32_t line, const ValidationOptions& options, std::uint32_t column = 1,
                            std::size_t offset = 0);

// Validates the document of one NDJSON line (`row`, without its line break) as document `index`
// on line `line`, and appends its report. `doc` is reused from line to line.
void validate_ndjson_line(const Validator& validator, std::string_view source, std::string_view row, std::uint32_t index,
                          std::uint32_t line, const ValidationOptions& options, const JsonLimits& limits,
                          std::vector<DocumentReport>& out, JsonDocument& doc);

}  // namespace hoks::detail
