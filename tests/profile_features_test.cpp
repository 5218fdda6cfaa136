// Mapping profile features for real vendor exports (issue 18): a wrong input format is an error,
// XML predicates and positions, templates (several sources into one field and one source into
// several), each read and written back.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "convert_support.hpp"
#include "hoks/convert/mapping.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

Json parse(const std::string& text) {
  Conversion c;
  EXPECT_TRUE(parse_json_tree(text, "t", c));
  return c.document;
}

fs::path vendor(const std::string& name) { return test::source_dir() / "fixtures" / "vendor" / name; }
fs::path profile(const std::string& name) { return test::source_dir() / "schema" / "profiles" / name; }

std::string profile_error(const std::string& yaml) {
  try {
    Profile::load(yaml, "bad.yaml");
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "";
}

const Finding* find(const std::vector<Finding>& fs, const std::string& rule) {
  for (const auto& f : fs)
    if (f.rule == rule) return &f;
  return nullptr;
}

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("hoks-profile-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// A wrong input format is an error, not output

TEST(WrongFormat, VendorXmlReadAsCanonicalXmlIsOneFindingAndNothingRead) {
  const Conversion c = Profile::canonical_xml().read({{"opintohallinto.xml", test::read(vendor("opintohallinto.xml"))}});
  EXPECT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "wrong-format");
  EXPECT_EQ(c.findings[0].severity, Severity::error);
  EXPECT_EQ(c.findings[0].arg("name"), "HoksVienti");
  EXPECT_EQ(c.findings[0].arg("expected"), "hoks");
  EXPECT_EQ(c.findings[0].location.line, 2u);
  EXPECT_EQ(c.document.type, JsonType::null);
  // A vendor CSV file read as the canonical CSV tables: not one table of the model.
  const Conversion k = Profile::canonical_csv().read({{"opinto.csv", test::read(vendor("opinto.csv"))}});
  EXPECT_TRUE(k.fatal);
  ASSERT_EQ(k.findings.size(), 1u);
  EXPECT_EQ(k.findings[0].rule, "wrong-format");
  EXPECT_EQ(k.findings[0].arg("expected"), "HOKS.csv");
}

TEST(WrongFormat, AVendorProfileOnAnotherFileSaysSo) {
  const Profile x = Profile::load(test::read(profile("example-vendor-xml.yaml")), "x");
  // Another root element.
  Conversion c = x.read({{"a.xml", "<hoks><oppija-oid>1.2.246.562.24.44651722625</oppija-oid></hoks>"}});
  EXPECT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "wrong-format");
  EXPECT_EQ(c.findings[0].arg("format"), "opintohallinto-xml");
  // The right root, but not one document element: nothing maps.
  c = x.read({{"b.xml", "<HoksVienti versio=\"2.1\" lahde=\"Opintohallinto\">\n  <Student/>\n</HoksVienti>"}});
  EXPECT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "wrong-format");
  EXPECT_EQ(c.findings[0].arg("name"), "HoksVienti/Student");
  EXPECT_EQ(c.findings[0].location.line, 2u);
  // A CSV file none of whose columns the profile reads.
  const Profile v = Profile::load(test::read(profile("example-vendor-csv.yaml")), "c");
  c = v.read({{"other.csv", "id;name\r\n1;x\r\n"}});
  EXPECT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "wrong-format");
  EXPECT_EQ(c.findings[0].arg("name"), "id, name");
  EXPECT_EQ(c.findings[0].location.line, 1u);
  EXPECT_EQ(c.findings[0].location.header, "id");
  // The profile's own files still read.
  EXPECT_FALSE(v.read({{"opinto.csv", test::read(vendor("opinto.csv"))}}).fatal);
}

