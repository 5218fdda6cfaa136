// Source maps: where each value of a converted (canonical JSON) document came from in the file the
// user gave: XML line and column, or CSV file, row, column number and header.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoks/report/finding.hpp"

namespace hoks {

// JSON pointer (into the canonical document) -> original position.
class SourceMap {
 public:
  // Records where the value at `pointer` came from (a later add for the same pointer wins).
  void add(std::string pointer, Location where);
  // The position of `pointer`, or of its nearest ancestor that the map knows; nullptr if none.
  const Location* find(std::string_view pointer) const;
  // Number of recorded pointers.
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  void sort() const;
  mutable std::vector<std::pair<std::string, Location>> entries_;
  mutable bool sorted_ = true;
};

}  // namespace hoks
