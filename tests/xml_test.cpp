// Canonical XML: lossless JSON -> XML -> JSON, safe reading (no DTD, no entities), positions, XSD.
#include <gtest/gtest.h>

#include <sstream>

#include "convert_support.hpp"
#include "hoks/read/xml.hpp"

using namespace hoks;
namespace fs = std::filesystem;

namespace {

Json parse(const std::string& text) {
  Conversion c;
  EXPECT_TRUE(parse_json_tree(text, "test", c));
  return c.document;
}

void expect_xml_round_trip(const Json& doc, const std::string& what) {
  const std::string xml = write_canonical_xml(doc);
  const Conversion back = read_canonical_xml(xml, "test.xml");
  ASSERT_FALSE(back.fatal) << what << "\n" << xml;
  EXPECT_TRUE(back.findings.empty()) << what << ": " << back.findings.front().rule << "\n" << xml;
  EXPECT_EQ(first_difference(doc, back.document), "") << what << "\n" << xml;
  // Member order is kept too: the JSON text is identical.
  EXPECT_EQ(write_json(doc), write_json(back.document)) << what;
}

}  // namespace

TEST(CanonicalXml, CorpusAndFixturesRoundTripExactly) {
  const auto files = test::json_documents();
  ASSERT_GE(files.size(), 9u);
  int converted = 0;
  for (const auto& f : files) {
    Conversion c;
    if (!parse_json_tree(test::read(f), f.string(), c)) continue;  // deliberately malformed fixtures
    expect_xml_round_trip(c.document, f.string());
    ++converted;
  }
  EXPECT_GE(converted, 9);
}

TEST(CanonicalXml, GeneratedDocumentsRoundTripExactly) {
  for (unsigned seed = 1; seed <= 150; ++seed) {
    test::RandomDocuments gen(seed);
    expect_xml_round_trip(gen.document(), "seed " + std::to_string(seed));
  }
}

TEST(CanonicalXml, StreamedTextIsTheSameAsTheString) {
  // Enough documents for several pieces of 1 MiB, so that the stream receives more than one.
  Json many = Json::array();
  for (unsigned seed = 1; many.items.size() < 1500; ++seed) many.items.push_back(test::RandomDocuments(seed).document());
  const std::string xml = write_canonical_xml(many);
  ASSERT_GT(xml.size(), std::size_t{2} << 20);
  std::ostringstream streamed_xml;
  write_canonical_xml(many, streamed_xml);
  EXPECT_TRUE(streamed_xml.str() == xml);
  std::ostringstream streamed_json;
  write_json(many, streamed_json);
  EXPECT_TRUE(streamed_json.str() == write_json(many));
}

TEST(CanonicalXml, AwkwardValuesRoundTrip) {
  const char* docs[] = {
      R"({"": 1, "1abc": "x", "a b": [1, [2, []]], "xmlns": null, "x/y~z": {}, "k\u0001": "v\u0000w\uFFFE",
          "oppija-oid": 5, "versio": "1", "osaamisen-hankkimisen-tarve": "kyllä", "sahkoposti": "",
          "hankittavat-ammat-tutkinnon-osat": "none", "oppimisen-tuki": [], "puhelinnumero": " \r\n\t ",
          "hankittavat-yhteiset-tutkinnon-osat": [{"osa-alueet": []}, 7, null, [1]],
          "hankittavat-paikalliset-tutkinnon-osat": [{}], "versio": 2e10})",
      R"([{"oppija-oid": "1"}, {"versio": 1.50}, 3, "x", []])",
      R"("just a string")",
      R"([])",
      R"({"oppimisen-tuki": [{"alku": "2024-01-01"}], "oppimisen-tuki": [{"alku": "2024-02-02"}]})",
      R"({"aiemmin-hankitut-ammat-tutkinnon-osat": [{"tarkentavat-tiedot-naytto": [], "tarkentavat-tiedot-osaamisen-arvioija": {"aiemmin-hankitun-osaamisen-arvioijat": [{"nimi": "A <b> & c"}]}}]})",
  };
  for (const char* d : docs) expect_xml_round_trip(parse(d), d);
}