TEST(WrongFormat, CommandLineExitsOneAndWritesNothing) {
  const fs::path d = temp_dir("wrong");
  const std::string hoks = test::hoks_binary();
  const std::string file = vendor("opintohallinto.xml").string();
  const auto r = test::run(hoks + " convert --from xml --to json " + file + " 2>" + (d / "err").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  const std::string err = test::read(d / "err");
  EXPECT_NE(err.find("wrong-format"), std::string::npos) << err;
  EXPECT_EQ(err.find("unmapped-input"), std::string::npos) << "one finding, not a warning per element: " << err;
  const auto o = test::run(hoks + " convert --from xml --to json -o " + (d / "out.json").string() + " " + file + " 2>&1");
  EXPECT_EQ(o.status, 1);
  EXPECT_FALSE(fs::exists(d / "out.json"));
  // An unknown format is named as one, with the list of formats.
  const auto y = test::run(hoks + " convert --to yaml " + (test::source_dir() / "fixtures" / "examples" / "hoks-example.json").string() + " 2>&1");
  EXPECT_EQ(y.status, 2);
  EXPECT_NE(y.out.find("unknown format 'yaml'"), std::string::npos) << y.out;
  EXPECT_NE(y.out.find("json, xml, csv"), std::string::npos) << y.out;
  fs::remove_all(d);
}

// ------------------------------------------------------------------------------------------------
// XML predicates and positions

namespace {
const char* predicate_profile = R"(profile: p
format: xml
xml: {root: R}
documents:
  xml: D
  fields:
    - {field: oppija-oid, xml: "@oid"}
    - {field: sahkoposti, xml: "Yhteys[Laji='email']/Arvo"}
    - {field: puhelinnumero, xml: "Yhteys[Laji='puhelin']/Arvo"}
    - {field: opiskeluoikeus-oid, xml: "Oikeus[1]/@oid"}
    - {ignore: true, xml: "Oikeus[2]"}
    - field: hankittavat-ammat-tutkinnon-osat
      xml: "Osat/Osa[@tila='H']"
      fields:
        - {field: tutkinnon-osa-koodi-uri, xml: "@tunnus", transform: {prefix: tutkinnonosat_}}
        - {field: tutkinnon-osa-koodi-versio, constant: 1}
    - field: aiemmin-hankitut-ammat-tutkinnon-osat
      xml: "Osat/Osa[@tila='T']"
      fields:
        - {field: tutkinnon-osa-koodi-uri, xml: "@tunnus", transform: {prefix: tutkinnonosat_}}
        - {field: tutkinnon-osa-koodi-versio, constant: 1}
)";
const char* predicate_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<R>
  <D oid="1.2.246.562.24.44651722625">
    <Yhteys>
      <Laji>email</Laji>
      <Arvo>maija@example.fi</Arvo>
    </Yhteys>
    <Yhteys>
      <Laji>puhelin</Laji>
      <Arvo>0401234567</Arvo>
    </Yhteys>
    <Oikeus oid="1.2.246.562.15.10000000009" />
    <Osat>
      <Osa tila="H" tunnus="106915" />
      <Osa tila="H" tunnus="106916" />
      <Osa tila="T" tunnus="106917" />
    </Osat>
  </D>
</R>
)";
}  // namespace

