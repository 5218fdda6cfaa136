// Fuzzes the mapping-profile loader: bad YAML or a bad profile throws ProfileError (a
// runtime_error), never anything else; a profile that loads reads the shipped vendor fixture of its
// format and writes the result back without crashing.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hoks/convert/mapping.hpp"

namespace {

std::string fixture(const char* name) {
  std::ifstream in(std::string(HOKS_SOURCE_DIR "/fixtures/vendor/") + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string xml = fixture("opintohallinto.xml"), csv = fixture("opinto.csv");
  try {
    const hoks::Profile profile =
        hoks::Profile::load(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
    const bool xml_format = profile.format() == hoks::Profile::Format::xml ||
                            profile.format() == hoks::Profile::Format::canonical_xml;
    const hoks::Conversion read = profile.read({hoks::NamedFile{xml_format ? "in.xml" : "in.csv", xml_format ? xml : csv}});
    if (!read.fatal) profile.write(read.document);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
