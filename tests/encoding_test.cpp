#include "hoks/read/encoding.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

using hoks::Encoding;

namespace {

constexpr Encoding k_all[] = {Encoding::utf8,      Encoding::utf8_bom, Encoding::windows1252,
                              Encoding::iso8859_1, Encoding::utf16le,  Encoding::utf16be};

// "Hyvää päivää, Åsa! Öljy ÄÖÅ maksaa 5 €" in UTF-8 and in windows-1252.
const std::string k_finnish_utf8 =
    "Hyv\xC3\xA4\xC3\xA4 p\xC3\xA4iv\xC3\xA4\xC3\xA4, \xC3\x85sa! \xC3\x96ljy "
    "\xC3\x84\xC3\x96\xC3\x85 maksaa 5 \xE2\x82\xAC";
const std::string k_finnish_1252 =
    "Hyv\xE4\xE4 p\xE4iv\xE4\xE4, \xC5sa! \xD6ljy \xC4\xD6\xC5 maksaa 5 \x80";

std::string to8(std::string_view bytes, Encoding e) {
    std::string out;
    const auto err = hoks::to_utf8(bytes, e, out);
    EXPECT_FALSE(err) << err->message_en;
    return out;
}

std::string from8(std::string_view text, Encoding e) {
    std::string out;
    const auto err = hoks::from_utf8(text, e, out);
    EXPECT_FALSE(err) << err->message_en;
    return out;
}

std::size_t decode_error_offset(std::string_view bytes, Encoding e) {
    std::string out;
    const auto err = hoks::to_utf8(bytes, e, out);
    EXPECT_TRUE(err) << "no error for " << testing::PrintToString(std::string(bytes));
    if (!err) return static_cast<std::size_t>(-1);
    EXPECT_FALSE(err->message_fi.empty());
    EXPECT_FALSE(err->message_en.empty());
    return err->offset;
}

}  // namespace

TEST(Encoding, NamesRoundTrip) {
    for (Encoding e : k_all) EXPECT_EQ(hoks::parse_encoding(hoks::name(e)), e);
    EXPECT_EQ(hoks::name(Encoding::utf8), "utf-8");
    EXPECT_EQ(hoks::name(Encoding::utf8_bom), "utf-8-bom");
    EXPECT_EQ(hoks::name(Encoding::windows1252), "windows-1252");
    EXPECT_EQ(hoks::name(Encoding::iso8859_1), "iso-8859-1");
}

TEST(Encoding, ParseEncodingIsCaseInsensitive) {
    EXPECT_EQ(hoks::parse_encoding("UTF-8"), Encoding::utf8);
    EXPECT_EQ(hoks::parse_encoding("utf8"), Encoding::utf8);
    EXPECT_EQ(hoks::parse_encoding("Utf-8-BOM"), Encoding::utf8_bom);
    EXPECT_EQ(hoks::parse_encoding("Windows-1252"), Encoding::windows1252);
    EXPECT_EQ(hoks::parse_encoding("CP1252"), Encoding::windows1252);
    EXPECT_EQ(hoks::parse_encoding("ISO-8859-1"), Encoding::iso8859_1);
    EXPECT_EQ(hoks::parse_encoding("LATIN1"), Encoding::iso8859_1);
    EXPECT_EQ(hoks::parse_encoding("UTF-16LE"), Encoding::utf16le);
    EXPECT_FALSE(hoks::parse_encoding(""));
    EXPECT_FALSE(hoks::parse_encoding("utf-8 "));
    EXPECT_FALSE(hoks::parse_encoding("ebcdic"));
}

TEST(Encoding, Detect) {
    EXPECT_EQ(hoks::detect(""), Encoding::utf8);
    EXPECT_EQ(hoks::detect("plain ascii"), Encoding::utf8);
    EXPECT_EQ(hoks::detect(k_finnish_utf8), Encoding::utf8);
    EXPECT_EQ(hoks::detect("\xEF\xBB\xBF" + k_finnish_utf8), Encoding::utf8_bom);
    EXPECT_EQ(hoks::detect(std::string("\xFF\xFEh\0", 4)), Encoding::utf16le);
    EXPECT_EQ(hoks::detect(std::string("\xFE\xFF\0h", 4)), Encoding::utf16be);
    EXPECT_EQ(hoks::detect(k_finnish_1252), Encoding::windows1252);
    EXPECT_EQ(hoks::detect("p\xE4iv\xE4"), Encoding::windows1252);
    EXPECT_EQ(hoks::detect("\xC0\xAF"), Encoding::windows1252);  // overlong is not UTF-8
}

