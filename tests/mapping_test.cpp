// Mapping profiles: loading (errors with lines), transforms, strictness, linked CSV tables, and a
// third format whose profile was written only from docs/mapping.md.
#include <gtest/gtest.h>
#include <cstdio>
#include <pugixml.hpp>

#include "convert_support.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/convert/mapping.hpp"
#include "hoks/read/encoding.hpp"
#include "hoks/check/validate.hpp"

using namespace hoks;

namespace {

Transform transform_of(const std::string& yaml) {
  const Profile p = Profile::load("profile: t\nformat: xml\nxml: {root: R}\ntransforms:\n  t: " + yaml +
                                      "\ndocuments:\n  xml: D\n  fields:\n    - {field: sahkoposti, xml: \"@s\", transform: t}\n",
                                  "t.yaml");
  return p.documents.fields.at(0).transforms.at(0);
}

std::string profile_error(const std::string& yaml) {
  try {
    Profile::load(yaml, "bad.yaml");
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Transforms, FinnishDatesBothWays) {
  const Transform t = transform_of("{date: d.M.yyyy}");
  std::string v = "1.9.2024";
  ASSERT_TRUE(t.read(v));
  EXPECT_EQ(v, "2024-09-01");
  ASSERT_TRUE(t.write(v));
  EXPECT_EQ(v, "1.9.2024");
  v = "01.09.2024";
  ASSERT_TRUE(t.read(v));
  EXPECT_EQ(v, "2024-09-01");
  for (const char* bad : {"31.2.2024", "1.13.2024", "1.9.24", "1/9/2024", "", "1.9.2024 ", "x"}) {
    v = bad;
    EXPECT_FALSE(t.read(v)) << bad;
  }
  const Transform padded = transform_of("{date: dd.MM.yy}");
  v = "2024-09-01";
  ASSERT_TRUE(padded.write(v));
  EXPECT_EQ(v, "01.09.24");
  ASSERT_TRUE(padded.read(v));
  EXPECT_EQ(v, "2024-09-01");
  v = "1999-01-01";
  EXPECT_FALSE(padded.write(v));  // yy cannot hold 1999
}

// A date read is written YYYY-MM-DD (as printf's %04d-%02d-%02d) at every width of its parts, and a
// date outside the calendar is refused.
TEST(Transforms, DatesReadAsYyyyMmDdAtEveryWidth) {
  const Transform t = transform_of("{date: d.M.yyyy}");
  for (const int year : {1, 9, 10, 99, 100, 999, 1000, 1999, 2024, 9999})
    for (int month = 1; month <= 12; ++month)
      for (const int day : {1, 9, 10, 28, 29, 30, 31}) {
        std::string v = std::to_string(day) + "." + std::to_string(month) + "." + std::string(year < 10 ? "000" : year < 100 ? "00" : year < 1000 ? "0" : "") + std::to_string(year);
        char iso[16];
        std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
        const bool in_calendar = day <= 28 || (day == 29 && (month != 2 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))) ||
                                 (day == 30 && month != 2) || (day == 31 && (month == 1 || month == 3 || month == 5 || month == 7 || month == 8 || month == 10 || month == 12));
        ASSERT_EQ(t.read(v), in_calendar) << iso;
        if (in_calendar) EXPECT_EQ(v, iso);
      }
  for (const char* bad : {"0.1.2024", "1.0.2024", "1.1.10000", "100.1.2024"}) {
    std::string v = bad;
    EXPECT_FALSE(t.read(v)) << bad;
  }
  const Transform short_year = transform_of("{date: dd.MM.yy}");
  std::string v = "09.07.05";
  ASSERT_TRUE(short_year.read(v));
  EXPECT_EQ(v, "2005-07-09");
}

TEST(Transforms, BooleansCodesPrefixTrimDecimalComma) {
  const Transform b = transform_of("{boolean: {true: [K, kyllä], false: [E, ei]}}");
  for (auto [in, out] : {std::pair{"K", "true"}, {"k", "true"}, {"kyllä", "true"}, {"E", "false"}, {"ei", "false"}}) {
    std::string v = in;
    ASSERT_TRUE(b.read(v)) << in;
    EXPECT_EQ(v, out);
  }
  std::string v = "1";
  EXPECT_FALSE(b.read(v));
  v = "false";
  ASSERT_TRUE(b.write(v));
  EXPECT_EQ(v, "E");

  const Transform c = transform_of("{codes: {KS: osaamisenhankkimistapa_koulutussopimus, K: osaamisenhankkimistapa_koulutussopimus}}");
  v = "K";
  ASSERT_TRUE(c.read(v));
  EXPECT_EQ(v, "osaamisenhankkimistapa_koulutussopimus");
  ASSERT_TRUE(c.write(v));
  EXPECT_EQ(v, "KS");  // the first code of the value
  v = "XX";
  EXPECT_FALSE(c.read(v));
  v = "osaamisenhankkimistapa_muu";
  EXPECT_FALSE(c.write(v));

  const Transform p = transform_of("{prefix: tutkinnonosat_}");
  v = "106915";
  ASSERT_TRUE(p.read(v));
  EXPECT_EQ(v, "tutkinnonosat_106915");
  ASSERT_TRUE(p.write(v));
  EXPECT_EQ(v, "106915");
  v = "other_1";
  EXPECT_FALSE(p.write(v));

  const Transform t = transform_of("trim");
  v = "  x \t";
  ASSERT_TRUE(t.read(v));
  EXPECT_EQ(v, "x");
  const Transform d = transform_of("decimal-comma");
  v = "37,5";
  ASSERT_TRUE(d.read(v));
  EXPECT_EQ(v, "37.5");
  ASSERT_TRUE(d.write(v));
  EXPECT_EQ(v, "37,5");
}

TEST(Profiles, ErrorsNameTheLine) {
  EXPECT_NE(profile_error("profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n    - {field: no-such-field, xml: a}\n")
                .find("bad.yaml:7: 'no-such-field' is not a field of HOKS"),
            std::string::npos);
  EXPECT_NE(profile_error("profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n    - {field: versio, xlm: a}\n")
                .find("unknown key 'xlm'"),
            std::string::npos);
  EXPECT_NE(profile_error("profile: p\nformat: csv\ndocuments:\n  fields:\n    - {field: versio, xml: a}\n").find("use 'column'"),
            std::string::npos);
  EXPECT_NE(profile_error("profile: p\nformat: xml\nxml: {root: R}\ntransforms:\n  d: {date: d.M.y}\ndocuments: {xml: D, fields: []}\n")
                .find("bad.yaml:5"),
            std::string::npos);
  EXPECT_NE(profile_error("profile: p\nformat: csv\ndocuments:\n  fields:\n    - field: hankittavat-ammat-tutkinnon-osat\n"
                          "      fields:\n        - field: osaamisen-hankkimistavat\n          fields: [{field: alku, column: A}]\n")
                .find("needs 'key'"),
            std::string::npos);
  EXPECT_NE(profile_error("profile: p\nformat: xml\nxml: {root: R}\ndocuments: {xml: D, fields: [{field: oppimisen-tuki, fields: []}]}\n")
                .find("needs 'xml'"),
            std::string::npos);
  EXPECT_NE(profile_error("profile: [unclosed\n").find("bad.yaml:"), std::string::npos);
  EXPECT_NE(profile_error("format: xml\n").find("needs a name"), std::string::npos);
}

TEST(Profiles, BuiltInProfileFilesEqualTheBuiltIns) {
  for (const char* name : {"canonical-xml.yaml", "canonical-csv.yaml", "example-vendor-xml.yaml", "example-vendor-csv.yaml"}) {
    const auto path = test::source_dir() / "schema" / "profiles" / name;
    EXPECT_NO_THROW(Profile::load(test::read(path), path.string())) << name;
  }
  const Profile x = Profile::load(test::read(test::source_dir() / "schema" / "profiles" / "canonical-xml.yaml"));
  EXPECT_EQ(x.format(), Profile::Format::canonical_xml);
  EXPECT_EQ(x.xml_root, Profile::canonical_xml().xml_root);
  const Profile c = Profile::load(test::read(test::source_dir() / "schema" / "profiles" / "canonical-csv.yaml"));
  EXPECT_EQ(c.format(), Profile::Format::canonical_csv);
  EXPECT_EQ(c.dialect, Profile::canonical_csv().dialect);
  EXPECT_EQ(c.formula_guard, Profile::canonical_csv().formula_guard);
}

TEST(Profiles, StrictMakesUnmappedInputAnError) {
  const std::string base = "profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n    - {field: versio, xml: \"@v\"}\n";
  const std::string xml = "<R><D v=\"1\" extra=\"x\"><Unknown/></D></R>";
  for (bool strict : {false, true}) {
    const Profile p = Profile::load(base + (strict ? "strict: true\n" : ""), "p");
    const Conversion c = p.read({{"x.xml", xml}});
    ASSERT_EQ(c.findings.size(), 2u);
    for (const auto& f : c.findings) {
      EXPECT_EQ(f.rule, "unmapped-input");
      EXPECT_EQ(f.severity, strict ? Severity::error : Severity::warning);
    }
    EXPECT_EQ(c.document.get("versio")->text, "1");
  }
}

TEST(Profiles, UnmappedAttributesAreFoundWhateverTheirQuotesAndValues) {
  const Profile p = Profile::load("profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n"
                                  "    - {field: versio, xml: \"@v\"}\n    - {field: sahkoposti, xml: \"E/@s\"}\n",
                                  "p");
  const std::string xml = "<R><D v='1' a=''\n b = \"&amp;\"><E s=\"\" c='x'/><E/>t</D></R>";
  const Conversion c = p.read({{"x.xml", xml}});
  std::vector<std::string> names;
  for (const auto& f : c.findings) names.push_back(std::string(f.arg("name")) + "@" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column));
  EXPECT_EQ(names, (std::vector<std::string>{"D/@a@1:13", "D/@b@2:2", "E/@c@2:22", "D/text()@2:33"}));
  EXPECT_EQ(c.document.get("versio")->text, "1");
}

