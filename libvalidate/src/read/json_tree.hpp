// Internal: a mutable JSON tree (nlohmann::ordered_json) for the tools that rewrite documents
// (diff, apply), read with the library's own strict reader so errors carry positions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "hoks/model/model.hpp"

namespace hoks::detail {

using Tree = nlohmann::ordered_json;

// Parses `text` with hoks::JsonDocument; throws std::invalid_argument "what:line:col: reason".
Tree parse_tree(std::string_view text, std::string_view what);

// What eHOKS's coercion makes of a value of `type` before storing it: plain strings trimmed,
// integral numbers of integer fields as integers, null arrays as []; recursively through the model.
void normalize(Tree& value, const ValueType& type, const Model& model);

// Removes `id` and `module-id` from `value` and every object inside it.
void strip_ids(Tree& value);
// Removes `id` and `module-id` from every object below the top level (server-generated on PUT).
void strip_nested_ids(Tree& value);

// The nine sub-entity arrays of a HOKS (ehoks-model.md §1.1): true when `key` is one of them.
bool is_part_array(std::string_view key);
extern const char* const part_arrays[9];

}  // namespace hoks::detail
