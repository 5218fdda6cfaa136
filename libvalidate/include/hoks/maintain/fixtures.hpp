// The rule fixtures (fixtures/rules/<rule-id>/): example documents that trigger a rule (fail-*.json)
// or do not (pass-*.json), and the options each is checked with (options.yaml). One reader for the
// tests, the reference docs and `hoks explain`.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hoks/check/validate.hpp"
#include "hoks/read/study_right.hpp"

namespace hoks {

// The fixtures of one rule: its example files and its options.yaml.
struct RuleFixtures {
  std::map<std::string, std::string> files;  // "fail-1.json" -> text; "pass-1.json" -> text
  std::string options_yaml;                  // "" when the rule has no options.yaml
};

// Rule id -> its fixtures; a rule without an entry has no examples.
using RuleFixtureSet = std::map<std::string, RuleFixtures, std::less<>>;

// The options of one fixture file (default: create, today 2026-11-28, no study right).
struct FixtureOptions {
  std::optional<Operation> operation;
  std::optional<Date> today;
  bool manual_entry = false;
  std::string context;  // a study right of fixtures/context/ by file name without .json; "" for none
  std::string study_rights;  // study rights looked up by the document's oid (fixtures/context/NAME.json)
  std::string written;  // the entry as options.yaml writes it (flow YAML); "" when it has none

  // These options as validation options (without the study right, which the caller loads).
  ValidationOptions validation() const;
};

// A fixture's options with the study rights they name, read from `context_dir` (fixtures/context).
class FixtureContext {
 public:
  // Throws StudyRightError when a named study right cannot be read.
  FixtureContext(const FixtureOptions& fixture, const std::filesystem::path& context_dir);
  FixtureContext(const FixtureContext&) = delete;
  FixtureContext& operator=(const FixtureContext&) = delete;

  // The validation options, pointing at this object's study rights (it must outlive them).
  ValidationOptions validation() const;

 private:
  FixtureOptions fixture_;
  std::optional<StudyRight> study_right_;
  StudyRights study_rights_;
};

// Options of fixture `file` from a rule's options.yaml text; throws std::runtime_error on bad YAML.
FixtureOptions fixture_options(std::string_view options_yaml, std::string_view file);

// The fixtures of every rule folder under `dir` (fixtures/rules); empty when `dir` does not exist.
// Throws std::runtime_error when a folder or file cannot be read.
RuleFixtureSet read_rule_fixtures(const std::filesystem::path& dir);

}  // namespace hoks
