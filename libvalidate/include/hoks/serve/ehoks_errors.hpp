// eHOKS's HTTP 400 schema-error body (ehoks-model.md §0.3) rendered from hokskit's findings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/model/model.hpp"
#include "hoks/read/json.hpp"
#include "hoks/report/finding.hpp"

namespace hoks::serve {

// The `errors` tree (compact JSON) of the error findings of the document `doc`, whose root was
// validated: maps of failing keys, positional arrays with null for valid items, eHOKS's leaf strings.
std::string ehoks_errors(const JsonDocument& doc, const std::vector<Finding>& findings,
                         const Model& model = Model::builtin());

// The whole 400 body: errors, coercion, value (the body echoed), in, type.
std::string ehoks_validation_body(const JsonDocument& doc, const std::vector<Finding>& findings,
                                  const Model& model = Model::builtin());

// Clojure's (hash (keyword key)): it orders the keys of a map of more than 8 keys.
std::int32_t clojure_keyword_hash(std::string_view key);

// Clojure's printed form of a value as an eHOKS leaf shows it (schema.utils/value-name).
std::string clojure_value_name(JsonValue v);

}  // namespace hoks::serve