TEST(Profiles, XmlListsSplitEachValueAndKeepEmptyGivesAnEmptyList) {
  const Profile p = Profile::load(R"(profile: sp
format: xml
xml: {root: R}
documents:
  xml: D
  fields:
    - field: hankittavat-ammat-tutkinnon-osat
      xml: O
      fields:
        - field: osaamisen-hankkimistavat
          xml: J
          fields:
            - field: tyopaikalla-jarjestettava-koulutus
              xml: T
              fields:
                - {field: keskeiset-tyotehtavat, xml: "K/@t", split: "|", keep-empty: true}
)",
                                  "sp.yaml");
  const Conversion c = p.read({{"sp.xml", "<R><D><O><J><T><K t=\"a|b\"/><K t=\"\"/><K t=\"c\"/></T></J><J><T><K t=\"\"/></T></J>"
                                          "<J><T/></J><J><T><K t=\"||\"/></T></J></O></D></R>"}});
  ASSERT_FALSE(c.fatal);
  std::vector<std::string> lists;
  for (const Json& way : c.document.get("hankittavat-ammat-tutkinnon-osat")->items.at(0).get("osaamisen-hankkimistavat")->items)
    lists.push_back(write_json_compact(*way.get("tyopaikalla-jarjestettava-koulutus")->get("keskeiset-tyotehtavat")));
  EXPECT_EQ(lists, (std::vector<std::string>{R"(["a","b","c"])", "[]", "[]", R"(["","",""])"}));
}

