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

}  // namespace hoks::detail