TEST(Encoding, FinnishTextWindows1252BothWays) {
    EXPECT_EQ(to8(k_finnish_1252, Encoding::windows1252), k_finnish_utf8);
    EXPECT_EQ(from8(k_finnish_utf8, Encoding::windows1252), k_finnish_1252);
}

TEST(Encoding, FinnishTextLatin1BothWays) {
    const std::string utf8 = k_finnish_utf8.substr(0, k_finnish_utf8.size() - 3);  // without €
    const std::string latin1 = k_finnish_1252.substr(0, k_finnish_1252.size() - 1);
    EXPECT_EQ(to8(latin1, Encoding::iso8859_1), utf8);
    EXPECT_EQ(from8(utf8, Encoding::iso8859_1), latin1);
    // In ISO-8859-1 byte 0x80 is the control character U+0080, not the euro sign.
    EXPECT_EQ(to8("\x80", Encoding::iso8859_1), "\xC2\x80");
    // The euro sign has no ISO-8859-1 byte: an error at its offset, never a replacement.
    std::string out;
    const auto err = hoks::from_utf8(k_finnish_utf8, Encoding::iso8859_1, out);
    ASSERT_TRUE(err);
    EXPECT_EQ(err->offset, k_finnish_utf8.size() - 3);
    EXPECT_EQ(err->code_point, U'\u20AC');
    EXPECT_EQ(out, latin1);  // the prefix before the error
    EXPECT_NE(err->message_en.find("U+20AC"), std::string::npos);
    EXPECT_NE(err->message_fi.find("iso-8859-1"), std::string::npos);
}