TEST(XmlPredicates, AttributeChildValueAndPositionBothWays) {
  const Profile p = Profile::load(predicate_profile, "p.yaml");
  const Conversion c = p.read({{"p.xml", predicate_xml}});
  ASSERT_FALSE(c.fatal);
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("name");
  EXPECT_EQ(first_difference(c.document, parse(R"({"oppija-oid": "1.2.246.562.24.44651722625",
      "sahkoposti": "maija@example.fi", "puhelinnumero": "0401234567", "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
      "hankittavat-ammat-tutkinnon-osat": [
        {"tutkinnon-osa-koodi-uri": "tutkinnonosat_106915", "tutkinnon-osa-koodi-versio": 1},
        {"tutkinnon-osa-koodi-uri": "tutkinnonosat_106916", "tutkinnon-osa-koodi-versio": 1}],
      "aiemmin-hankitut-ammat-tutkinnon-osat": [
        {"tutkinnon-osa-koodi-uri": "tutkinnonosat_106917", "tutkinnon-osa-koodi-versio": 1}]})")), "");
  // Writing makes the elements the predicates select: the same file.
  const Output out = p.write(c.document);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_EQ(out.files.at(0).bytes, predicate_xml);
}

TEST(XmlPredicates, WhatNoPredicateSelectsIsReportedNotLost) {
  const Profile p = Profile::load(predicate_profile, "p.yaml");
  std::string xml = predicate_xml;
  xml.insert(xml.find("    </Osat>"), "      <Osa tila=\"X\" tunnus=\"106918\" />\n");
  xml.insert(xml.find("    <Osat>"), "    <Oikeus oid=\"1.2.246.562.15.76811942028\" />\n    <Oikeus oid=\"3\" />\n");
  const Conversion c = p.read({{"p.xml", xml}});
  ASSERT_EQ(c.findings.size(), 2u);
  // The third study right: positions [1] and [2] are used, [3] is not.
  EXPECT_EQ(c.findings[0].rule, "unmapped-input");
  EXPECT_EQ(c.findings[0].location.line, 14u);
  // The unit whose tila neither list selects.
  EXPECT_EQ(c.findings[1].rule, "unmapped-input");
  EXPECT_EQ(c.findings[1].arg("name"), "Osa");
  EXPECT_EQ(c.findings[1].location.line, 19u);
  EXPECT_EQ(c.document.get("hankittavat-ammat-tutkinnon-osat")->items.size(), 2u);
}

TEST(XmlPredicates, MalformedPathsAreRejectedAtLoadWithTheLine) {
  const std::string head = "profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n";
  for (const char* path : {"Osa[@tila=H]", "Osa[@tila='H'", "Osa[0]", "Osa[tila]", "@a/B"}) {
    const std::string e = profile_error(head + "    - {field: sahkoposti, xml: \"" + path + "\"}\n");
    EXPECT_NE(e.find("bad.yaml:7: xml path"), std::string::npos) << path << ": " << e;
  }
}

// ------------------------------------------------------------------------------------------------
// Templates

namespace {
const char* template_csv_profile = R"(profile: t
format: csv
documents:
  key: [oid]
  fields:
    - {field: oppija-oid, column: oid}
    - field: hankittavat-ammat-tutkinnon-osat
      key: [osa]
      fields:
        - column: osa
          template: "{koodi}:{versio}"
          fields:
            - {field: tutkinnon-osa-koodi-uri, part: koodi, transform: {prefix: tutkinnonosat_}}
            - {field: tutkinnon-osa-koodi-versio, part: versio}
        - field: osaamisen-hankkimistavat
          fields:
            - {field: alku, column: alku}
            - field: tyopaikalla-jarjestettava-koulutus
              fields:
                - field: vastuullinen-tyopaikka-ohjaaja
                  fields:
                    - {field: nimi, template: "{etunimi} {sukunimi}"}
)";
}  // namespace

TEST(Templates, CsvSeveralColumnsIntoOneFieldAndOneCellIntoSeveral) {
  const Profile p = Profile::load(template_csv_profile, "t.yaml");
  const std::string csv =
      "oid,osa,alku,etunimi,sukunimi\r\n"
      "1.2.246.562.24.44651722625,106915:3,2024-01-01,Maija,Meikäläinen\r\n"
      "1.2.246.562.24.44651722625,106915:3,2024-03-01,Olli,Ohjaaja\r\n";
  const Conversion c = p.read({{"t.csv", csv}});
  ASSERT_FALSE(c.fatal);
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("name");
  const Json& unit = c.document.get("hankittavat-ammat-tutkinnon-osat")->items.at(0);
  EXPECT_EQ(unit.get("tutkinnon-osa-koodi-uri")->text, "tutkinnonosat_106915");
  EXPECT_EQ(unit.get("tutkinnon-osa-koodi-versio")->type, JsonType::number);
  EXPECT_EQ(unit.get("tutkinnon-osa-koodi-versio")->text, "3");
  const Json& way = unit.get("osaamisen-hankkimistavat")->items.at(1);
  EXPECT_EQ(way.get("tyopaikalla-jarjestettava-koulutus")->get("vastuullinen-tyopaikka-ohjaaja")->get("nimi")->text, "Olli Ohjaaja");
  // Back: the name split at its one space, the cell joined from its two fields.
  const Output out = p.write(c.document);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_EQ(out.files.at(0).bytes, csv);
  // The position of a templated value is its first column.
  std::string bad = csv;
  bad.replace(bad.find("106915:3,2024-03"), 8, "106915-3");
  const Conversion b = p.read({{"t.csv", bad}});
  const Finding* f = find(b.findings, "transform-failed");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->arg("format"), "{koodi}:{versio}");
  EXPECT_EQ(f->location.line, 3u);
  EXPECT_EQ(f->location.header, "osa");
}

