#include "hoks/read/encoding.hpp"
#include "read/byte_scan.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace hoks {

namespace {

using u8 = unsigned char;

constexpr std::string_view k_bom8 = "\xEF\xBB\xBF";

// Windows-1252 bytes 0x80-0x9F; 0 marks the five undefined bytes (81 8D 8F 90 9D).
constexpr std::array<char32_t, 32> k_cp1252_high = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88-8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98-9F
};

// Windows-1252 byte for a code point outside ASCII, or 0 when it has none.
u8 cp1252_byte(char32_t cp) noexcept {
    if (cp >= 0xA0 && cp <= 0xFF) return static_cast<u8>(cp);
    switch (cp) {
        case 0x20AC: return 0x80; case 0x201A: return 0x82; case 0x0192: return 0x83;
        case 0x201E: return 0x84; case 0x2026: return 0x85; case 0x2020: return 0x86;
        case 0x2021: return 0x87; case 0x02C6: return 0x88; case 0x2030: return 0x89;
        case 0x0160: return 0x8A; case 0x2039: return 0x8B; case 0x0152: return 0x8C;
        case 0x017D: return 0x8E; case 0x2018: return 0x91; case 0x2019: return 0x92;
        case 0x201C: return 0x93; case 0x201D: return 0x94; case 0x2022: return 0x95;
        case 0x2013: return 0x96; case 0x2014: return 0x97; case 0x02DC: return 0x98;
        case 0x2122: return 0x99; case 0x0161: return 0x9A; case 0x203A: return 0x9B;
        case 0x0153: return 0x9C; case 0x017E: return 0x9E; case 0x0178: return 0x9F;
        default: return 0;
    }
}

// Length of the run of ASCII bytes starting at p (at most n).
inline std::size_t ascii_run(const u8* p, std::size_t n) noexcept {
    return detail::ascii_prefix(reinterpret_cast<const char*>(p), n);
}

inline char* put_utf8(char* w, char32_t cp) noexcept {
    if (cp < 0x80) {
        *w++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
        *w++ = static_cast<char>(0xC0 | (cp >> 6));
        *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = static_cast<char>(0xE0 | (cp >> 12));
        *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *w++ = static_cast<char>(0xF0 | (cp >> 18));
        *w++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return w;
}

enum class Utf8Fault { none, stray_continuation, overlong, surrogate, too_large, bad_byte, truncated };

// Decodes one non-ASCII UTF-8 sequence at p (n bytes available, n >= 1), strictly
// (Unicode table 3-7). Sets cp and len on success; len is the bytes examined on failure.
Utf8Fault decode_utf8(const u8* p, std::size_t n, char32_t& cp, std::size_t& len) noexcept {
    const u8 b0 = p[0];
    len = 1;
    if (b0 < 0x80) {
        cp = b0;
        return Utf8Fault::none;
    }
    if (b0 < 0xC0) return Utf8Fault::stray_continuation;
    if (b0 < 0xC2) {
        if (n >= 2) len = 2;
        return Utf8Fault::overlong;
    }
    if (b0 > 0xF7) return Utf8Fault::bad_byte;
    if (b0 > 0xF4) return Utf8Fault::too_large;
    const std::size_t need = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    // Allowed range of the second byte; the rest are plain continuation bytes.
    u8 lo = 0x80, hi = 0xBF;
    Utf8Fault fault = Utf8Fault::truncated;
    if (b0 == 0xE0) { lo = 0xA0; fault = Utf8Fault::overlong; }
    else if (b0 == 0xED) { hi = 0x9F; fault = Utf8Fault::surrogate; }
    else if (b0 == 0xF0) { lo = 0x90; fault = Utf8Fault::overlong; }
    else if (b0 == 0xF4) { hi = 0x8F; fault = Utf8Fault::too_large; }
    if (n < 2 || (p[1] & 0xC0) != 0x80) return Utf8Fault::truncated;
    len = 2;
    if (p[1] < lo || p[1] > hi) return fault;
    char32_t c = b0 & (0x7F >> need);
    for (std::size_t k = 1; k < need; ++k) {
        if (k >= n || (p[k] & 0xC0) != 0x80) {
            len = k;
            return Utf8Fault::truncated;
        }
        c = (c << 6) | (p[k] & 0x3F);
    }
    cp = c;
    len = need;
    return Utf8Fault::none;
}

// Offset of the first invalid sequence and its fault, scanning from start.
std::size_t first_invalid(const u8* p, std::size_t n, Utf8Fault& fault, std::size_t& len) noexcept {
    std::size_t i = 0;
    while (i < n) {
        i += ascii_run(p + i, n - i);
        while (i < n && p[i] >= 0x80) {
            char32_t cp;
            fault = decode_utf8(p + i, n - i, cp, len);
            if (fault != Utf8Fault::none) return i;
            i += len;
        }
    }
    fault = Utf8Fault::none;
    return n;
}

std::string hex_byte(u8 b) {
    static constexpr char digits[] = "0123456789ABCDEF";
    return std::string{"0x"} + digits[b >> 4] + digits[b & 15];
}

std::string hex_cp(char32_t cp) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string s;
    for (int shift = 20; shift >= 0; shift -= 4) {
        const auto d = static_cast<unsigned>((cp >> shift) & 15);
        if (d == 0 && s.empty() && shift > 12) continue;  // at least four digits
        s.push_back(digits[d]);
    }
    return "U+" + s;
}