// Large inputs take other memory (pugixml's nodes from an arena of 2 MiB pages, a single-byte CSV
// decoded into 2 MiB pages, a grid's cells likewise): they read as the same text in pieces does,
// and a pugixml document of the program's own lives through a read and goes after it.
TEST(Profiles, LargeInputsReadAsSmallOnes) {
  pugi::xml_document own;
  own.load_string("<mine a=\"1\"><x/></mine>");
  const Profile x = Profile::load("profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n"
                                  "    - {field: versio, xml: \"@v\"}\n    - {field: sahkoposti, xml: \"E/@s\"}\n",
                                  "p");
  const std::string one = "<D v=\"1\">\n <E s=\"a@b.fi\" c=\"x\"/>\n</D>\n";
  std::string xml = "<R>\n";
  std::size_t docs = 0;
  while (xml.size() < (std::size_t{6} << 20)) xml += one, ++docs;
  xml += "</R>\n";
  const Conversion big = x.read({{"x.xml", xml}});
  const Conversion small = x.read({{"x.xml", "<R>\n" + one + one + "</R>\n"}});
  ASSERT_FALSE(big.fatal);
  ASSERT_EQ(big.document.items.size(), docs);
  EXPECT_EQ(write_json_compact(big.document.items.back()), write_json_compact(small.document.items.back()));
  ASSERT_EQ(big.findings.size(), docs);
  EXPECT_EQ(big.findings.back().location.line, 3 * docs);
  EXPECT_EQ(big.findings.back().location.column, small.findings.back().location.column);
  EXPECT_STREQ(own.child("mine").attribute("a").value(), "1");

  const Profile c = Profile::load("profile: c\nformat: csv\nencoding: windows-1252\ncsv: {delimiter: \";\", header: true}\n"
                                  "documents:\n  key: [oid]\n  fields:\n    - {field: oppija-oid, column: oid}\n"
                                  "    - {field: sahkoposti, column: \"s\xC3\xA4hk\xC3\xB6posti\"}\n",
                                  "c.yaml");
  std::string csv = "oid;s\xE4hk\xF6posti\r\n";
  std::size_t rows = 0;
  while (csv.size() < (std::size_t{3} << 20)) csv += "1.2.246.562.24." + std::to_string(10000000000 + rows++) + ";\xE4\xF6@esimerkki.fi\r\n";
  const Conversion read = c.read({{"c.csv", csv}});
  ASSERT_FALSE(read.fatal);
  ASSERT_EQ(read.document.items.size(), rows);
  EXPECT_EQ(read.document.items.back().get("sahkoposti")->text, "\xC3\xA4\xC3\xB6@esimerkki.fi");
  // A byte windows-1252 does not define: the same finding at the same place as through a string.
  const std::string bad = csv + "x;\x81\r\n";
  const Conversion failed = c.read({{"c.csv", bad}});
  ASSERT_TRUE(failed.fatal);
  ASSERT_EQ(failed.findings.size(), 1u);
  EXPECT_EQ(failed.findings[0].arg("detail"), "invalid_encoding");
  EXPECT_EQ(failed.findings[0].location.line, rows + 2);
  EXPECT_EQ(failed.findings[0].location.column, 3u);
  std::string decoded;
  ASSERT_TRUE(to_utf8(bad, Encoding::windows1252, decoded));
  std::string direct(detail::single_byte_utf8_bound(bad), '\0');
  std::size_t written = 0;
  const auto error = detail::single_byte_to_utf8(bad, true, direct.data(), written);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->offset, bad.size() - 3);
  EXPECT_EQ(direct.substr(0, written), decoded);
}

