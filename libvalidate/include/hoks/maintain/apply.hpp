// What eHOKS stores after an update: PATCH and PUT semantics of ehoks-model.md §4.3, as data.
#pragma once

#include <string>
#include <string_view>

#include "hoks/model/model.hpp"

namespace hoks {

// Top-level fields that a PUT sets to null when the body omits them (ehoks-model.md §4.3).
bool put_clears_when_omitted(std::string_view key);
// Top-level fields that a PUT keeps when the body omits them (puhelinnumero, the OIDs, ...).
bool put_keeps_when_omitted(std::string_view key);

// The HOKS as eHOKS stores it after applying `body` with `op` to `base`, in the shape of a GET
// response without server-generated nested ids: update (PATCH) changes only the top-level values
// it carries; replace (PUT) clears the fields of put_clears_when_omitted, keeps the others and
// replaces all nine sub-entity arrays (an omitted array becomes empty). Values are stored as
// eHOKS's coercion makes them (plain strings trimmed). Assumes the body is valid for `op` (check
// it with Validator first). Throws std::invalid_argument for input that is not well-formed, an
// operation other than update/replace, a PATCH that carries sub-entities, or a body id that
// differs from the base id (eHOKS would write another HOKS, §4.4).
std::string apply_update(std::string_view base_json, std::string_view body_json, Operation op,
                         const Model& model = Model::builtin());

}  // namespace hoks
