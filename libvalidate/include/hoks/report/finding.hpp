// Findings: what a check reports, with a stable rule id, a severity and an exact location.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoks/model/model.hpp"

namespace hoks {

enum class Severity : std::uint8_t { info, warning, error };

std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

// Where a finding points in the file the user gave.
struct Location {
  std::uint32_t line = 0;    // 1-based; 0 = unknown
  std::uint32_t column = 0;  // 1-based, in characters
  std::string header;        // CSV: the column's header name
  std::string file;          // when it differs from the document's source (CSV tables, XML)
};

struct Finding {
  std::string rule;
  Severity severity = Severity::error;
  std::string path;          // RFC 6901 pointer into the canonical document
  Location location;
  std::uint32_t offset = 0;  // byte offset in the source, until resolved into location
  // Named values that fill the message template of the rule ({name} placeholders).
  std::vector<std::pair<std::string, std::string>> args;

  // The value of argument `name`, or "".
  std::string_view arg(std::string_view name) const;
};

// The findings of one document of an input.
struct DocumentReport {
  std::string source;        // file name as the user gave it ("-" for standard input)
  std::uint32_t index = 0;   // position of the document in its file (0 for a single document)
  std::uint32_t line = 1;    // line where the document starts
  Operation operation = Operation::create;
  std::vector<Finding> findings;
  std::uint32_t not_checked = 0;  // documents after this one that a limit (max_documents) left unchecked
  // Which document it is, from its top-level keys ("" when absent or not a string or number):
  // eHOKS's `id`, `opiskeluoikeus-oid` and `oppija-oid`.
  std::string id, opiskeluoikeus_oid, oppija_oid;

  bool valid() const;        // no finding of severity error
};

}  // namespace hoks
