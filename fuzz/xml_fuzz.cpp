// Fuzzes the XML readers: canonical XML (first byte even) must give back what it read after a
// write and a second read (hoks/xml.hpp's round-trip promise); the example vendor profile (first
// byte odd) must read any bytes into findings or a document, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "hoks/convert/mapping.hpp"
#include "hoks/read/xml.hpp"

namespace {

const hoks::Profile& vendor_profile() {
  static const hoks::Profile profile = [] {
    std::ifstream in(HOKS_SOURCE_DIR "/schema/profiles/example-vendor-xml.yaml", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return hoks::Profile::load(text.str(), "example-vendor-xml.yaml");
  }();
  return profile;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) {
    vendor_profile().read({hoks::NamedFile{"vendor.xml", std::string(text)}});
    return 0;
  }
  const hoks::Conversion first = hoks::read_canonical_xml(text, "input.xml");
  if (first.fatal || first.has_errors()) return 0;
  const std::string written = hoks::write_canonical_xml(first.document);
  const hoks::Conversion second = hoks::read_canonical_xml(written, "written.xml");
  if (second.fatal || !hoks::same_json(first.document, second.document)) std::abort();
  return 0;
}
