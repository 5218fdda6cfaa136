// Draft-07 JSON Schemas of the model, one per operation, generated from schema/model.yaml.
#pragma once

#include <string>

#include "hoks/model/model.hpp"

namespace hoks {

// The JSON Schema (draft-07) of `op`; what it cannot express (OID and Y-tunnus check digits,
// the rules of the rule catalog) is named in its description.
std::string json_schema(const Model& model, Operation op, bool manual_entry = false);

// Rules of the schema stage that a JSON Schema cannot express.
bool rule_outside_json_schema(std::string_view rule);

}  // namespace hoks
