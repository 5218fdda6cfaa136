#include "hoks/check/checks.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "hoks/model/model.hpp"
#include "hoks/model/pattern.hpp"
#include "hoks/model/versions.hpp"

using namespace hoks;

namespace {
// An OID is valid when it matches its type's pattern and, for persons and study rights, its check digit.
bool oid_valid(const char* type_name, const std::string& oid) {
  const ValueType* t = Model::builtin().find_type(type_name);
  if (!t || !t->pattern || !t->pattern->find(oid)) return false;
  return t->check != ValueCheck::oid || oid_check_digit_valid(oid);
}
}  // namespace

// ehoks-model.md §3.3, every worked example.
TEST(Oid, OpiskeluoikeusExamples) {
  EXPECT_TRUE(oid_valid("OOID", "1.2.246.562.15.10000000009"));
  EXPECT_TRUE(oid_valid("OOID", "1.2.246.562.15.41024330544"));
  EXPECT_TRUE(oid_valid("OOID", "1.2.246.562.15.298574987110"));
  EXPECT_FALSE(oid_valid("OOID", "1.2.246.562.15.41024330545"));
  EXPECT_FALSE(oid_valid("OOID", "1.2.246.562.15.897639829610"));
  EXPECT_FALSE(oid_valid("OOID", "1.2.246.562.15.09873698279"));
  EXPECT_FALSE(oid_valid("OOID", "1.2.246.562.24.41024330544"));
  for (const char* ok : {"1.2.246.562.15.20000000008", "1.2.246.562.15.30000000007", "1.2.246.562.15.40000000006",
                         "1.2.246.562.15.50000000005", "1.2.246.562.15.60000000004", "1.2.246.562.15.60000000012",
                         "1.2.246.562.15.70000000003", "1.2.246.562.15.10000000017", "1.2.246.562.15.76811942028"})
    EXPECT_TRUE(oid_valid("OOID", ok)) << ok;
}

TEST(Oid, OppijaExamples) {
  EXPECT_TRUE(oid_valid("PID", "1.2.246.562.24.12312312319"));
  EXPECT_TRUE(oid_valid("PID", "1.2.246.562.24.44651722625"));
  EXPECT_TRUE(oid_valid("PID", "1.2.246.562.24.898261719310"));
  EXPECT_TRUE(oid_valid("PID", "1.2.246.562.98.12312312312"));
  EXPECT_TRUE(oid_valid("PID", "1.2.246.562.24.12312312322"));
  EXPECT_FALSE(oid_valid("PID", "1.2.246.562.24.12312312318"));
  EXPECT_FALSE(oid_valid("PID", "1.2.246.562.98.12312312319"));
  EXPECT_FALSE(oid_valid("PID", "1.2.246.562.25.12312312319"));
  EXPECT_FALSE(oid_valid("PID", "1.2.246.562.24.642978032610"));
}

TEST(Oid, OrganisaatioExamples) {
  for (const char* ok : {"1.2.246.562.10.00000000001", "1.2.246.562.10.12944436167", "1.2.246.562.10.12944436166",
                         "1.2.246.562.10.2013102416241359289612", "1.2.246.562.10.346830761110",
                         "1.2.246.562.199.12944436166"})
    EXPECT_TRUE(oid_valid("ORGID", ok)) << ok;
  for (const char* bad : {"1.2.246.562.10.5286980957", "1.2.246.562.10.00000000002", "1.2.246.562.15.92214483247",
                          "1.2.246.562.10.2015102416241359289612"})
    EXPECT_FALSE(oid_valid("ORGID", bad)) << bad;
}

TEST(Oid, TrailingNewlineIsAcceptedLikeJava) {
  const ValueType* t = Model::builtin().find_type("OOID");
  const std::string oid = "1.2.246.562.15.41024330544\n";
  EXPECT_TRUE(oid_valid("OOID", oid));
  EXPECT_TRUE(t->pattern->needs_final_terminator(oid));
  EXPECT_FALSE(t->pattern->needs_final_terminator("1.2.246.562.15.41024330544"));
  EXPECT_FALSE(oid_valid("OOID", "1.2.246.562.15.41024330544\n\n"));
  EXPECT_FALSE(oid_valid("OOID", " 1.2.246.562.15.41024330544"));
}

// ehoks-model.md §3.5.
TEST(YTunnus, Examples) {
  auto valid = [](const std::string& y) {
    return Model::builtin().find_type("YT")->pattern->find(y) && y_tunnus_check_digit_valid(y);
  };
  for (const char* ok : {"1234567-1", "0149669-3", "2345678-0", "3213687-7", "0116480-8", "2613026-8", "2708404-8"})
    EXPECT_TRUE(valid(ok)) << ok;
  for (const char* bad : {"1234567-2", "7654321-8", "0000006-1", "0000006-0", "1234567-1 ", "12345671", "Ei y-tunnusta"})
    EXPECT_FALSE(valid(bad)) << bad;
  for (int d = 0; d <= 9; ++d) EXPECT_FALSE(valid("0000006-" + std::to_string(d)));
}

