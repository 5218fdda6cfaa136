// hoks/encoding.hpp: text-encoding detection and conversion to and from UTF-8.
//
// Everything inside hokskit works on UTF-8; these functions bring vendor files (Excel's
// windows-1252 CSV, UTF-16 exports, UTF-8 with a byte order mark) into UTF-8 and back.
// Conversions are strict: a byte sequence that is not valid in the source encoding, or a
// character that the target encoding cannot represent, is an error with its byte offset.
// Nothing is ever replaced silently (no U+FFFD, no '?'). The library never prints or exits.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hoks {

// The encodings hokskit reads and writes.
enum class Encoding {
    utf8,         // UTF-8 without a byte order mark
    utf8_bom,     // UTF-8 with a byte order mark (EF BB BF), as Excel writes it
    windows1252,  // Windows code page 1252 (Western European; Excel's "CSV" on Finnish Windows)
    iso8859_1,    // ISO-8859-1 (Latin-1): bytes 00-FF are U+0000-U+00FF
    utf16le,      // UTF-16 little endian (read: optional BOM stripped; write: no BOM)
    utf16be,      // UTF-16 big endian (read: optional BOM stripped; write: no BOM)
};

// A byte sequence that is not valid in the source encoding.
struct DecodeError {
    std::size_t offset = 0;  // byte offset of the offending sequence in the input
    std::string message_fi;
    std::string message_en;
};

// A character that the target encoding cannot represent (or invalid UTF-8 input).
struct EncodeError {
    std::size_t offset = 0;       // byte offset of the character in the UTF-8 input
    char32_t code_point = 0;      // the character (0 when the input itself is not valid UTF-8)
    std::string message_fi;
    std::string message_en;
};

// Guesses the encoding: a BOM decides (UTF-8, UTF-16 LE/BE); else valid UTF-8; else windows-1252.
Encoding detect(std::string_view bytes) noexcept;

// Returns the byte offset of the first invalid UTF-8 sequence, or nothing when bytes is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) noexcept;

// Converts bytes in the given encoding to UTF-8 in out (replacing its contents; a leading BOM
// is dropped); on error out holds the text converted before the offending bytes.
std::optional<DecodeError> to_utf8(std::string_view bytes, Encoding encoding, std::string& out);

namespace detail {
// The most UTF-8 bytes that single-byte text (windows-1252, iso-8859-1) takes: 3 for a byte >= 0x80.
std::size_t single_byte_utf8_bound(std::string_view bytes) noexcept;
// to_utf8 of single-byte text into memory of the caller with room for that bound: the bytes
// written in `written` (on error those before the offending byte), the error as to_utf8 gives it.
std::optional<DecodeError> single_byte_to_utf8(std::string_view bytes, bool cp1252, char* out, std::size_t& written);
}  // namespace detail

// Converts UTF-8 text to the given encoding in out (replacing its contents; utf8_bom adds a BOM
// unless the text starts with one); on error out holds the bytes converted before it.
std::optional<EncodeError> from_utf8(std::string_view utf8, Encoding encoding, std::string& out);

// Returns the canonical name: "utf-8", "utf-8-bom", "windows-1252", "iso-8859-1", "utf-16le", "utf-16be".
std::string_view name(Encoding encoding) noexcept;

// Parses an encoding name case-insensitively: the canonical names plus "utf8", "cp1252", "latin1".
std::optional<Encoding> parse_encoding(std::string_view text) noexcept;

}  // namespace hoks
