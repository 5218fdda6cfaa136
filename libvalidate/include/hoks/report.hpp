// Reports: findings of many documents rendered for people (text) and programs (json).
#pragma once

#include <string>
#include <vector>

#include "hoks/batch.hpp"
#include "hoks/catalog.hpp"

namespace hoks {

struct ReportOptions {
  Lang lang = Lang::fi;
  bool color = false;        // ANSI colours (text)
  bool hints = true;         // text: print the fix hint under each finding
  bool redact = false;       // leave out values echoed from the documents
  Severity fail_on = Severity::error;
  std::string tool_version;
  std::string ruleset;
};

struct Summary {
  std::size_t documents = 0, valid = 0, errors = 0, warnings = 0, infos = 0;
  bool failed = false;  // some finding at or above fail_on
};

Summary summarize(const std::vector<DocumentReport>& reports, Severity fail_on);

// Compiler-style text: "file:line:col: error[rule]: message", then the hint.
std::string render_text(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options);
// The JSON report of docs/architecture.md.
std::string render_json(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options);

// The message of a finding, with echoed values left out when redacting.
std::string finding_message(const Finding& f, const Catalog& catalog, const ReportOptions& options);

}  // namespace hoks
