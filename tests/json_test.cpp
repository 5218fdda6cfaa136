#include "hoks/read/json.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.hpp"

namespace fs = std::filesystem;
using hoks::JsonDocument;
using hoks::JsonErrorKind;
using hoks::JsonType;

TEST(JsonReader, ParsesObjectsArraysAndScalars) {
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(R"({"a": [1, 2.5, "x\u00e4\n"], "b": {"c": true, "d": null}})"));
  const auto root = doc.root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.size(), 2u);
  const auto a = root.get("a");
  ASSERT_TRUE(a.is_array());
  EXPECT_EQ(a.size(), 3u);
  std::vector<std::string> items;
  for (auto& it : a) items.emplace_back(it.value().str());
  EXPECT_EQ(items, (std::vector<std::string>{"1", "2.5", "x\xC3\xA4\n"}));
  EXPECT_TRUE(root.get("b").get("c").boolean());
  EXPECT_EQ(root.get("b").get("d").type(), JsonType::null);
  EXPECT_FALSE(root.get("zzz").valid());
}

TEST(JsonReader, IntegralNumbers) {
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(R"([50, 50.0, 1e2, 50.5, -0, 1E-2, 123456789012345678901234567890])"));
  std::vector<bool> integral;
  for (auto& it : doc.root()) integral.push_back(it.value().node().flags & JsonDocument::flag_integral);
  EXPECT_EQ(integral, (std::vector<bool>{true, true, true, false, true, false, true}));
}

TEST(JsonReader, LastDuplicateKeyWins) {
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(R"({"a": 1, "a": 2})"));
  EXPECT_EQ(doc.root().get("a").str(), "2");
}

TEST(JsonReader, PointersAndFind) {
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(R"({"x": [{"a/b": 1}, {"m~n": [true]}]})"));
  const std::uint32_t i = doc.find("/x/1/m~0n/0");
  ASSERT_NE(i, UINT32_MAX);
  EXPECT_EQ(doc.pointer(i), "/x/1/m~0n/0");
  EXPECT_EQ(doc.pointer(doc.find("/x/0/a~1b")), "/x/0/a~1b");
  EXPECT_EQ(doc.find("/x/2"), UINT32_MAX);
  EXPECT_EQ(doc.pointer(0), "");
}

TEST(JsonReader, PointersAtEveryIndexWidthAndIntoAReusedString) {
  std::string text = R"({"~/": [)";
  for (int k = 0; k < 12345; ++k) text += k ? ",[0]" : "[0]";
  text += "]}";
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(text));
  std::string out(100, 'x');  // a longer string from before: it is replaced, not appended to
  for (const int k : {0, 9, 10, 99, 100, 999, 1000, 9999, 10000, 12344}) {
    const std::string want = "/~0~1/" + std::to_string(k) + "/0";
    const std::uint32_t i = doc.find(want);
    ASSERT_NE(i, UINT32_MAX) << want;
    doc.pointer_into(out, i, 0);
    EXPECT_EQ(out, want);
    EXPECT_EQ(doc.pointer(i), want);
  }
}

TEST(JsonReader, ErrorPositions) {
  struct Case {
    const char* text;
    JsonErrorKind kind;
    std::uint32_t line, column;
  };
  const Case cases[] = {
      {"{\n  \"a\": 1,\n  \"b\" 2\n}", JsonErrorKind::unexpected_character, 3, 7},
      {"{\"a\": [1, 2", JsonErrorKind::unexpected_end, 1, 12},
      {"", JsonErrorKind::empty_document, 1, 1},
      {"   \n  ", JsonErrorKind::empty_document, 2, 3},
      {"{\"ä\": tru}", JsonErrorKind::invalid_literal, 1, 10},
      {"[01]", JsonErrorKind::unexpected_character, 1, 3},
      {"{\"a\": \"x\ty\"}", JsonErrorKind::invalid_string_character, 1, 9},
      {"{} {}", JsonErrorKind::trailing_content, 1, 4},
      {"[\"\\ud800\"]", JsonErrorKind::invalid_unicode_escape, 1, 3},
      {"[\"\xff\"]", JsonErrorKind::invalid_utf8, 1, 3},
      {"\xff\xfe{}", JsonErrorKind::byte_order_mark_utf16, 1, 1},
  };
  for (const auto& c : cases) {
    JsonDocument doc;
    EXPECT_FALSE(doc.parse(c.text)) << c.text;
    EXPECT_EQ(doc.error(), c.kind) << c.text;
    hoks::LineIndex index(c.text);
    const auto p = index.locate(doc.error_offset());
    EXPECT_EQ(p.line, c.line) << c.text;
    EXPECT_EQ(p.column, c.column) << c.text;
  }
}

