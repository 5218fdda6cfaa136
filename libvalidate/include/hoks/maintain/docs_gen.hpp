// The generated reference: a page per entity and per rule, as Markdown and as static HTML,
// rendered from the model, the rule catalog, the changelog and the rule fixtures.
#pragma once

#include <map>
#include <string>

#include "hoks/maintain/fixtures.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/model/model.hpp"
#include "hoks/model/versions.hpp"

namespace hoks {

// Every page of the reference, by path relative to the output folder: README.md, entities/X.md,
// rules/X.md, and the same under html/ as .html. Deterministic for the same inputs.
std::map<std::string, std::string> reference_docs(const Model& model, const Catalog& catalog,
                                                  const ModelVersions& versions, const RuleFixtureSet& fixtures);

// The rule catalog as `hoks rules` prints it: a table in `lang`, or JSON (`json`).
std::string render_rule_list(const Catalog& catalog, bool json, Lang lang);

// One rule as `hoks explain` prints it: what, why, fix, and the first finding of the rule's
// fail-1.json fixture with the lines around it (`fixtures` may be null; study rights the fixture
// names are read from `context_dir`).
std::string render_rule_explanation(const Rule& rule, Lang lang, const RuleFixtures* fixtures,
                                    const std::filesystem::path& context_dir);

}  // namespace hoks
