// The generated reference: a page per entity and per rule, as Markdown and as static HTML,
// rendered from the model, the rule catalog, the changelog and the rule fixtures.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hoks/model/catalog.hpp"
#include "hoks/model/model.hpp"
#include "hoks/model/versions.hpp"

namespace hoks {

// The fixtures of one rule (fixtures/rules/<id>/): its example files and its options.yaml.
struct RuleFixtures {
  std::map<std::string, std::string> files;  // "fail-1.json" -> text; "pass-1.json" -> text
  std::string options_yaml;                  // "" when the rule has no options.yaml
};

// Rule id -> its fixtures; a rule without an entry gets a page without examples.
using RuleFixtureSet = std::map<std::string, RuleFixtures, std::less<>>;

// Every page of the reference, by path relative to the output folder: README.md, entities/X.md,
// rules/X.md, and the same under html/ as .html. Deterministic for the same inputs.
std::map<std::string, std::string> reference_docs(const Model& model, const Catalog& catalog,
                                                  const ModelVersions& versions, const RuleFixtureSet& fixtures);

}  // namespace hoks