TEST(CanonicalXml, UsesModelTypesAndMarksOnlyWhatDiffers) {
  const std::string xml = write_canonical_xml(parse(
      R"({"versio": 1, "sahkoposti": "a@b.fi", "lisatieto": 5, "oppimisen-tuki": [], "osaamisen-hankkimisen-tarve": "x"})"));
  EXPECT_NE(xml.find("<versio>1</versio>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<sahkoposti>a@b.fi</sahkoposti>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<lisatieto type=\"number\">5</lisatieto>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<oppimisen-tuki array=\"empty\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<osaamisen-hankkimisen-tarve type=\"string\">x</osaamisen-hankkimisen-tarve>"), std::string::npos) << xml;
}

TEST(CanonicalXml, DoctypeIsRejectedAndEntitiesAreNeverExpanded) {
  const std::string lol =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;\">\n]>\n"
      "<hoks><sahkoposti>&lol2;</sahkoposti></hoks>\n";
  const Conversion c = read_canonical_xml(lol, "lol.xml");
  ASSERT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "syntax");
  EXPECT_EQ(c.findings[0].arg("detail"), "xml_dtd_forbidden");
  EXPECT_EQ(c.findings[0].location.line, 2u);
  // External entities: the same.
  const Conversion x = read_canonical_xml(
      "<!DOCTYPE hoks [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><hoks><sahkoposti>&xxe;</sahkoposti></hoks>", "x.xml");
  ASSERT_TRUE(x.fatal);
  EXPECT_EQ(x.findings[0].arg("detail"), "xml_dtd_forbidden");
  // Without a DTD no entity can be declared: a reference to any but the five predefined ones, or a
  // bare &, is not well-formed XML and is reported where it stands (never expanded, never kept as text).
  const Conversion plain = read_canonical_xml("<hoks>\n<sahkoposti>a&lol2;</sahkoposti></hoks>", "p.xml");
  ASSERT_TRUE(plain.fatal);
  ASSERT_EQ(plain.findings.size(), 1u);
  EXPECT_EQ(plain.findings[0].arg("detail"), "xml_undefined_entity");
  EXPECT_EQ(plain.findings[0].location.line, 2u);
  EXPECT_EQ(plain.findings[0].location.column, 14u);
  for (const char* bad : {"<hoks><sahkoposti>a & b</sahkoposti></hoks>", "<hoks><sahkoposti x=\"&nbsp;\">a</sahkoposti></hoks>",
                          "<hoks><sahkoposti>&#xZZ;</sahkoposti></hoks>", "<hoks><sahkoposti>&#;</sahkoposti></hoks>"})
    EXPECT_TRUE(read_canonical_xml(bad, "b.xml").fatal) << bad;
  // The predefined entities, character references, and & inside comments, CDATA and processing
  // instructions are fine.
  const Conversion fine = read_canonical_xml(
      "<?x a&b?><hoks><!-- a & b --><sahkoposti>&lt;&amp;&gt;&quot;&apos;&#228;&#xE4;<![CDATA[&x;]]></sahkoposti></hoks>",
      "f.xml");
  ASSERT_FALSE(fine.fatal) << (fine.findings.empty() ? "" : fine.findings[0].arg("detail"));
  EXPECT_EQ(fine.document.get("sahkoposti")->text, "<&>\"'\u00e4\u00e4&x;");
}

TEST(CanonicalXml, MalformedXmlIsAFindingWithItsPosition) {
  const Conversion c = read_canonical_xml("<hoks>\n  <versio>1</versio>\n  <sahkoposti>x</sahkopost>\n</hoks>\n", "m.xml");
  ASSERT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].arg("detail"), "xml_malformed");
  EXPECT_EQ(c.findings[0].location.line, 3u);
  const Conversion empty = read_canonical_xml("", "e.xml");
  EXPECT_TRUE(empty.fatal);
  const Conversion bad_encoding = read_canonical_xml("<?xml version=\"1.0\" encoding=\"utf-8\"?><hoks>\xE4</hoks>", "b.xml");
  ASSERT_TRUE(bad_encoding.fatal);
  EXPECT_EQ(bad_encoding.findings[0].arg("detail"), "invalid_encoding");
}

TEST(CanonicalXml, DeclaredLatin1AndWindows1252AreDecoded) {
  const Conversion c = read_canonical_xml("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<hoks><sahkoposti>\xE4\x80</sahkoposti></hoks>", "w.xml");
  ASSERT_FALSE(c.fatal);
  EXPECT_EQ(c.document.get("sahkoposti")->text, "ä€");
}

