// Fuzzes the reader of KOSKI study rights (--opiskeluoikeus).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hoks/check/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto sr = hoks::parse_study_right(text, error);
  if (!sr && error.empty()) std::abort();  // a failure always says why
  if (sr) sr->treated_as_left();
  return 0;
}