TEST(Profiles, WritingReportsWhatTheFormatCannotCarry) {
  const Profile p = Profile::load("profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n"
                                  "    - {field: ensikertainen-hyvaksyminen, xml: \"@h\", transform: {date: d.M.yyyy}}\n",
                                  "p");
  Conversion c;
  ASSERT_TRUE(parse_json_tree(R"({"ensikertainen-hyvaksyminen": "2024-02-30", "versio": 1})", "j", c));
  const Output out = p.write(c.document);
  ASSERT_EQ(out.findings.size(), 2u);
  EXPECT_EQ(out.findings[0].rule, "unmapped-input");
  EXPECT_EQ(out.findings[0].path, "/versio");
  EXPECT_EQ(out.findings[1].rule, "transform-failed");
  EXPECT_EQ(out.findings[1].path, "/ensikertainen-hyvaksyminen");
  EXPECT_NE(out.files[0].bytes.find("h=\"2024-02-30\""), std::string::npos);  // written as it is, and reported
}

TEST(Profiles, DefaultsAndConstants) {
  const Profile p = Profile::load("profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n"
                                  "    - {field: versio, xml: \"@v\", default: 1}\n"
                                  "    - {field: urasuunnitelma-koodi-versio, constant: 1}\n",
                                  "p");
  const Conversion c = p.read({{"x", "<R><D/><D v=\"\"/><D v=\"4\"/></R>"}});
  ASSERT_EQ(c.document.items.size(), 3u);
  EXPECT_EQ(c.document.items[0].get("versio")->text, "1");
  EXPECT_EQ(c.document.items[1].get("versio")->text, "1");
  EXPECT_EQ(c.document.items[2].get("versio")->text, "4");
  EXPECT_EQ(c.document.items[0].get("urasuunnitelma-koodi-versio")->type, JsonType::number);
  const Output out = p.write(c.document);
  EXPECT_EQ(out.files[0].bytes, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R>\n  <D />\n  <D />\n  <D v=\"4\" />\n</R>\n");
}

