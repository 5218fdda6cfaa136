// Validation of one HOKS document: schema stage (model tables), rule stage, code stage.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/model/catalog.hpp"
#include "hoks/check/checks.hpp"
#include "hoks/report/finding.hpp"
#include "hoks/read/json.hpp"
#include "hoks/model/model.hpp"
#include "hoks/read/study_right.hpp"

namespace hoks {

// Rule selection and severity overrides (configuration, --select, --ignore).
struct RuleConfig {
  std::set<std::string, std::less<>> select;  // empty: every rule
  std::set<std::string, std::less<>> ignore;
  std::map<std::string, Severity, std::less<>> severity;

  bool enabled(std::string_view rule) const;
};

struct ValidationOptions {
  Operation operation = Operation::create;
  bool manual_entry = false;                  // virkailija routes: skip oht-tunniste
  Date today = Date::today();                 // the date of date-relative rules (default: the current date)
  const StudyRight* study_right = nullptr;    // enables the context rules for every document
  // Otherwise, when not empty: each document's study right by its opiskeluoikeus-oid (one not among
  // them is study-right-not-found); a PUT/PATCH without the oid takes the only one.
  const StudyRights* study_rights = nullptr;
  const RuleConfig* config = nullptr;
  // Findings kept per document (0: no limit); the rest are counted in one findings-truncated finding.
  std::uint32_t max_findings = 1000;
  // context-missing was said at an earlier document of the run, which reports it once: it is not
  // made again (it still counts towards max_findings' findings-truncated when past the limit).
  bool context_noted = false;
};

class Validator {
 public:
  explicit Validator(const Model& model = Model::builtin(), const Catalog& catalog = Catalog::builtin());

  // Validates the document rooted at `root`; appends findings with paths relative to `root` and
  // byte offsets into the document's source (resolve them with resolve_locations).
  void validate(JsonValue root, const ValidationOptions& options, std::vector<Finding>& out) const;

  // Only the schema stage (structure and value types), as the generated JSON Schemas express it.
  void validate_schema(JsonValue root, Operation op, std::vector<Finding>& out) const;

  const Model& model() const { return model_; }
  const Catalog& catalog() const { return catalog_; }

 private:
  const Model& model_;
  const Catalog& catalog_;
};

// Fills the line and column of findings from their offsets; adds line_base - 1 to every line.
void resolve_locations(std::vector<Finding>& findings, LineIndex& index, std::uint32_t line_base = 1);


}  // namespace hoks