TEST(Encoding, Windows1252FullTable) {
    const char32_t specials[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    // Spelled out as UTF-8: € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ
    EXPECT_EQ(to8("\x80\x82\x83\x84\x85\x86\x87\x88\x89\x8A\x8B\x8C\x8E\x91\x92\x93\x94\x95\x96"
                  "\x97\x98\x99\x9A\x9B\x9C\x9E\x9F",
                  Encoding::windows1252),
              "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
    for (int b = 0; b < 256; ++b) {
        const std::string byte(1, static_cast<char>(b));
        char32_t cp = static_cast<char32_t>(b);
        if (b >= 0x80 && b < 0xA0) cp = specials[b - 0x80];
        if (cp == 0 && b != 0) {
            EXPECT_EQ(decode_error_offset(byte, Encoding::windows1252), 0u) << b;
            continue;
        }
        std::string expected;
        if (cp < 0x80) {
            expected.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            expected += static_cast<char>(0xC0 | (cp >> 6));
            expected += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            expected += static_cast<char>(0xE0 | (cp >> 12));
            expected += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            expected += static_cast<char>(0x80 | (cp & 0x3F));
        }
        EXPECT_EQ(to8(byte, Encoding::windows1252), expected) << b;
        EXPECT_EQ(from8(expected, Encoding::windows1252), byte) << b;
    }
}

TEST(Encoding, Windows1252UndefinedBytesAreErrorsWithOffsets) {
    EXPECT_EQ(decode_error_offset("abc\x81", Encoding::windows1252), 3u);
    EXPECT_EQ(decode_error_offset("\xE4\x8D", Encoding::windows1252), 1u);
    EXPECT_EQ(decode_error_offset("x\x8Fy", Encoding::windows1252), 1u);
    EXPECT_EQ(decode_error_offset("\x90", Encoding::windows1252), 0u);
    EXPECT_EQ(decode_error_offset("\x80\x80\x9D", Encoding::windows1252), 2u);
    std::string out;
    const auto err = hoks::to_utf8("p\xE4\x81", Encoding::windows1252, out);
    ASSERT_TRUE(err);
    EXPECT_EQ(out, "p\xC3\xA4");
    EXPECT_NE(err->message_en.find("0x81"), std::string::npos);
    // U+0081 (a C1 control) has no windows-1252 byte either.
    const auto enc = hoks::from_utf8("\xC2\x81", Encoding::windows1252, out);
    ASSERT_TRUE(enc);
    EXPECT_EQ(enc->code_point, U'\u0081');
}

TEST(Encoding, Utf8IsValidatedStrictly) {
    const Encoding u = Encoding::utf8;
    EXPECT_EQ(decode_error_offset("ab\xC0\xAF", u), 2u);              // overlong '/'
    EXPECT_EQ(decode_error_offset("\xC1\xBF", u), 0u);                // overlong
    EXPECT_EQ(decode_error_offset("x\xE0\x80\xAF", u), 1u);           // overlong, 3 bytes
    EXPECT_EQ(decode_error_offset("\xF0\x80\x80\xAF", u), 0u);        // overlong, 4 bytes
    EXPECT_EQ(decode_error_offset("\xED\xA0\x80", u), 0u);            // surrogate U+D800
    EXPECT_EQ(decode_error_offset("ok\xED\xBF\xBF", u), 2u);          // surrogate U+DFFF
    EXPECT_EQ(decode_error_offset("\xF4\x90\x80\x80", u), 0u);        // U+110000
    EXPECT_EQ(decode_error_offset("\xF5\x80\x80\x80", u), 0u);        // above U+10FFFF
    EXPECT_EQ(decode_error_offset("\xFF", u), 0u);
    EXPECT_EQ(decode_error_offset("abc\x80", u), 3u);                 // stray continuation
    EXPECT_EQ(decode_error_offset("\xC3", u), 0u);                    // truncated at the end
    EXPECT_EQ(decode_error_offset("\xE2\x82", u), 0u);
    EXPECT_EQ(decode_error_offset("p\xC3xy", u), 1u);                 // missing continuation
    EXPECT_EQ(decode_error_offset("\xF0\x9F\x98", u), 0u);
    EXPECT_EQ(decode_error_offset(std::string(1000, 'a') + "\xE4", u), 1000u);
    EXPECT_EQ(decode_error_offset("\xEF\xBB\xBF\xE4", u), 3u);        // offsets count the BOM
    // The boundaries that are valid.
    const std::string ok = "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
                           "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF";
    EXPECT_EQ(to8(ok, u), ok);
    EXPECT_FALSE(hoks::find_invalid_utf8(ok));
    EXPECT_EQ(hoks::find_invalid_utf8("ab\xC0\xAF"), 2u);

    std::string out;
    const auto err = hoks::to_utf8("\xED\xA0\x80", u, out);
    ASSERT_TRUE(err);
    EXPECT_NE(err->message_en.find("surrogate"), std::string::npos);
    const auto big = hoks::to_utf8("\xF4\x90\x80\x80", u, out);
    ASSERT_TRUE(big);
    EXPECT_NE(big->message_en.find("U+10FFFF"), std::string::npos);
    const auto over = hoks::to_utf8("\xC0\xAF", u, out);
    ASSERT_TRUE(over);
    EXPECT_NE(over->message_en.find("overlong"), std::string::npos);
}

TEST(Encoding, BomIsStrippedOnReadAndAddedOnWrite) {
    EXPECT_EQ(to8("\xEF\xBB\xBF" + k_finnish_utf8, Encoding::utf8_bom), k_finnish_utf8);
    EXPECT_EQ(to8("\xEF\xBB\xBF" + k_finnish_utf8, Encoding::utf8), k_finnish_utf8);
    EXPECT_EQ(to8(k_finnish_utf8, Encoding::utf8_bom), k_finnish_utf8);
    EXPECT_EQ(from8(k_finnish_utf8, Encoding::utf8_bom), "\xEF\xBB\xBF" + k_finnish_utf8);
    EXPECT_EQ(from8("\xEF\xBB\xBFx", Encoding::utf8_bom), "\xEF\xBB\xBFx");  // not twice
    EXPECT_EQ(from8(k_finnish_utf8, Encoding::utf8), k_finnish_utf8);
    EXPECT_EQ(to8(std::string("\xFF\xFEh\0", 4), Encoding::utf16le), "h");
    EXPECT_EQ(to8(std::string("\xFE\xFF\0h", 4), Encoding::utf16be), "h");
}

TEST(Encoding, Utf16BothWays) {
    const std::string text = "ä€😀A";  // U+00E4 U+20AC U+1F600 U+0041
    const std::string le("\xE4\x00\xAC\x20\x3D\xD8\x00\xDE\x41\x00", 10);
    const std::string be("\x00\xE4\x20\xAC\xD8\x3D\xDE\x00\x00\x41", 10);
    EXPECT_EQ(from8(text, Encoding::utf16le), le);
    EXPECT_EQ(from8(text, Encoding::utf16be), be);
    EXPECT_EQ(to8(le, Encoding::utf16le), text);
    EXPECT_EQ(to8(be, Encoding::utf16be), text);
    EXPECT_EQ(to8(from8(k_finnish_utf8, Encoding::utf16le), Encoding::utf16le), k_finnish_utf8);

    EXPECT_EQ(decode_error_offset(std::string("a\0b", 3), Encoding::utf16le), 2u);  // odd length
    EXPECT_EQ(decode_error_offset(std::string("a\0\x3D\xD8", 4), Encoding::utf16le), 2u);
    EXPECT_EQ(decode_error_offset(std::string("\x00\xDE", 2), Encoding::utf16le), 0u);  // lone low
    EXPECT_EQ(decode_error_offset(std::string("\xD8\x3D\x00\x41", 4), Encoding::utf16be), 0u);
}

TEST(Encoding, UnrepresentableCharactersAreErrorsNotReplacements) {
    std::string out;
    const std::string text = "Hyv\xC3\xA4 \xF0\x9F\x98\x80!";  // "Hyvä 😀!"
    const auto err = hoks::from_utf8(text, Encoding::windows1252, out);
    ASSERT_TRUE(err);
    EXPECT_EQ(err->offset, 6u);
    EXPECT_EQ(err->code_point, U'\U0001F600');
    EXPECT_EQ(out, "Hyv\xE4 ");
    EXPECT_FALSE(err->message_fi.empty());
    EXPECT_NE(err->message_en.find("windows-1252"), std::string::npos);

    // Invalid UTF-8 input is reported too, with code point 0.
    for (Encoding e : k_all) {
        const auto bad = hoks::from_utf8("ab\xC3(", e, out);
        ASSERT_TRUE(bad) << hoks::name(e);
        EXPECT_EQ(bad->offset, 2u) << hoks::name(e);
        EXPECT_EQ(bad->code_point, 0u);
    }
}

TEST(Encoding, LargeRandomTextRoundTrips) {
    // Eight megabytes of Finnish-looking text, through every encoding that can hold it.
    const char* words[] = {"ja ", "tutkinnon ", "osa ", "Äänekoski ", "työpaikka ", "Åbo ",
                           "Öljy ", "5 € ", "„lainaus” ", "– ", "\n", "\r\n", "\t"};
    std::mt19937 rng(1);
    std::string text;
    while (text.size() < 8'000'000) text += words[rng() % std::size(words)];
    for (Encoding e : k_all) {
        std::string encoded, decoded;
        if (e == Encoding::iso8859_1) {  // € „ ” – have no ISO-8859-1 bytes
            EXPECT_TRUE(hoks::from_utf8(text, e, encoded));
            continue;
        }
        ASSERT_FALSE(hoks::from_utf8(text, e, encoded)) << hoks::name(e);
        ASSERT_FALSE(hoks::to_utf8(encoded, e, decoded)) << hoks::name(e);
        ASSERT_EQ(decoded, text) << hoks::name(e);
    }
    // Latin-1 gets the text without the characters it cannot hold.
    std::string latin, encoded, decoded;
    for (std::size_t k = 0; latin.size() < 2'000'000; ++k) latin += words[k % 7];
    ASSERT_FALSE(hoks::from_utf8(latin, Encoding::iso8859_1, encoded));
    ASSERT_FALSE(hoks::to_utf8(encoded, Encoding::iso8859_1, decoded));
    EXPECT_EQ(decoded, latin);
}
