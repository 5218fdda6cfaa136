// The data files of schema/ linked into the library (see libvalidate/CMakeLists.txt).
#include <cstring>

#include "hoks/model/model.hpp"

#define HOKS_EMBED(symbol, file)                                   \
  __asm__(".section .rodata\n"                                     \
          ".global " #symbol "_begin\n" #symbol "_begin:\n"        \
          ".incbin \"" HOKS_SCHEMA_DIR "/" file "\"\n"             \
          ".global " #symbol "_end\n" #symbol "_end:\n"            \
          ".byte 0\n"                                              \
          ".previous\n");                                          \
  extern "C" const char symbol##_begin[];                          \
  extern "C" const char symbol##_end[];

HOKS_EMBED(hoks_model_yaml, "model.yaml")
HOKS_EMBED(hoks_rules_yaml, "rules.yaml")
HOKS_EMBED(hoks_codes_yaml, "codes.yaml")
HOKS_EMBED(hoks_changelog_yaml, "changelog.yaml")
HOKS_EMBED(hoks_model_2023_11_30_yaml, "models/2023-11-30/model.yaml")

namespace hoks {

std::string_view embedded_file(std::string_view name) {
  if (name == "model.yaml") return {hoks_model_yaml_begin, static_cast<std::size_t>(hoks_model_yaml_end - hoks_model_yaml_begin)};
  if (name == "rules.yaml") return {hoks_rules_yaml_begin, static_cast<std::size_t>(hoks_rules_yaml_end - hoks_rules_yaml_begin)};
  if (name == "codes.yaml") return {hoks_codes_yaml_begin, static_cast<std::size_t>(hoks_codes_yaml_end - hoks_codes_yaml_begin)};
  if (name == "changelog.yaml") return {hoks_changelog_yaml_begin, static_cast<std::size_t>(hoks_changelog_yaml_end - hoks_changelog_yaml_begin)};
  if (name == "models/2023-11-30/model.yaml")
    return {hoks_model_2023_11_30_yaml_begin,
            static_cast<std::size_t>(hoks_model_2023_11_30_yaml_end - hoks_model_2023_11_30_yaml_begin)};
  return {};
}

}  // namespace hoks
