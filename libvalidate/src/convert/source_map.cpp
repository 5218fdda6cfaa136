#include "hoks/convert/source_map.hpp"

#include <algorithm>

namespace hoks {

void SourceMap::add(std::string pointer, Location where) {
  if (sorted_ && !entries_.empty() && entries_.back().first >= pointer) sorted_ = false;
  entries_.emplace_back(std::move(pointer), std::move(where));
}

void SourceMap::sort() const {
  if (sorted_) return;
  // Stable, so that the last add of a pointer is the last of its run.
  std::stable_sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  // Keep only the last entry of each pointer.
  std::vector<std::pair<std::string, Location>> unique;
  unique.reserve(entries_.size());
  for (auto& e : entries_) {
    if (!unique.empty() && unique.back().first == e.first) unique.back() = std::move(e);
    else unique.push_back(std::move(e));
  }
  entries_ = std::move(unique);
  sorted_ = true;
}

const Location* SourceMap::find(std::string_view pointer) const {
  sort();
  for (;;) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), pointer,
                               [](const auto& e, std::string_view p) { return std::string_view(e.first) < p; });
    if (it != entries_.end() && it->first == pointer) return &it->second;
    if (pointer.empty()) return nullptr;
    const std::size_t slash = pointer.rfind('/');
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(0, slash);
  }
}

}  // namespace hoks
