// Internal: the HOKS as the sandbox stores it and GET shows it (ehoks-model.md §1).
#pragma once

#include <string>
#include <string_view>

#include "hoks/read/json.hpp"
#include "read/json_tree.hpp"

namespace hoks::serve {

// A random (version 4) UUID.
std::string uuid();

// The stored form of a normalized tree: nulls left out, the nine arrays, module-ids on nested
// parts, and (when `manual`, the virkailija routes) yksiloiva-tunniste UUIDs on OHTs.
std::string stored_from_tree(detail::Tree t, bool manual);

// What POST stores for a validated `body`, without the id: the text stored_from_tree gives for
// {"eid", the normalized body with the nested parts' ids removed, "manuaalisyotto"}, written
// straight from the tape.
std::string stored_from_body(JsonValue body, std::string_view eid, bool manual, const Model& model);

}  // namespace hoks::serve