TEST(Templates, ACellWithItsSeparatorTwiceIsReportedWhereItLies) {
  const Profile p = Profile::load(template_csv_profile, "t.yaml");
  const std::string csv =
      "oid,osa,alku,etunimi,sukunimi\r\n"
      "1.2.246.562.24.44651722625,106915:3:1,2024-01-01,Maija,Virtanen\r\n";
  const Conversion c = p.read({{"t.csv", csv}});
  const Finding* f = find(c.findings, "transform-failed");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->arg("value"), "106915:3:1");
  EXPECT_EQ(f->arg("format"), "{koodi}:{versio}");
  EXPECT_EQ(f->location.line, 2u);
  EXPECT_EQ(f->location.column, 2u);
  EXPECT_EQ(f->path, "/hankittavat-ammat-tutkinnon-osat/0");
}

TEST(Templates, AnAmbiguousSplitIsReportedAndNothingIsLost) {
  const Profile p = Profile::load(template_csv_profile, "t.yaml");
  const Json doc = parse(R"({"oppija-oid": "1.2.246.562.24.44651722625", "hankittavat-ammat-tutkinnon-osat": [
      {"tutkinnon-osa-koodi-uri": "tutkinnonosat_106915", "tutkinnon-osa-koodi-versio": 1, "osaamisen-hankkimistavat": [
        {"alku": "2024-01-01", "tyopaikalla-jarjestettava-koulutus": {"vastuullinen-tyopaikka-ohjaaja": {"nimi": "Anna Maria Virtanen"}}}]}]})");
  const Output out = p.write(doc);
  const Finding* f = find(out.findings, "transform-failed");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->path, "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0/tyopaikalla-jarjestettava-koulutus/"
                     "vastuullinen-tyopaikka-ohjaaja/nimi");
  EXPECT_NE(out.files.at(0).bytes.find(",Anna Maria Virtanen,"), std::string::npos) << out.files[0].bytes;
}

TEST(Templates, XmlAttributesIntoOneFieldAndBack) {
  const Profile p = Profile::load(R"(profile: x
format: xml
xml: {root: R}
documents:
  xml: D
  fields:
    - {field: oppija-oid, xml: "@oid"}
    - {field: sahkoposti, template: "{Posti/@nimi}@{Posti/@palvelin}"}
    - xml: "@koodi"
      template: "urasuunnitelma {koodi} versio {versio}"
      fields:
        - {field: urasuunnitelma-koodi-uri, part: koodi, transform: {prefix: urasuunnitelma_}}
        - {field: urasuunnitelma-koodi-versio, part: versio}
)",
                                  "x.yaml");
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R>\n  <D oid=\"1.2.246.562.24.44651722625\" koodi=\"urasuunnitelma 0001 versio 1\">\n"
      "    <Posti nimi=\"maija\" palvelin=\"example.fi\" />\n  </D>\n</R>\n";
  const Conversion c = p.read({{"x.xml", xml}});
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("name");
  EXPECT_EQ(c.document.get("sahkoposti")->text, "maija@example.fi");
  EXPECT_EQ(c.document.get("urasuunnitelma-koodi-uri")->text, "urasuunnitelma_0001");
  EXPECT_EQ(c.document.get("urasuunnitelma-koodi-versio")->text, "1");
  const Output out = p.write(c.document);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_EQ(out.files.at(0).bytes, xml);
}

TEST(Templates, ProfilesThatCouldNotWriteBackAreRejected) {
  const std::string head = "profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n";
  EXPECT_NE(profile_error(head + "    - {field: sahkoposti, template: \"{@a}{@b}\"}\n").find("need text between them"), std::string::npos);
  EXPECT_NE(profile_error(head + "    - {field: sahkoposti, template: \"{@a}\", xml: \"@c\"}\n").find("takes no"), std::string::npos);
  EXPECT_NE(profile_error(head + "    - {xml: \"@k\", template: \"{a}:{b}\", fields: [{field: urasuunnitelma-koodi-uri, part: a}]}\n")
                .find("the part {b} must be read by exactly one field"),
            std::string::npos);
}

