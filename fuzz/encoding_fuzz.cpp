// Fuzzes the encoding conversions: decoding gives valid UTF-8, and encoding it back and
// decoding again gives the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hoks/read/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static constexpr hoks::Encoding all[] = {hoks::Encoding::utf8,        hoks::Encoding::utf8_bom,
                                           hoks::Encoding::windows1252, hoks::Encoding::iso8859_1,
                                           hoks::Encoding::utf16le,     hoks::Encoding::utf16be};
  hoks::detect(bytes);
  hoks::parse_encoding(bytes);
  for (const hoks::Encoding e : all) {
    std::string text;
    if (const auto error = hoks::to_utf8(bytes, e, text)) {
      if (error->offset > size) std::abort();
      continue;
    }
    if (hoks::find_invalid_utf8(text)) std::abort();
    std::string encoded;
    if (const auto error = hoks::from_utf8(text, e, encoded)) {
      if (error->offset > text.size()) std::abort();
      continue;
    }
    // A leading U+FEFF is read as a byte order mark and dropped: the documented exception.
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) continue;
    std::string again;
    if (hoks::to_utf8(encoded, e, again) || again != text) std::abort();
  }
  std::string out;
  hoks::from_utf8(bytes, hoks::Encoding::windows1252, out);
  return 0;
}
