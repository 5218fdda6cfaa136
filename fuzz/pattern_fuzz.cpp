// Fuzzes the pattern compiler (the model's Java-regex subset) and its matcher.
// Input: the pattern, a NUL byte, then the text to match.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hoks/model/pattern.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = all.find('\0');
  const std::string_view source = all.substr(0, nul);
  const std::string_view text = nul == std::string_view::npos ? std::string_view{} : all.substr(nul + 1);
  std::string error;
  const auto pattern = hoks::Pattern::compile(source, &error);
  if (!pattern) return 0;
  pattern->find(text);
  pattern->needs_final_terminator(text);
  pattern->find(source);
  return 0;
}
