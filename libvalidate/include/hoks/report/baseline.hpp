// Baselines: findings accepted for now, recorded in a file, so that CI fails only on new ones.
// An entry is matched by document (source and index), rule and path, never by line, so edits
// elsewhere in the file do not break it; entries that no longer match are reported as stale.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/check/validate.hpp"

namespace hoks {

// A baseline file that cannot be read; the message has the line and column.
struct BaselineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct BaselineEntry {
  std::string source;
  std::uint32_t index = 0;
  std::string rule;
  std::string path;

  auto key() const { return std::tie(source, index, rule, path); }
  bool operator<(const BaselineEntry& o) const { return key() < o.key(); }
  bool operator==(const BaselineEntry& o) const { return key() == o.key(); }
};

// The rule id of the info finding that reports a stale baseline entry.
inline constexpr std::string_view baseline_stale_rule = "baseline-stale";

class Baseline {
 public:
  Baseline() = default;
  // Reads a baseline file (see render_baseline); throws BaselineError.
  static Baseline parse(std::string_view json);

  // Removes from doc.findings those recorded in the baseline (each entry hides one finding) and
  // adds a baseline-stale finding for each entry of this document that hid none. Returns the
  // number of findings removed. `config` may disable or re-grade baseline-stale. Several threads
  // may apply the baseline at once (to the documents they validated).
  std::size_t apply(DocumentReport& doc, const Catalog& catalog, const RuleConfig* config = nullptr);

  std::size_t size() const { return size_; }
  // Entries whose document was never passed to apply() (e.g. a file not in this run).
  std::size_t unvisited() const;

 private:
  // (source, index) -> entries (rule, path), sorted; `visited` once apply() saw the document.
  struct Document {
    std::vector<std::pair<std::string, std::string>> entries;
    std::atomic<bool> visited{false};
  };
  std::map<std::pair<std::string, std::uint32_t>, Document, std::less<>> documents_;
  std::size_t size_ = 0;
};

// Appends the entries of a document's findings (all but baseline-stale) to `out`.
void record_baseline(const DocumentReport& doc, std::vector<BaselineEntry>& out);
// The baseline file of `entries`: JSON, sorted, one entry a line, so that diffs stay readable.
std::string render_baseline(std::vector<BaselineEntry> entries, std::string_view ruleset);

}  // namespace hoks