// ------------------------------------------------------------------------------------------------
// A third vendor format, written from docs/mapping.md alone (XML paths with predicates and
// positions, templates both ways), as a vendor would: fixtures/vendor/kurre.xml and its profile.

TEST(ThirdFormat, KurreExportWithPredicatesAndTemplatesConvertsAndComesBack) {
  const Profile p = Profile::load(test::read(vendor("kurre-profile.yaml")), "kurre-profile.yaml");
  const std::string original = test::read(vendor("kurre.xml"));
  const Conversion c = p.read({{"kurre.xml", original}});
  ASSERT_FALSE(c.fatal);
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("name") << " "
                                  << c.findings.front().location.line;
  EXPECT_EQ(first_difference(c.document, parse(test::read(vendor("kurre.expected.json")))), "");
  const Output back = p.write(c.document);
  EXPECT_TRUE(back.findings.empty()) << back.findings.front().rule << " " << back.findings.front().path;
  ASSERT_EQ(back.files.size(), 1u);
  EXPECT_EQ(back.files[0].bytes, original);
}

// ------------------------------------------------------------------------------------------------
// Conditional values (when)

namespace {
const char* when_profile = R"(profile: w
format: xml
xml: {root: R}
documents:
  xml: D
  fields:
    - {field: urasuunnitelma-koodi-uri, xml: "@ura", transform: {prefix: urasuunnitelma_}}
    - {field: urasuunnitelma-koodi-versio, constant: 2, when: {xml: "@ura", is: ["0002", "0003"]}}
    - {field: urasuunnitelma-koodi-versio, constant: 1}
    - field: hankittavat-ammat-tutkinnon-osat
      xml: Osa
      fields:
        - {field: tutkinnon-osa-koodi-uri, xml: "@tunnus"}
        - field: osaamisen-hankkimistavat
          xml: Jakso
          fields:
            - {field: osaamisen-hankkimistapa-koodi-uri, xml: "@tapa", transform: {codes: {KS: osaamisenhankkimistapa_koulutussopimus, L: osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus}}}
            - field: tyopaikalla-jarjestettava-koulutus
              when: {xml: "@tapa", is: KS}
              fields:
                - {field: tyopaikan-nimi, xml: "@paikka"}
)";
const char* when_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<R>
  <D ura="0002">
    <Osa tunnus="t1">
      <Jakso tapa="KS" paikka="Kukka Oy" />
      <Jakso tapa="L" />
    </Osa>
  </D>
  <D ura="0001" />
</R>
)";
}  // namespace

TEST(Conditions, ConstantsByCodeAndObjectsOnlyWhenTheInputSaysSo) {
  const Profile p = Profile::load(when_profile, "w.yaml");
  const Conversion c = p.read({{"w.xml", when_xml}});
  ASSERT_FALSE(c.fatal);
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("name");
  ASSERT_EQ(c.document.items.size(), 2u);
  EXPECT_EQ(c.document.items[0].get("urasuunnitelma-koodi-versio")->text, "2");
  EXPECT_EQ(c.document.items[1].get("urasuunnitelma-koodi-versio")->text, "1");
  const Json& ways = *c.document.items[0].get("hankittavat-ammat-tutkinnon-osat")->items.at(0).get("osaamisen-hankkimistavat");
  EXPECT_EQ(ways.items.at(0).get("tyopaikalla-jarjestettava-koulutus")->get("tyopaikan-nimi")->text, "Kukka Oy");
  EXPECT_EQ(ways.items.at(1).get("tyopaikalla-jarjestettava-koulutus"), nullptr);
  const Output out = p.write(c.document);
  EXPECT_TRUE(out.findings.empty()) << out.findings.front().rule << " " << out.findings.front().path;
  EXPECT_EQ(out.files.at(0).bytes, when_xml);
  // Input of an object whose condition does not hold is reported, not dropped.
  std::string xml = when_xml;
  xml.replace(xml.find("<Jakso tapa=\"L\" />"), 18, "<Jakso tapa=\"L\" paikka=\"X\" />");
  const Conversion u = p.read({{"w.xml", xml}});
  ASSERT_EQ(u.findings.size(), 1u);
  EXPECT_EQ(u.findings[0].rule, "unmapped-input");
  EXPECT_EQ(u.findings[0].arg("name"), "Jakso/@paikka");
}