// A third format, written only from docs/mapping.md: a tab-separated UTF-8 (BOM) export in two
// files, students and their workplace periods, linked by the student number.
TEST(ThirdFormat, ProfileWrittenFromTheDocumentationConvertsAndValidates) {
  const std::string profile_yaml = R"(profile: lukkari-tsv
description: Lukkari export, tab separated, students and periods in two files
format: csv
encoding: utf-8-bom
csv:
  delimiter: "\t"
  line-ending: lf
transforms:
  pvm: {date: dd.MM.yyyy}
documents:
  key: [oid]
  fields:
    - {field: oppija-oid, column: oid}
    - {field: opiskeluoikeus-oid, column: oo}
    - {field: ensikertainen-hyvaksyminen, column: hyvaksytty, transform: pvm}
    - {field: osaamisen-hankkimisen-tarve, column: tarve, transform: {boolean: {true: "1", false: "0"}}}
    - {field: urasuunnitelma-koodi-uri, column: ura, transform: {prefix: urasuunnitelma_}}
    - {field: urasuunnitelma-koodi-versio, constant: 1}
    - field: hankittavat-ammat-tutkinnon-osat
      table: osat.tsv
      link: [opiskelija]
      key: [osa]
      fields:
        - {field: tutkinnon-osa-koodi-uri, column: osa, transform: {prefix: tutkinnonosat_}}
        - {field: tutkinnon-osa-koodi-versio, constant: 1}
        - field: osaamisen-hankkimistavat
          fields:
            - {field: alku, column: alku, transform: pvm}
            - {field: loppu, column: loppu, transform: pvm}
            - {field: osaamisen-hankkimistapa-koodi-uri, column: tapa, transform: {codes: {L: osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus}}}
            - {field: osaamisen-hankkimistapa-koodi-versio, constant: 1}
)";
  const Profile p = Profile::load(profile_yaml, "lukkari.yaml");
  const std::string students =
      "\xEF\xBB\xBFoid\too\thyvaksytty\ttarve\tura\n"
      "1.2.246.562.24.44651722625\t1.2.246.562.15.10000000009\t05.09.2023\t1\t0001\n"
      "1.2.246.562.24.42016337194\t1.2.246.562.15.76811942028\t06.09.2023\t0\t0002\n";
  const std::string units =
      "\xEF\xBB\xBFopiskelija\tosa\talku\tloppu\ttapa\n"
      "1.2.246.562.24.44651722625\t106915\t01.10.2023\t30.11.2023\tL\n"
      "1.2.246.562.24.44651722625\t106915\t01.12.2023\t31.01.2024\tL\n"
      "1.2.246.562.24.44651722625\t106916\t01.02.2024\t29.02.2024\tL\n";
  const Conversion c = p.read({{"opiskelijat.tsv", students}, {"osat.tsv", units}});
  ASSERT_FALSE(c.fatal);
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("name");
  ASSERT_EQ(c.document.items.size(), 2u);
  const Json& first = c.document.items[0];
  EXPECT_EQ(first.get("ensikertainen-hyvaksyminen")->text, "2023-09-05");
  EXPECT_TRUE(first.get("osaamisen-hankkimisen-tarve")->boolean);
  const Json* units_json = first.get("hankittavat-ammat-tutkinnon-osat");
  ASSERT_NE(units_json, nullptr);
  ASSERT_EQ(units_json->items.size(), 2u);
  EXPECT_EQ(units_json->items[0].get("osaamisen-hankkimistavat")->items.size(), 2u);
  EXPECT_EQ(c.document.items[1].get("hankittavat-ammat-tutkinnon-osat"), nullptr);
  // The documents validate (no errors).
  ValidationOptions o;
  o.today = {2024, 1, 10};
  std::vector<DocumentReport> reports;
  validate_text(Validator(), "lukkari", write_json(c.document), o, reports);
  ASSERT_EQ(reports.size(), 2u);
  for (const auto& r : reports)
    for (const auto& f : r.findings) EXPECT_NE(f.severity, Severity::error) << f.rule << " " << f.path;
  // And back: the same two files.
  const Output out = p.write(c.document);
  EXPECT_TRUE(out.findings.empty());
  ASSERT_EQ(out.files.size(), 2u);
  EXPECT_EQ(out.files[0].bytes, students);
  EXPECT_EQ(out.files[1].name, "osat.tsv");
  EXPECT_EQ(out.files[1].bytes, units);
  EXPECT_TRUE(p.writes_directory());
  // A date that does not exist is reported at its file, row and column.
  std::string broken = units;
  broken.replace(broken.find("29.02.2024"), 10, "30.02.2024");
  const Conversion b = p.read({{"opiskelijat.tsv", students}, {"osat.tsv", broken}});
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(b.findings[0].rule, "transform-failed");
  EXPECT_EQ(b.findings[0].location.file, "osat.tsv");
  EXPECT_EQ(b.findings[0].location.line, 4u);
  EXPECT_EQ(b.findings[0].location.column, 4u);
  EXPECT_EQ(b.findings[0].location.header, "loppu");
}

