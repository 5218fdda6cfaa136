// Fuzzes the model loader: bad YAML or a bad model throws std::runtime_error, never anything else.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "hoks/model/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    hoks::Model::load(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::runtime_error&) {
  }
  return 0;
}