TEST(JsonReader, DeepNestingIsAnErrorNotACrash) {
  const std::string deep(200000, '[');
  JsonDocument doc;
  EXPECT_FALSE(doc.parse(deep));
  EXPECT_EQ(doc.error(), JsonErrorKind::too_deep);
  hoks::JsonLimits unlimited;
  unlimited.max_depth = 0;
  std::string balanced = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_TRUE(doc.parse(balanced, unlimited));  // iterative: no stack overflow either
}

TEST(JsonReader, Utf8ByteOrderMarkIsSkipped) {
  JsonDocument doc;
  EXPECT_TRUE(doc.parse("\xEF\xBB\xBF{\"a\": 1}"));
  EXPECT_EQ(doc.root().get("a").str(), "1");
}

// JSONTestSuite (../shared/conformance): y_ must parse, n_ must fail with a position, i_ must not crash.
TEST(JsonTestSuite, AllCases) {
  const fs::path dir = hoks::test::shared_dir() / "conformance" / "JSONTestSuite";
  ASSERT_TRUE(fs::exists(dir)) << dir;
  int y = 0, n = 0, i = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json") continue;
    const std::string text = hoks::test::read(entry.path());
    JsonDocument doc;
    const bool ok = doc.parse(text);
    if (name.rfind("y_", 0) == 0) {
      EXPECT_TRUE(ok) << name << ": " << hoks::to_string(doc.error());
      ++y;
    } else if (name.rfind("n_", 0) == 0) {
      EXPECT_FALSE(ok) << name;
      if (!ok) {
        EXPECT_LE(doc.error_offset(), text.size()) << name;
      }
      ++n;
    } else if (name.rfind("i_", 0) == 0) {
      ++i;
    }
  }
  EXPECT_GT(y, 90);
  EXPECT_GT(n, 170);
  EXPECT_GT(i, 10);
}

// Columns count characters, not bytes, over every width the counting loops take (32, 16, 8, 1
// bytes at a time) and across their seams: checked against a byte-by-byte count, stepping
// forward (the index resumes from its last position), from the start, and backwards.
TEST(LineIndexColumns, CountCharactersLikeAPlainLoopAtEveryLength) {
  std::string text;
  const char* pieces[] = {"a", "\xC3\xA4", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E", "\"", "b"};  // 1 to 4 bytes
  for (unsigned k = 0; text.size() < 20000; ++k) text += pieces[(k * 7 + k / 5) % 6];
  text += "\nx\xC3\xA4y";
  const auto plain = [&](std::size_t offset) {
    hoks::TextPosition p{1, 1};
    for (std::size_t i = 0; i < offset; ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == '\n') p = {p.line + 1, 1};
      else if ((c & 0xC0) != 0x80) ++p.column;
    }
    return p;
  };
  hoks::LineIndex forward(text);
  for (std::size_t offset = 0; offset <= text.size(); offset += offset + 40 < text.size() ? 97 : 1) {
    const auto p = forward.locate(offset), q = plain(offset);
    ASSERT_EQ(p.line, q.line) << offset;
    ASSERT_EQ(p.column, q.column) << offset;
  }
  for (std::size_t offset : {19999u, 12345u, 31u, 0u}) {  // backwards, each a long count from the line start
    const auto p = forward.locate(offset), q = plain(offset);
    EXPECT_EQ(p.column, q.column) << offset;
    EXPECT_EQ(hoks::LineIndex(text).locate(offset).column, q.column) << offset;
  }
}

// put_json_string (the report's writer, sixteen bytes at a time with an overlapping last block)
// writes what append_json_string does, for every length around the block size, with bytes to
// escape at every position, and never past the room it is given (2 + 6 per byte).
TEST(JsonStringWriter, PutWritesWhatAppendWritesAtEveryLengthAndPosition) {
  const std::string specials = std::string("\"\\\n\r\t\b\f\x01\x1f", 9) + std::string(1, '\0');
  unsigned seed = 7;
  auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  std::size_t cases = 0;
  for (std::size_t n = 0; n <= 70; ++n) {
    for (int round = 0; round < 40; ++round) {
      std::string s;
      for (std::size_t i = 0; i < n; ++i) {
        const unsigned r = next() >> 16;
        if (r % 7 == 0) s += specials[r % specials.size()];
        else if (r % 11 == 0) s += "\xc3\xa4";  // ä: bytes above 0x7f pass as they are
        else s += static_cast<char>('a' + r % 26);
      }
      s.resize(n);
      std::string expected;
      hoks::detail::append_json_string(expected, s);
      const std::size_t room = 2 + 6 * s.size();
      std::string buffer(room + 32, '#');
      char* end = hoks::detail::put_json_string(buffer.data(), s);
      ASSERT_LE(static_cast<std::size_t>(end - buffer.data()), room);
      EXPECT_EQ(std::string(buffer.data(), end), expected) << "length " << n;
      EXPECT_EQ(buffer.substr(room), std::string(32, '#')) << "wrote past its room, length " << n;
      ++cases;
    }
  }
  EXPECT_EQ(cases, 71u * 40u);
}