std::string bytes_text(const u8* p, std::size_t len) {
    std::string s;
    for (std::size_t k = 0; k < len; ++k) {
        if (k) s.push_back(' ');
        s += hex_byte(p[k]);
    }
    return s;
}

DecodeError utf8_error(const u8* p, std::size_t offset, Utf8Fault fault, std::size_t len) {
    std::string_view fi, en;
    switch (fault) {
        case Utf8Fault::stray_continuation:
            fi = "jatkotavu ilman aloittavaa tavua";
            en = "continuation byte without a lead byte";
            break;
        case Utf8Fault::overlong:
            fi = "ylipitkä koodaus";
            en = "overlong encoding";
            break;
        case Utf8Fault::surrogate:
            fi = "koodattu sijaismerkki (U+D800–U+DFFF), jota UTF-8 ei salli";
            en = "encoded surrogate (U+D800–U+DFFF), which UTF-8 does not allow";
            break;
        case Utf8Fault::too_large:
            fi = "merkki on suurempi kuin U+10FFFF";
            en = "code point above U+10FFFF";
            break;
        case Utf8Fault::bad_byte:
            fi = "tavua ei voi esiintyä UTF-8-tekstissä";
            en = "byte that never appears in UTF-8";
            break;
        case Utf8Fault::truncated:
        case Utf8Fault::none:
            fi = "monitavuinen merkki katkeaa kesken";
            en = "incomplete multi-byte sequence";
            break;
    }
    const std::string b = bytes_text(p + offset, len);
    return DecodeError{offset,
                       "Virheellinen UTF-8 tavussa " + std::to_string(offset) + ": " +
                           std::string(fi) + " (" + b + ").",
                       "Invalid UTF-8 at byte " + std::to_string(offset) + ": " +
                           std::string(en) + " (" + b + ")."};
}

EncodeError unrepresentable(std::size_t offset, char32_t cp, Encoding target) {
    std::string shown = hex_cp(cp);
    if (cp >= 0xA0 || (cp >= 0x20 && cp < 0x7F)) {
        char buf[4];
        const char* end = put_utf8(buf, cp);
        shown += " \"" + std::string(buf, static_cast<std::size_t>(end - buf)) + "\"";
    }
    const std::string where{name(target)};
    return EncodeError{offset, cp,
                       "Merkkiä " + shown + " (tavussa " + std::to_string(offset) +
                           ") ei voi esittää merkistössä " + where + ".",
                       "Character " + shown + " (at byte " + std::to_string(offset) +
                           ") cannot be represented in " + where + "."};
}

