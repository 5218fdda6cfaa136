// The SSE2 byte scans of read/byte_scan.hpp against byte-at-a-time loops, at every length and
// offset around their sixteen-byte blocks (and past the 255 blocks a lane counts before it is summed).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "read/byte_scan.hpp"

namespace {

// Text of n bytes mostly plain, with a special byte (of `specials`) now and then.
std::string sprinkled(std::mt19937& rng, std::size_t n, const std::string& specials, unsigned one_in) {
  std::string s(n, 'a');
  for (char& c : s) {
    c = static_cast<char>('a' + rng() % 26);
    if (rng() % one_in == 0) c = specials[rng() % specials.size()];
  }
  return s;
}

bool plain_json(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') return false;
  return true;
}
bool plain_xml(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == '&' || c == '<' || c == '>' || c == '"') return false;
  return true;
}

TEST(ByteScan, JsonAndXmlEscapeScansMatchByteLoops) {
  std::mt19937 rng(18);
  const std::string specials = std::string("\"\\&<>\x01\x1f\t\n\r\x7f\x80\xff\0", 14);  // the NUL too
  for (std::size_t n = 0; n < 70; ++n)
    for (unsigned one_in : {2u, 16u, 200u})
      for (int round = 0; round < 20; ++round) {
        const std::string s = sprinkled(rng, n, specials, one_in);
        ASSERT_EQ((hoks::detail::no_control_nor<'"', '\\'>(s)), plain_json(s)) << s;
        ASSERT_EQ((hoks::detail::no_control_nor<'&', '<', '>', '"'>(s)), plain_xml(s)) << s;
      }
  // A lone special byte at every position of a long text.
  for (const char special : specials)
    for (std::size_t at = 0; at < 40; ++at) {
      std::string s(40, 'x');
      s[at] = special;
      ASSERT_EQ((hoks::detail::no_control_nor<'"', '\\'>(s)), plain_json(s)) << at;
      ASSERT_EQ((hoks::detail::no_control_nor<'&', '<', '>', '"'>(s)), plain_xml(s)) << at;
    }
}

TEST(ByteScan, CsvFirstOf3MatchesByteLoop) {
  std::mt19937 rng(1);
  for (std::size_t n = 0; n < 80; ++n)
    for (unsigned one_in : {3u, 20u, 1000u})
      for (int round = 0; round < 20; ++round) {
        const std::string s = sprinkled(rng, n, ";\r\n\"\xe4", one_in);
        for (std::size_t from = 0; from <= n; from += 1 + n / 7) {
          std::size_t expected = from;
          while (expected < n && s[expected] != ';' && s[expected] != '\n' && s[expected] != '\r') ++expected;
          ASSERT_EQ(from + hoks::detail::FirstOf3(';', '\n', '\r').in(s.data() + from, n - from), expected) << s;
        }
      }
}

TEST(ByteScan, CsvCountsMatchByteLoops) {
  std::mt19937 rng(2);
  for (const std::size_t n : {0, 1, 15, 16, 17, 31, 33, 255 * 16 - 1, 255 * 16, 255 * 16 + 5, 3 * 255 * 16 + 77, 100000})
    for (unsigned one_in : {1u, 2u, 9u, 5000u}) {
      const std::string s = sprinkled(rng, n, ";\r\n\xe4\x80\xff\x7f", one_in);
      std::size_t of3 = 0, high = 0;
      for (const char c : s) {
        of3 += c == ';' || c == '\n' || c == '\r';
        high += static_cast<unsigned char>(c) >= 0x80;
      }
      ASSERT_EQ(hoks::detail::count_of3(s, ';', '\n', '\r'), of3) << n;
      ASSERT_EQ(hoks::detail::count_high(s), high) << n;
    }
}

TEST(ByteScan, CsvAsciiPrefixMatchesByteLoop) {
  std::mt19937 rng(3);
  for (std::size_t n = 0; n < 80; ++n)
    for (unsigned one_in : {2u, 30u, 1000u})
      for (int round = 0; round < 20; ++round) {
        const std::string s = sprinkled(rng, n, "\x80\xe4\xff\x7f\x01", one_in);
        for (std::size_t from = 0; from <= n; from += 1 + n / 7) {
          std::size_t expected = from;
          while (expected < n && static_cast<unsigned char>(s[expected]) < 0x80) ++expected;
          ASSERT_EQ(from + hoks::detail::ascii_prefix(s.data() + from, n - from), expected) << s;
        }
      }
}

}  // namespace
