// Fuzzes the rule catalog loader: bad input throws std::runtime_error, never anything else.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "hoks/model/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    hoks::Catalog::load(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::runtime_error&) {
  }
  return 0;
}
