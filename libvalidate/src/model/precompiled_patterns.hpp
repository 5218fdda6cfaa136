// Internal: the patterns of the built-in models, compiled when the library was built
// (precompile_yaml writes them into the generated precompiled_yaml.cpp), so that loading a model
// at startup does not build their automata again.
#pragma once

#include <cstddef>

#include "hoks/model/pattern.hpp"

namespace hoks::detail {

extern const detail::PatternTables precompiled_patterns[];
extern const std::size_t precompiled_pattern_count;

}  // namespace hoks::detail