EncodeError invalid_input(const u8* p, std::size_t offset, Utf8Fault fault, std::size_t len) {
    DecodeError d = utf8_error(p, offset, fault, len);
    return EncodeError{offset, 0, std::move(d.message_fi), std::move(d.message_en)};
}

// The core of single_byte_to_utf8: writes into base (room for single_byte_utf8_bound bytes) and
// sets `written` (also on error: the text converted before the offending byte).
std::optional<DecodeError> single_byte_into(std::string_view bytes, bool cp1252, char* const base,
                                            std::size_t& written) {
    const auto* p = reinterpret_cast<const u8*>(bytes.data());
    const std::size_t n = bytes.size();
    char* w = base;
    std::size_t i = 0;
    while (i < n) {
        const std::size_t run = ascii_run(p + i, n - i);
        std::memcpy(w, p + i, run);
        w += run;
        i += run;
        while (i < n && p[i] >= 0x80) {
            const u8 b = p[i];
            char32_t cp = b;
            if (cp1252 && b < 0xA0) {
                cp = k_cp1252_high[b - 0x80];
                if (cp == 0) {
                    written = static_cast<std::size_t>(w - base);
                    return DecodeError{
                        i,
                        "Tavua " + hex_byte(b) + " (tavussa " + std::to_string(i) +
                            ") ei ole määritelty merkistössä windows-1252.",
                        "Byte " + hex_byte(b) + " (at byte " + std::to_string(i) +
                            ") is not defined in windows-1252."};
                }
            }
            w = put_utf8(w, cp);
            ++i;
        }
    }
    written = static_cast<std::size_t>(w - base);
    return std::nullopt;
}

std::optional<DecodeError> single_byte_to_utf8(std::string_view bytes, bool cp1252,
                                               std::string& out) {
    out.resize(detail::single_byte_utf8_bound(bytes));
    std::size_t written = 0;
    auto error = single_byte_into(bytes, cp1252, out.data(), written);
    out.resize(written);
    return error;
}

std::optional<DecodeError> utf16_to_utf8(std::string_view bytes, bool little, std::string& out) {
    const auto* p = reinterpret_cast<const u8*>(bytes.data());
    const std::size_t n = bytes.size();
    const auto unit = [&](std::size_t k) -> char32_t {
        return little ? static_cast<char32_t>(p[k] | (p[k + 1] << 8))
                      : static_cast<char32_t>((p[k] << 8) | p[k + 1]);
    };
    std::size_t i = 0;
    if (n >= 2 && unit(0) == 0xFEFF) i = 2;
    out.resize((n / 2) * 3);  // a unit becomes at most 3 bytes; a pair (2 units) 4 bytes
    char* const base = out.data();
    char* w = base;
    const std::string label = little ? "UTF-16LE" : "UTF-16BE";
    const auto fail = [&](std::size_t offset, std::string fi, std::string en) {
        out.resize(static_cast<std::size_t>(w - base));
        return DecodeError{offset, std::move(fi), std::move(en)};
    };
    for (; i + 1 < n; i += 2) {
        char32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            const char32_t lo = i + 3 < n ? unit(i + 2) : 0;
            if (cp >= 0xDC00 || lo < 0xDC00 || lo > 0xDFFF) {
                return fail(i,
                            "Pariton sijaismerkki " + hex_cp(cp) + " " + label +
                                "-tekstissä tavussa " + std::to_string(i) + ".",
                            "Unpaired surrogate " + hex_cp(cp) + " in " + label +
                                " text at byte " + std::to_string(i) + ".");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        }
        w = put_utf8(w, cp);
    }
    if (i < n) {
        return fail(i,
                    label + "-tekstin pituus on pariton: viimeinen tavu (tavussa " +
                        std::to_string(i) + ") jää yli.",
                    label + " text has an odd number of bytes: the last byte (at byte " +
                        std::to_string(i) + ") is left over.");
    }
    out.resize(static_cast<std::size_t>(w - base));
    return std::nullopt;
}