TEST(Dates, StrictCalendar) {
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2024-02-30"));
  EXPECT_FALSE(parse_date("20240115"));
  EXPECT_FALSE(parse_date("2024-1-5"));
  EXPECT_FALSE(parse_date(" 2024-01-15"));
  EXPECT_FALSE(parse_date("2024-01-15T10:00"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_EQ((Date{2024, 2, 29}.plus_years(5)), (Date{2029, 2, 28}));
  EXPECT_EQ((Date{2026, 11, 28}.plus_days(15)), (Date{2026, 12, 13}));
  EXPECT_EQ(Date::from_days(Date{2000, 3, 1}.days()), (Date{2000, 3, 1}));
}

TEST(Instants, LenientLikeJoda) {
  for (const char* ok : {"2024", "2024-01", "2024-01-15", "2024-01-15T10:00", "2024-01-15T10:00:00.123Z",
                         "2024-01-15T10:00:00+02:00", "2024-01-15T10", "2024-01-15T10:00:00.123456"})
    EXPECT_TRUE(is_instant(ok)) << ok;
  for (const char* bad : {"2024-01-15 10:00", "", "15.1.2024", "2024-13", "2024-02-30", "2024-01-15T25:00"})
    EXPECT_FALSE(is_instant(bad)) << bad;
}

TEST(Phone, CP1) {
  EXPECT_TRUE(phone_valid(""));
  EXPECT_TRUE(phone_valid("+358 (40) 123-4567"));
  EXPECT_FALSE(phone_valid("040 123 4567 ext"));
  EXPECT_TRUE(phone_valid(std::string(256, '1')));
  EXPECT_FALSE(phone_valid(std::string(257, '1')));
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(trim("\xE3\x80\x80x\xE2\x80\x83"), "x");  // U+3000, U+2003
}

TEST(Pattern, SubsetOfJavaRegex) {
  auto p = Pattern::compile("^a(b|cd)*e{2}[^x-z]?$");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->find("aee"));
  EXPECT_TRUE(p->find("abcdbeew"));
  EXPECT_FALSE(p->find("abcdbeex"));
  EXPECT_FALSE(p->find("xaee"));
  auto unanchored = Pattern::compile("b+c");
  ASSERT_TRUE(unanchored);
  EXPECT_TRUE(unanchored->find("aaabbbcz"));
  EXPECT_FALSE(unanchored->find("aaabbbz"));
  EXPECT_FALSE(Pattern::compile("a(b"));
  EXPECT_FALSE(Pattern::compile("a{3,1}"));
  EXPECT_FALSE(Pattern::compile("\\p{L}"));
}

// The built-in models' patterns are compiled when the library is built; compile() copies those
// automata. They must be the ones build() makes now, and give the same verdicts.
TEST(Pattern, CompiledAtBuildTimeEqualsCompiledNow) {
  std::vector<const ValueType*> types;
  for (const auto& t : Model::builtin().types()) types.push_back(&t);
  for (const auto& v : ModelVersions::builtin().versions())
    for (const auto& t : ModelVersions::builtin().model(v.version).types()) types.push_back(&t);
  const std::vector<std::string> seeds = {"", "1.2.246.562.24.12312312319", "1.2.246.562.15.10000000009",
                                          "1.2.246.562.10.00000000001", "1.2.246.562.99.2013123456789012345678",
                                          "1234567-1", "tutkinnonosat_123", "osaamisenhankkimistapa_oppisopimus",
                                          "oppimisymparistot_0001", "koulutuksenosattuva_101",
                                          "ammatillinenkoulutusoppimisentuentyyppi_01", "ammatillisentutkinnonosanryhma_1",
                                          "123e4567-e89b-12d3-a456-426614174000", "x"};
  std::size_t compared = 0;
  for (const ValueType* t : types) {
    if (!t->pattern) continue;
    const std::string& source = t->pattern->source();
    const auto now = Pattern::build(source);
    ASSERT_TRUE(now) << source;
    const detail::PatternTables a = t->pattern->tables(), b = now->tables();
    EXPECT_EQ(a.anchored_end, b.anchored_end) << source;
    ASSERT_EQ(a.class_count, b.class_count) << source;
    ASSERT_EQ(a.states, b.states) << source;
    EXPECT_EQ(a.start, b.start) << source;
    EXPECT_EQ(a.prefix, b.prefix) << source;
    EXPECT_EQ(a.after_prefix, b.after_prefix) << source;
    EXPECT_TRUE(std::equal(a.classes, a.classes + 256, b.classes)) << source;
    EXPECT_TRUE(std::equal(a.accepting, a.accepting + a.states, b.accepting)) << source;
    EXPECT_TRUE(std::equal(a.next, a.next + std::size_t{a.states} * a.class_count, b.next)) << source;
    // Verdicts on the seeds, each also cut short, with one byte changed, and with a line terminator.
    for (const auto& seed : seeds) {
      std::vector<std::string> texts = {seed, seed + "\n", seed + "\r\n", seed + "5"};
      for (std::size_t i = 0; i < seed.size(); ++i) {
        texts.push_back(seed.substr(0, i));
        for (char c : {'0', '9', 'a', '.', '_', '-'}) texts.push_back(seed.substr(0, i) + c + seed.substr(i + 1));
      }
      for (const auto& text : texts) {
        EXPECT_EQ(t->pattern->find(text), now->find(text)) << source << " on " << text;
        EXPECT_EQ(t->pattern->needs_final_terminator(text), now->needs_final_terminator(text)) << source << " on " << text;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 10000u);
}

TEST(OidGenerator, CheckDigitsRoundTrip) {
  EXPECT_EQ(oid_check_digit("15", "4102433054"), 4);
  EXPECT_EQ(oid_check_digit("24", "1231231231"), 9);
  EXPECT_EQ(oid_check_digit("98", "1231231231"), 2);
  EXPECT_EQ(y_tunnus_check_digit("1234567"), 1);
  EXPECT_EQ(y_tunnus_check_digit("0000006"), -1);
}
