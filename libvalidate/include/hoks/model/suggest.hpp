// "Did you mean": the known word closest to a misspelt one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hoks {

// The candidate nearest to `word` by edit distance (adjacent swaps count as one edit), or "" when
// none is near enough to be a likely misspelling (at most a third of the word's length, at least 1).
std::string closest_word(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace hoks