std::optional<EncodeError> utf8_to_single_byte(std::string_view utf8, Encoding target,
                                               std::string& out) {
    const auto* p = reinterpret_cast<const u8*>(utf8.data());
    const std::size_t n = utf8.size();
    out.resize(n);  // never longer than the UTF-8 text
    char* const base = out.data();
    char* w = base;
    std::size_t i = 0;
    while (i < n) {
        const std::size_t run = ascii_run(p + i, n - i);
        std::memcpy(w, p + i, run);
        w += run;
        i += run;
        while (i < n && p[i] >= 0x80) {
            char32_t cp = 0;
            std::size_t len = 0;
            const Utf8Fault f = decode_utf8(p + i, n - i, cp, len);
            u8 b = 0;
            if (f == Utf8Fault::none) {
                b = target == Encoding::windows1252 ? cp1252_byte(cp)
                    : cp <= 0xFF                    ? static_cast<u8>(cp)
                                                    : 0;
            }
            if (b == 0) {
                out.resize(static_cast<std::size_t>(w - base));
                if (f != Utf8Fault::none) return invalid_input(p, i, f, len);
                return unrepresentable(i, cp, target);
            }
            *w++ = static_cast<char>(b);
            i += len;
        }
    }
    out.resize(static_cast<std::size_t>(w - base));
    return std::nullopt;
}

std::optional<EncodeError> utf8_to_utf16(std::string_view utf8, bool little, std::string& out) {
    const auto* p = reinterpret_cast<const u8*>(utf8.data());
    const std::size_t n = utf8.size();
    out.resize(2 * n);  // every UTF-8 byte count maps to at most twice as many UTF-16 bytes
    char* const base = out.data();
    char* w = base;
    const auto put = [&](char32_t u) {
        const auto hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        if (little) { *w++ = lo; *w++ = hi; } else { *w++ = hi; *w++ = lo; }
    };
    std::size_t i = 0;
    while (i < n) {
        char32_t cp = p[i];
        std::size_t len = 1;
        if (cp >= 0x80) {
            const Utf8Fault f = decode_utf8(p + i, n - i, cp, len);
            if (f != Utf8Fault::none) {
                out.resize(static_cast<std::size_t>(w - base));
                return invalid_input(p, i, f, len);
            }
        }
        if (cp >= 0x10000) {
            put(0xD800 + ((cp - 0x10000) >> 10));
            put(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            put(cp);
        }
        i += len;
    }
    out.resize(static_cast<std::size_t>(w - base));
    return std::nullopt;
}

char lower_ascii(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
        if (lower_ascii(a[k]) != lower_ascii(b[k])) return false;
    }
    return true;
}

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) noexcept {
    Utf8Fault fault;
    std::size_t len = 0;
    const std::size_t at =
        first_invalid(reinterpret_cast<const u8*>(bytes.data()), bytes.size(), fault, len);
    if (fault == Utf8Fault::none) return std::nullopt;
    return at;
}

Encoding detect(std::string_view bytes) noexcept {
    if (bytes.substr(0, 3) == k_bom8) return Encoding::utf8_bom;
    if (bytes.size() >= 2) {
        const auto b0 = static_cast<u8>(bytes[0]), b1 = static_cast<u8>(bytes[1]);
        if (b0 == 0xFF && b1 == 0xFE) return Encoding::utf16le;
        if (b0 == 0xFE && b1 == 0xFF) return Encoding::utf16be;
    }
    return find_invalid_utf8(bytes) ? Encoding::windows1252 : Encoding::utf8;
}