// put_json_chars (the escaped characters without the quotes: the values in a report's messages)
// writes what append_json_string writes between its quotes, at every short length (the lengths
// of four to fifteen bytes are checked at once with overlapping loads) and within 6 bytes per byte.
TEST(JsonStringWriter, CharsWithoutQuotesAtShortLengthsWithEscapesAnywhere) {
  const std::string specials = std::string("\"\\\n\x01\x1f", 5) + std::string(1, '\0');
  for (std::size_t n = 0; n <= 40; ++n)
    for (std::size_t at = 0; at <= n; ++at)
      for (const char special : specials) {
        std::string s(n, 'x');
        for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 5) % 26);
        if (at < n) s[at] = special;
        std::string expected;
        hoks::detail::append_json_string(expected, s);
        std::string buffer(6 * n + 32, '#');
        char* end = hoks::detail::put_json_chars(buffer.data(), s);
        ASSERT_LE(static_cast<std::size_t>(end - buffer.data()), 6 * n);
        EXPECT_EQ(std::string(buffer.data(), end), expected.substr(1, expected.size() - 2)) << n << " " << at;
        EXPECT_EQ(buffer.substr(6 * n), std::string(32, '#'));
      }
}

// LineIndex::one_line (an NDJSON row) gives the positions a LineIndex gives, forwards and back.
TEST(LineIndexColumns, OneLineGivesWhatTheLineScanGives) {
  std::string text = "\xEF\xBB\xBF{\"a\": \"\xC3\xA4\xE2\x82\xAC\"";
  while (text.size() < 3000) text += ", \"k\xC3\xA4\": \"v\xF0\x9D\x84\x9E\"";
  hoks::LineIndex one = hoks::LineIndex::one_line(text), scanned(text);
  for (std::size_t offset : {0u, 3u, 4u, 5u, 100u, 2999u, 40u, 2000u, 3000u, 1u}) {
    const auto p = one.locate(offset), q = scanned.locate(offset);
    EXPECT_EQ(p.line, q.line) << offset;
    EXPECT_EQ(p.column, q.column) << offset;
  }
}

// A key's `~` and `/` are found at every position of keys of every length up to 70 (the scans go
// sixteen and eight bytes at a time), and a path deeper than the steps kept on the stack is whole.
TEST(JsonReader, PointersEscapeKeysOfEveryLengthAndDepth) {
  for (std::size_t n = 0; n <= 70; ++n) {
    for (std::size_t at = 0; at <= n; ++at) {
      for (const char special : {'~', '/'}) {
        std::string key(n, 'k');
        if (at < n) key[at] = special;
        const std::string text = "{\"" + key + "\": [0, {\"x\": 1}]}";  // outlives the document
        JsonDocument doc;
        ASSERT_TRUE(doc.parse(text));
        std::string escaped;
        for (const char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
        const std::uint32_t i = doc.find("/" + escaped + "/1/x");
        ASSERT_NE(i, UINT32_MAX) << key;
        EXPECT_EQ(doc.pointer(i), "/" + escaped + "/1/x") << key;
      }
    }
  }
  std::string text, want;
  for (int d = 0; d < 100; ++d) {
    text += d % 2 ? "[1, " : "{\"k" + std::to_string(d) + "\": ";
    want += d % 2 ? "/1" : "/k" + std::to_string(d);
  }
  text += "0";
  for (int d = 99; d >= 0; --d) text += d % 2 ? "]" : "}";
  hoks::JsonLimits unlimited;
  unlimited.max_depth = 0;
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(text, unlimited));
  const std::uint32_t i = doc.find(want);
  ASSERT_NE(i, UINT32_MAX);
  EXPECT_EQ(doc.pointer(i), want);
}