TEST(Conditions, WritingWhatTheConditionsWouldNotReadBackIsReported) {
  const Profile p = Profile::load(when_profile, "w.yaml");
  const Json doc = parse(R"({"urasuunnitelma-koodi-uri": "urasuunnitelma_0001", "urasuunnitelma-koodi-versio": 2,
      "hankittavat-ammat-tutkinnon-osat": [{"tutkinnon-osa-koodi-uri": "t1", "osaamisen-hankkimistavat": [
        {"osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus",
         "tyopaikalla-jarjestettava-koulutus": {"tyopaikan-nimi": "Kukka Oy"}}]}]})");
  const Output out = p.write(doc);
  ASSERT_EQ(out.findings.size(), 2u);
  EXPECT_EQ(out.findings[0].rule, "transform-failed");
  EXPECT_EQ(out.findings[0].path, "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0/tyopaikalla-jarjestettava-koulutus");
  EXPECT_EQ(out.findings[1].path, "/urasuunnitelma-koodi-versio");
  EXPECT_EQ(out.findings[1].arg("format"), "1");  // what the entry that applies to ura 0001 reads
}

TEST(Conditions, AConditionOnAValueReadFromTheInputIsRejected) {
  const std::string head = "profile: p\nformat: xml\nxml: {root: R}\ndocuments:\n  xml: D\n  fields:\n";
  EXPECT_NE(profile_error(head + "    - {field: sahkoposti, xml: \"@s\", when: {xml: \"@x\", is: a}}\n").find("'when' is for constants"),
            std::string::npos);
  EXPECT_NE(profile_error(head + "    - {field: versio, constant: 1, when: {column: x, is: a}}\n").find("unknown key 'column'"),
            std::string::npos);
}

TEST(Conditions, TheCsvExampleWritesWorkplaceDataOnlyForWorkplacePeriods) {
  const Profile p = Profile::load(test::read(profile("example-vendor-csv.yaml")), "example-vendor-csv.yaml");
  std::string json = test::read(vendor("opinto.expected.json"));
  const std::string period = "\"yksiloiva-tunniste\": \"jakso-2024-002\",";
  json.insert(json.find(period) + period.size(), " \"tyopaikalla-jarjestettava-koulutus\": {\"tyopaikan-nimi\": \"Koulu Oy\"},");
  const Output out = p.write(parse(json));
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].rule, "transform-failed");
  EXPECT_EQ(out.findings[0].path, "/0/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/1/tyopaikalla-jarjestettava-koulutus");
  EXPECT_NE(out.findings[0].arg("format").find("Hankkimistapa = KS|OS"), std::string::npos) << out.findings[0].arg("format");
}

// ------------------------------------------------------------------------------------------------
// Values from an ancestor and defaults from the profile's context

namespace {
const char* ancestor_profile = R"(profile: a
format: xml
xml: {root: R}
context:
  koulu: 1.2.246.562.10.12944436167
documents:
  xml: D
  fields:
    - {field: oppija-oid, xml: "@oid"}
    - field: hankittavat-ammat-tutkinnon-osat
      xml: Osat/Osa
      fields:
        - {field: tutkinnon-osa-koodi-uri, xml: "@tunnus"}
        - {field: koulutuksen-jarjestaja-oid, xml: "../@jarjestaja", default: "${koulu}"}
)";
const char* ancestor_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<R>
  <D oid="1.2.246.562.24.44651722625">
    <Osat jarjestaja="1.2.246.562.10.00000000001">
      <Osa tunnus="a" />
      <Osa tunnus="b" />
    </Osat>
  </D>
  <D oid="1.2.246.562.24.42016337194">
    <Osat>
      <Osa tunnus="c" />
    </Osat>
  </D>
</R>
)";
}  // namespace