// A linked table's rows go to the parents whose key they hold, in the table's order, wherever
// they stand in it; a link column past the key must be empty; rows without a parent are no
// parent's; and a large pair of tables reads in linear time (a scan per parent was quadratic).
TEST(LinkedTables, RowsGoToTheirParentsInOrderWhereverTheyStand) {
  const Profile p = Profile::load(R"(profile: linked
format: csv
documents:
  key: [oid]
  fields:
    - {field: oppija-oid, column: oid}
    - field: hankittavat-ammat-tutkinnon-osat
      table: units.csv
      link: [student, extra]
      fields:
        - {field: tutkinnon-osa-koodi-uri, column: unit}
)",
                                  "linked.yaml");
  const std::string students = "oid\nA\nB\nC\n";
  const std::string units =
      "student,extra,unit\n"
      "B,,u1\n"
      "A,,u2\n"
      "B,,u3\n"
      "A,x,u4\n"  // extra is not empty: no parent's
      "D,,u5\n"   // no such student
      "A,,u6\n";
  const Conversion c = p.read({{"students.csv", students}, {"units.csv", units}});
  ASSERT_FALSE(c.fatal);
  ASSERT_EQ(c.document.items.size(), 3u);
  const auto codes = [&](std::size_t doc) {
    std::vector<std::string> out;
    if (const Json* list = c.document.items[doc].get("hankittavat-ammat-tutkinnon-osat"))
      for (const Json& unit : list->items) out.push_back(unit.get("tutkinnon-osa-koodi-uri")->text);
    return out;
  };
  EXPECT_EQ(codes(0), (std::vector<std::string>{"u2", "u6"}));
  EXPECT_EQ(codes(1), (std::vector<std::string>{"u1", "u3"}));
  EXPECT_TRUE(codes(2).empty());

  std::string many_students = "oid\n", many_units = "student,extra,unit\n";
  constexpr int n = 20000;
  for (int i = 0; i < n; ++i) many_students += "s" + std::to_string(i) + "\n";
  for (int k = 0; k < 5; ++k)
    for (int i = 0; i < n; ++i) many_units += "s" + std::to_string(i) + ",,u" + std::to_string(k) + "\n";
  const Conversion big = p.read({{"students.csv", many_students}, {"units.csv", many_units}});
  ASSERT_EQ(big.document.items.size(), std::size_t(n));
  const Json* last = big.document.items.back().get("hankittavat-ammat-tutkinnon-osat");
  ASSERT_NE(last, nullptr);
  ASSERT_EQ(last->items.size(), 5u);
  EXPECT_EQ(last->items[4].get("tutkinnon-osa-koodi-uri")->text, "u4");
}