TEST(CanonicalXml, ValuesRememberTheirLineAndColumn) {
  const std::string xml = "<hoks>\n  <versio>yksi</versio>\n  <hankittavat-ammat-tutkinnon-osat>\n"
                          "    <tutkinnon-osa-koodi-versio>2</tutkinnon-osa-koodi-versio>\n  </hankittavat-ammat-tutkinnon-osat>\n"
                          "  <outo attr=\"1\"/>\n</hoks>\n";
  const Conversion c = read_canonical_xml(xml, "p.xml");
  ASSERT_FALSE(c.fatal);
  // "yksi" is not a number: a finding at the element, and the value stays a string.
  ASSERT_FALSE(c.findings.empty());
  EXPECT_EQ(c.findings[0].rule, "transform-failed");
  EXPECT_EQ(c.findings[0].location.line, 2u);
  EXPECT_EQ(c.findings[0].location.column, 3u);
  EXPECT_EQ(c.document.get("versio")->type, JsonType::string);
  // The unknown attribute of an unknown key is reported where it is.
  const auto attr = std::find_if(c.findings.begin(), c.findings.end(), [](const Finding& f) { return f.rule == "unmapped-input"; });
  ASSERT_NE(attr, c.findings.end());
  EXPECT_EQ(attr->location.line, 6u);
  EXPECT_EQ(attr->location.column, 9u);
  SourceMap map;
  write_json(c.document, c.origins, map);
  const Location* where = map.find("/hankittavat-ammat-tutkinnon-osat/0/tutkinnon-osa-koodi-versio");
  ASSERT_NE(where, nullptr);
  EXPECT_EQ(where->line, 4u);
  EXPECT_EQ(where->column, 5u);
  // An unknown pointer falls back to its nearest known ancestor.
  const Location* ancestor = map.find("/hankittavat-ammat-tutkinnon-osat/0/missing-key");
  ASSERT_NE(ancestor, nullptr);
  EXPECT_EQ(ancestor->line, 3u);
}

TEST(CanonicalXml, CommittedXsdIsTheGeneratedOne) {
  const std::string committed = test::read(test::source_dir() / "schema" / "hoks.xsd");
  EXPECT_EQ(committed, generate_xsd()) << "regenerate with: build/bin/hoks xsd -o schema/hoks.xsd";
}

TEST(CanonicalXml, XsdDeclaresEveryEntityAndField) {
  const std::string xsd = generate_xsd();
  for (const Entity& e : Model::builtin().entities()) {
    EXPECT_NE(xsd.find("<xs:complexType name=\"" + e.name + "\">"), std::string::npos) << e.name;
    for (const Field& f : e.fields) EXPECT_NE(xsd.find("<xs:element name=\"" + f.key + "\""), std::string::npos) << f.key;
  }
  // Well-formed XML: the reader's one finding is that the root is not <hoks> (wrong-format, issue 18).
  const Conversion c = read_canonical_xml(xsd, "hoks.xsd");
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "wrong-format");
}

TEST(CanonicalXml, XmlNames) {
  EXPECT_TRUE(is_xml_name("oppija-oid"));
  EXPECT_TRUE(is_xml_name("käyttäjä"));
  EXPECT_FALSE(is_xml_name(""));
  EXPECT_FALSE(is_xml_name("1abc"));
  EXPECT_FALSE(is_xml_name("a b"));
  EXPECT_FALSE(is_xml_name("xml-key"));
  EXPECT_FALSE(is_xml_name("a:b"));
}

// A null array (legal in eHOKS, ehoks-model.md §0.2) is one element marked array="null", inside the
// XSD, and reads back as null (not as [] or as a missing key).
TEST(CanonicalXml, NullArraysAreMarkedAndReadBack) {
  const Json doc = parse(R"({"oppimisen-tuki": null, "hankittavat-paikalliset-tutkinnon-osat": [{"nimi": "x",
      "osaamisen-hankkimistavat": null}], "sahkoposti": null})");
  const std::string xml = write_canonical_xml(doc);
  EXPECT_NE(xml.find("<oppimisen-tuki array=\"null\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<osaamisen-hankkimistavat array=\"null\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<sahkoposti type=\"null\"/>"), std::string::npos) << xml;  // not an array: outside the XSD
  EXPECT_NE(generate_xsd().find("<xs:enumeration value=\"null\"/>"), std::string::npos);
  expect_xml_round_trip(doc, "null arrays");
}