TEST(AncestorsAndContext, ItemsReadTheirParentsValueAndTheContextGivesTheDefault) {
  const Profile p = Profile::load(ancestor_profile, "a.yaml");
  const Conversion c = p.read({{"a.xml", ancestor_xml}});
  ASSERT_FALSE(c.fatal);
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("name");
  const Json& first = *c.document.items.at(0).get("hankittavat-ammat-tutkinnon-osat");
  for (const Json& unit : first.items) EXPECT_EQ(unit.get("koulutuksen-jarjestaja-oid")->text, "1.2.246.562.10.00000000001");
  EXPECT_EQ(c.document.items.at(1).get("hankittavat-ammat-tutkinnon-osat")->items.at(0).get("koulutuksen-jarjestaja-oid")->text,
            "1.2.246.562.10.12944436167");
  const Output out = p.write(c.document);
  EXPECT_TRUE(out.findings.empty()) << out.findings.front().rule << " " << out.findings.front().path;
  EXPECT_EQ(out.files.at(0).bytes, ancestor_xml);
}

TEST(AncestorsAndContext, ItemsThatDisagreeOnTheSharedValueAreReportedAndUnknownContextIsRejected) {
  const Profile p = Profile::load(ancestor_profile, "a.yaml");
  const Output out = p.write(parse(R"({"oppija-oid": "1.2.246.562.24.44651722625", "hankittavat-ammat-tutkinnon-osat": [
      {"tutkinnon-osa-koodi-uri": "a", "koulutuksen-jarjestaja-oid": "1.2.246.562.10.00000000001"},
      {"tutkinnon-osa-koodi-uri": "b", "koulutuksen-jarjestaja-oid": "1.2.246.562.10.00000000002"}]})"));
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].rule, "conflicting-values");
  EXPECT_EQ(out.findings[0].path, "/hankittavat-ammat-tutkinnon-osat/1/koulutuksen-jarjestaja-oid");
  std::string yaml = ancestor_profile;
  yaml.replace(yaml.find("${koulu}"), 8, "${kool}");
  EXPECT_NE(profile_error(yaml).find("${kool} is not a value of the profile's context"), std::string::npos) << profile_error(yaml);
}

// ------------------------------------------------------------------------------------------------
// Number formats

TEST(NumberFormats, ThousandsSeparatorsAndDecimalCommaPerFieldBothWays) {
  const Profile p = Profile::load(R"(profile: n
format: csv
csv: {delimiter: ";", decimal-comma: true}
documents:
  key: [oid]
  fields:
    - {field: oppija-oid, column: oid}
    - field: hankittavat-ammat-tutkinnon-osat
      fields:
        - {field: tutkinnon-osa-koodi-uri, column: osa}
        - {field: opetus-ja-ohjaus-maara, column: tunnit, transform: {number: {thousands: " ", decimal: ","}}}
)",
                                  "n.yaml");
  const std::string csv = "oid;osa;tunnit\r\n1.2.246.562.24.44651722625;a;1 234,5\r\n1.2.246.562.24.44651722625;b;'-12\r\n"  // the formula guard's apostrophe
      "1.2.246.562.24.44651722625;c;999 999\r\n";
  const Conversion c = p.read({{"n.csv", csv}});
  EXPECT_TRUE(c.findings.empty()) << c.findings.front().rule << " " << c.findings.front().arg("value");
  const Json& units = *c.document.get("hankittavat-ammat-tutkinnon-osat");
  ASSERT_EQ(units.items.size(), 3u);
  EXPECT_EQ(units.items[0].get("opetus-ja-ohjaus-maara")->text, "1234.5");
  EXPECT_EQ(units.items[0].get("opetus-ja-ohjaus-maara")->type, JsonType::number);
  EXPECT_EQ(units.items[1].get("opetus-ja-ohjaus-maara")->text, "-12");
  EXPECT_EQ(units.items[2].get("opetus-ja-ohjaus-maara")->text, "999999");
  const Output out = p.write(c.document);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_EQ(out.files.at(0).bytes, csv);
  // Separators elsewhere than between groups of three digits are not a number of this format.
  const Conversion b = p.read({{"n.csv", "oid;osa;tunnit\r\n1.2.246.562.24.44651722625;a;12 34,5\r\n"}});
  const Finding* f = find(b.findings, "transform-failed");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->arg("format"), "1 234,5");
  EXPECT_EQ(f->location.header, "tunnit");
}
