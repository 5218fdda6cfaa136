// Internal: apply_update on trees, for callers that hold the documents as trees (hoks serve).
#pragma once

#include "read/json_tree.hpp"

namespace hoks::detail {

// What apply_update returns, as a tree; `base` and `body` are normalized here.
Tree apply_tree(Tree base, Tree body, Operation op, const Model& model);

}  // namespace hoks::detail
