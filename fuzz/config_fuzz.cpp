// Fuzzes the hoks.yaml reader: bad YAML, unknown keys or bad values throw ConfigError (a
// runtime_error), never anything else.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "hoks/model/catalog.hpp"
#include "hoks/batch/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    hoks::parse_config(std::string_view(reinterpret_cast<const char*>(data), size), "hoks.yaml",
                       hoks::Catalog::builtin());
  } catch (const std::runtime_error&) {
  }
  return 0;
}
