// Model versions: the current model and earlier states of it, selectable by version, with the
// changelog (schema/changelog.yaml) kept as data and checked against the models themselves.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/model/model.hpp"
#include "hoks/check/validate.hpp"

namespace hoks {

// One recorded change of a version relative to the version before it.
struct ModelChange {
  // entity-added | entity-removed | field-added | field-removed | field-changed | text-changed |
  // type-added | type-removed | type-changed | rule-added | severity-changed
  std::string kind;
  std::string entity, field, type, rule;  // what changed (the ones that apply to the kind)
  std::string from, to;                   // field-changed: ops letters; severity-changed: severities
  Text text;                              // what the change means, fi and en
  std::string ref;                        // where it comes from (eHOKS ticket, law, document)

  // "field-added HOKS.oppimisen-tuki": the identity of the change (without text and ref).
  std::string key() const;
};

struct ModelVersion {
  std::string version;    // "2026-07-16": the model's own version string
  std::string effective;  // YYYY-MM-DD from which eHOKS accepts documents under this model
  std::string ruleset;    // version label of the rule set that goes with the model
  std::string file;       // embedded file of the model ("model.yaml", "models/V/model.yaml")
  Text summary;
  std::vector<ModelChange> changes;  // relative to the next older version (empty for the oldest)
};

class ModelVersions {
 public:
  // Loads a changelog; `file` gives the text of a model file it names. Throws std::runtime_error
  // on a bad changelog, an unknown model file, or a model whose version differs from its entry.
  static std::shared_ptr<const ModelVersions> load(std::string_view changelog_yaml,
                                                   std::string_view (*file)(std::string_view));
  // The versions built into the library (schema/changelog.yaml; the current one is Model::builtin()).
  static const ModelVersions& builtin();

  // Newest first; versions()[0] is the current model.
  const std::vector<ModelVersion>& versions() const { return versions_; }
  const ModelVersion& current() const { return versions_.front(); }
  // The entry of `version`, or nullptr.
  const ModelVersion* find(std::string_view version) const;
  // The compiled model of `version`; throws std::out_of_range for an unknown version.
  const Model& model(std::string_view version) const;
  // Rules that did not exist yet in `version` (added by a newer version), to be left out.
  std::vector<std::string> rules_not_in(std::string_view version) const;
  // Adds what `version` means for the rule set to `config`: later rules ignored, earlier severities.
  void apply_rule_set(std::string_view version, RuleConfig& config) const;
  // "2026-07-16, 2023-11-30": the selectable versions, for messages.
  std::string names() const;

 private:
  std::vector<ModelVersion> versions_;
  std::vector<std::shared_ptr<const Model>> models_;  // by index of versions_
};

// The structural and textual differences from `older` to `newer` (entities, fields, types), in a
// stable order: what a changelog entry must record. Rule changes are not part of a model.
std::vector<ModelChange> model_changes(const Model& older, const Model& newer);

// How one finding fared between two versions.
enum class ImpactKind : std::uint8_t { appeared, vanished, severity_changed };
std::string_view to_string(ImpactKind kind);

struct ImpactEntry {
  ImpactKind kind = ImpactKind::appeared;
  std::string source;      // file
  std::uint32_t index = 0; // document in the file
  std::string rule, path;
  Severity from = Severity::error, to = Severity::error;  // vanished: from; appeared: to
};

// Per rule: how many findings appeared, vanished or changed severity.
struct ImpactTotal {
  std::string rule;
  std::size_t appeared = 0, vanished = 0, severity_changed = 0;
};

struct ImpactReport {
  std::vector<ImpactEntry> entries;  // ordered by source, index, rule, path
  std::vector<ImpactTotal> totals;   // ordered by rule
  std::size_t documents = 0;
  std::size_t valid_before = 0, valid_after = 0;
};

// Compares the reports of the same documents under two versions (same order of documents):
// findings are matched by (source, document, rule, path).
ImpactReport compare_reports(const std::vector<DocumentReport>& before, const std::vector<DocumentReport>& after);

}  // namespace hoks
