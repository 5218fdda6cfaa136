// Internal: what a rule check sees while a document is validated.
#pragma once

#include <initializer_list>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "check/rule_ids.hpp"
#include "hoks/check/validate.hpp"

namespace hoks::detail {

struct ObjectRef {
  int entity;
  std::uint32_t node;
  bool clean;                // no schema finding inside (eHOKS runs object constraints only then)
  std::uint64_t clean_fields;  // bit f: field f is present and its value has no schema finding
};

// A finding's named values, as views: report() copies them into the finding.
using Args = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class RuleRun {
 public:
  RuleRun(const Validator& v, JsonValue root, const ValidationOptions& o, std::vector<Finding>& out)
      : validator(v), model(v.model()), root(root), options(o), out_(out), first_(out.size()) {}

  // Reports `rule` at `at` unless the configuration disables it; `position` overrides the offset.
  void report(RuleId rule, JsonValue at, Args args = {}, JsonValue position = {});
  // The same with one argument.
  void report(RuleId rule, JsonValue at, std::string_view name, std::string_view value) {
    report(rule, at, {{name, value}});
  }
  std::size_t reported() const { return out_.size(); }
  // Whether report(rule, ...) would add a finding (the rule is enabled and max_findings not reached).
  bool would_add(RuleId rule) {
    return enabled(rule) && !(options.max_findings && out_.size() - first_ >= options.max_findings);
  }
  // Whether the configuration lets `rule` run (the configuration is asked once per document).
  bool enabled(RuleId rule) { return !options.config || state(rule).enabled; }

  const Validator& validator;
  const Model& model;
  JsonValue root;
  const ValidationOptions& options;
  std::vector<ObjectRef> objects;
  // Osa-alue codes named in any demonstration of the document (legal-demonstration), built once.
  std::optional<std::set<std::string_view>> demonstrated_areas;
  // The document's ensikertainen-hyvaksyminen (legal-teaching-hours, per unit), read once.
  std::optional<std::optional<Date>> first_approval;
  std::size_t attempts = 0;                   // calls of report(), reported or not (a check failed)
  std::size_t dropped = 0;                    // findings past options.max_findings
  Severity dropped_severity = Severity::info;  // the highest severity among them

 private:
  std::vector<Finding>& out_;
  std::size_t first_;  // out_.size() when the run started
  // A rule's configured verdict, asked at its first use in the document, and its catalog entry,
  // looked up at its first finding.
  struct RuleState {
    const Rule* rule = nullptr;
    Severity severity = Severity::error;
    bool enabled = true;
    bool configured = false;
    bool looked_up = false;
  };
  RuleState& state(RuleId rule);
  RuleState states_[std::size(rule_facts)];
};

// A check registered under its catalog id; where and when it runs is the catalog's (rule_facts).
// It is given the object of one of the rule's entities (the root for document rules).
struct RuleImpl {
  RuleId id;
  void (*check)(RuleRun&, JsonValue object);
};

// Every rule check implemented in C++: the eHOKS rules (rules_ehoks.cpp) and the warnings (rules_quality.cpp).
const std::vector<RuleImpl>& rule_table();
const std::vector<RuleImpl>& quality_rule_table();

// Helpers for checks.
std::optional<Date> date_of(JsonValue object, std::string_view key);
std::string_view string_of(JsonValue object, std::string_view key);
std::string date_text(const Date& d);

}  // namespace hoks::detail