std::size_t detail::single_byte_utf8_bound(std::string_view bytes) noexcept {
    return bytes.size() + 2 * count_high(bytes);  // at most 3 bytes per non-ASCII byte
}

std::optional<DecodeError> detail::single_byte_to_utf8(std::string_view bytes, bool cp1252, char* out,
                                                       std::size_t& written) {
    return single_byte_into(bytes, cp1252, out, written);
}

std::optional<DecodeError> to_utf8(std::string_view bytes, Encoding encoding, std::string& out) {
    switch (encoding) {
        case Encoding::utf8:
        case Encoding::utf8_bom: {
            const auto* p = reinterpret_cast<const u8*>(bytes.data());
            const std::size_t skip = bytes.substr(0, 3) == k_bom8 ? 3 : 0;
            Utf8Fault fault;
            std::size_t len = 0;
            const std::size_t at = skip + first_invalid(p + skip, bytes.size() - skip, fault, len);
            out.assign(bytes.data() + skip, at - skip);
            if (fault != Utf8Fault::none) return utf8_error(p, at, fault, len);
            return std::nullopt;
        }
        case Encoding::windows1252: return single_byte_to_utf8(bytes, true, out);
        case Encoding::iso8859_1: return single_byte_to_utf8(bytes, false, out);
        case Encoding::utf16le: return utf16_to_utf8(bytes, true, out);
        case Encoding::utf16be: return utf16_to_utf8(bytes, false, out);
    }
    out.clear();
    return DecodeError{0, "Tuntematon merkistö.", "Unknown encoding."};
}

std::optional<EncodeError> from_utf8(std::string_view utf8, Encoding encoding, std::string& out) {
    switch (encoding) {
        case Encoding::utf8:
        case Encoding::utf8_bom: {
            const auto* p = reinterpret_cast<const u8*>(utf8.data());
            Utf8Fault fault;
            std::size_t len = 0;
            const std::size_t at = first_invalid(p, utf8.size(), fault, len);
            const bool add_bom = encoding == Encoding::utf8_bom && utf8.substr(0, 3) != k_bom8;
            out.clear();
            out.reserve(at + (add_bom ? 3 : 0));
            if (add_bom) out.append(k_bom8);
            out.append(utf8.data(), at);
            if (fault != Utf8Fault::none) return invalid_input(p, at, fault, len);
            return std::nullopt;
        }
        case Encoding::windows1252:
        case Encoding::iso8859_1: return utf8_to_single_byte(utf8, encoding, out);
        case Encoding::utf16le: return utf8_to_utf16(utf8, true, out);
        case Encoding::utf16be: return utf8_to_utf16(utf8, false, out);
    }
    out.clear();
    return EncodeError{0, 0, "Tuntematon merkistö.", "Unknown encoding."};
}

std::string_view name(Encoding encoding) noexcept {
    switch (encoding) {
        case Encoding::utf8: return "utf-8";
        case Encoding::utf8_bom: return "utf-8-bom";
        case Encoding::windows1252: return "windows-1252";
        case Encoding::iso8859_1: return "iso-8859-1";
        case Encoding::utf16le: return "utf-16le";
        case Encoding::utf16be: return "utf-16be";
    }
    return "unknown";
}

std::optional<Encoding> parse_encoding(std::string_view text) noexcept {
    static constexpr std::pair<std::string_view, Encoding> names[] = {
        {"utf-8", Encoding::utf8},          {"utf8", Encoding::utf8},
        {"utf-8-bom", Encoding::utf8_bom},  {"windows-1252", Encoding::windows1252},
        {"cp1252", Encoding::windows1252},  {"iso-8859-1", Encoding::iso8859_1},
        {"latin1", Encoding::iso8859_1},    {"utf-16le", Encoding::utf16le},
        {"utf-16be", Encoding::utf16be},
    };
    for (const auto& [n, e] : names) {
        if (iequals(text, n)) return e;
    }
    return std::nullopt;
}

}  // namespace hoks
