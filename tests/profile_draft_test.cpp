// Mapping profiles, issue 18 leftovers: a draft profile from a vendor sample (hoks profile draft).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <unistd.h>

#include "convert_support.hpp"
#include "hoks/convert/mapping.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

fs::path vendor(const std::string& name) { return test::source_dir() / "fixtures" / "vendor" / name; }

std::size_t count_rule(const std::vector<Finding>& fs, const std::string& rule) {
  std::size_t n = 0;
  for (const auto& f : fs) n += f.rule == rule;
  return n;
}

// The documents of a conversion (one object or an array of them).
std::vector<const Json*> documents(const Json& d) {
  std::vector<const Json*> out;
  if (d.type == JsonType::array)
    for (const Json& x : d.items) out.push_back(&x);
  else out.push_back(&d);
  return out;
}

// The canonical keys a profile maps at document level.
std::set<std::string> mapped_fields(const Profile& p) {
  std::set<std::string> out;
  for (const MappingEntry& e : p.documents.fields)
    if (!e.field.empty()) out.insert(e.field);
  return out;
}

struct Sample {
  const char* file;
  Profile::Format format;
  std::set<std::string> mapped;  // the document fields named like model fields in the sample
};

}  // namespace

TEST(ProfileDraft, EachVendorSampleDraftsALoadableProfileThatReadsTheSample) {
  const Sample samples[] = {
      {"opintohallinto.xml", Profile::Format::xml, {"sahkoposti", "versio", "hyvaksytty"}},
      {"kurre.xml", Profile::Format::xml, {"hyvaksytty"}},
      {"opinto.csv", Profile::Format::csv, {"sahkoposti", "hyvaksytty"}},
  };
  for (const Sample& s : samples) {
    SCOPED_TRACE(s.file);
    const NamedFile sample{s.file, test::read(vendor(s.file))};
    const ProfileDraft d = draft_profile(sample, s.format);
    ASSERT_TRUE(d.findings.empty());
    ASSERT_FALSE(d.yaml.empty());
    const Profile p = Profile::load(d.yaml, "draft.yaml");
    EXPECT_EQ(mapped_fields(p), s.mapped) << d.yaml;
    // Every other input is an ignore entry marked as to-do, so the draft reads the whole sample.
    std::istringstream lines(d.yaml);
    std::size_t ignores = 0;
    for (std::string line; std::getline(lines, line);)
      if (line.find("ignore: true") != std::string::npos) {
        ++ignores;
        EXPECT_NE(line.find("# TODO"), std::string::npos) << line;
      }
    EXPECT_GT(ignores, 3u) << d.yaml;
    const Conversion c = p.read({sample});
    EXPECT_FALSE(c.fatal);
    EXPECT_EQ(count_rule(c.findings, "unmapped-input"), 0u) << d.yaml;
    EXPECT_FALSE(c.has_errors()) << d.yaml;
    // The mapped fields come through: each is in some document, and only they are.
    std::set<std::string> seen;
    for (const Json* doc : documents(c.document))
      for (const auto& [key, value] : doc->members) seen.insert(key);
    EXPECT_EQ(seen, s.mapped);
  }
  // The values themselves.
  const NamedFile xml{"opintohallinto.xml", test::read(vendor("opintohallinto.xml"))};
  const Conversion c = Profile::load(draft_profile(xml, Profile::Format::xml).yaml).read({xml});
  ASSERT_EQ(c.document.type, JsonType::array);
  ASSERT_EQ(c.document.items.size(), 2u);
  EXPECT_EQ(c.document.items[0].get("sahkoposti")->text, "maija.meikalainen@example.fi");
  EXPECT_EQ(c.document.items[0].get("versio")->type, JsonType::number);
  EXPECT_EQ(c.document.items[1].get("versio")->text, "3");
}

TEST(ProfileDraft, TypesAreGuessedAndTransformsProposedForTheModelsTypes) {
  const NamedFile sample{"oma.csv",
                         "Oppija_OID;Ensikertainen hyväksyminen;Osaamisen-hankkimisen-tarve;Versio;Huomio;Alkaa;Määrä\n"
                         "1.2.246.562.24.44651722625;15.9.2023;K;2;Soita ensin;2023-10-02;37,5\n"
                         "1.2.246.562.24.42016337194;8.1.2024;E;3;;2024-01-08;4\n"};
  const ProfileDraft d = draft_profile(sample, Profile::Format::csv);
  ASSERT_TRUE(d.findings.empty());
  EXPECT_NE(d.yaml.find("csv: {delimiter: \";\"}"), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("{field: oppija-oid, column: \"Oppija_OID\"}"), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("column: \"Ensikertainen hyväksyminen\", transform: {date: d.M.yyyy}}"), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("transform: {boolean: {true: [\"K\"], false: [\"E\"]}}"), std::string::npos) << d.yaml;
  // Unmapped columns: to do, with the type their values look like.
  EXPECT_NE(d.yaml.find("{ignore: true, column: \"Huomio\"}"), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("# TODO: text, e.g. \"Soita ensin\""), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("# TODO: date, e.g. \"2023-10-02\""), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("# TODO: number, e.g. \"37,5\""), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("# number, e.g. \"2\""), std::string::npos) << d.yaml;
  const Conversion c = Profile::load(d.yaml).read({sample});
  EXPECT_FALSE(c.has_errors());
  ASSERT_EQ(c.document.type, JsonType::array);
  const Json& first = c.document.items[0];
  EXPECT_EQ(first.get("oppija-oid")->text, "1.2.246.562.24.44651722625");
  EXPECT_EQ(first.get("ensikertainen-hyvaksyminen")->text, "2023-09-15");
  EXPECT_EQ(first.get("osaamisen-hankkimisen-tarve")->type, JsonType::boolean);
  EXPECT_TRUE(first.get("osaamisen-hankkimisen-tarve")->boolean);
  EXPECT_FALSE(c.document.items[1].get("osaamisen-hankkimisen-tarve")->boolean);
  EXPECT_EQ(first.get("versio")->type, JsonType::number);
}

TEST(ProfileDraft, NestedElementsNamedLikeModelObjectsBecomeListsWithTheirFields) {
  const NamedFile sample{"nested.xml", R"(<Vienti tehty="2024-01-01">
  <HOKS oppija-oid="1.2.246.562.24.44651722625">
    <Hankittavat_Ammat_Tutkinnon_Osat tutkinnon-osa-koodi-uri="tutkinnonosat_106915">
      <Osaamisen_hankkimistavat alku="2023-10-02" loppu="2024-01-31" />
      <Osaamisen_hankkimistavat alku="2024-02-01" loppu="2024-03-15" />
    </Hankittavat_Ammat_Tutkinnon_Osat>
    <Tieto><Lisa>x</Lisa></Tieto>
  </HOKS>
</Vienti>)"};
  const ProfileDraft d = draft_profile(sample, Profile::Format::xml);
  ASSERT_TRUE(d.findings.empty());
  const Profile p = Profile::load(d.yaml);
  const Conversion c = p.read({sample});
  EXPECT_EQ(count_rule(c.findings, "unmapped-input"), 0u) << d.yaml;
  ASSERT_EQ(c.document.type, JsonType::object) << d.yaml;
  const Json* units = c.document.get("hankittavat-ammat-tutkinnon-osat");
  ASSERT_NE(units, nullptr) << d.yaml;
  ASSERT_EQ(units->items.size(), 1u);
  EXPECT_EQ(units->items[0].get("tutkinnon-osa-koodi-uri")->text, "tutkinnonosat_106915");
  const Json* periods = units->items[0].get("osaamisen-hankkimistavat");
  ASSERT_NE(periods, nullptr) << d.yaml;
  ASSERT_EQ(periods->items.size(), 2u);
  EXPECT_EQ(periods->items[1].get("loppu")->text, "2024-03-15");
  // The root's attribute and an element without a field are to do, read through.
  EXPECT_NE(d.yaml.find("- \"@tehty\""), std::string::npos) << d.yaml;
  EXPECT_NE(d.yaml.find("{ignore: true, xml: \"Tieto/Lisa\"}"), std::string::npos) << d.yaml;
}

TEST(ProfileDraft, ASampleThatCannotBeReadIsAFindingWithItsPosition) {
  const ProfileDraft d = draft_profile({"bad.xml", "<A>\n  <B>\n</A>"}, Profile::Format::xml);
  EXPECT_TRUE(d.yaml.empty());
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].rule, "syntax");
  EXPECT_EQ(d.findings[0].location.line, 3u);
  const ProfileDraft q = draft_profile({"bad.csv", "a,b\n\"x,y\n"}, Profile::Format::csv);
  EXPECT_TRUE(q.yaml.empty());
  ASSERT_EQ(q.findings.size(), 1u);
  EXPECT_EQ(q.findings[0].rule, "syntax");
  EXPECT_EQ(q.findings[0].location.line, 2u);
}

TEST(ProfileDraft, CommandLineWritesTheDraftAndRefusesOtherFiles) {
  const fs::path d = fs::temp_directory_path() / ("hoks-draft-" + std::to_string(::getpid()));
  fs::create_directories(d);
  const std::string hoks = test::hoks_binary();
  const auto r = test::run(hoks + " profile draft -o " + (d / "p.yaml").string() + " " + vendor("kurre.xml").string());
  EXPECT_EQ(r.status, 0);
  const std::string yaml = test::read(d / "p.yaml");
  EXPECT_EQ(Profile::load(yaml).xml_root, "KurreVienti");
  const auto c = test::run(hoks + " convert --from " + (d / "p.yaml").string() + " --to json " + vendor("kurre.xml").string() + " 2>&1");
  EXPECT_EQ(c.status, 0) << c.out;
  const auto bad = test::run(hoks + " profile draft " + (test::source_dir() / "schema" / "model.yaml").string() + " 2>&1");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("*.xml or *.csv"), std::string::npos) << bad.out;
  const auto broken = test::run(hoks + " profile draft --format xml " + vendor("opinto.csv").string() + " 2>&1");
  EXPECT_EQ(broken.status, 1);
  EXPECT_NE(broken.out.find("syntax"), std::string::npos) << broken.out;
  fs::remove_all(d);
}

// ------------------------------------------------------------------------------------------------
// XML namespaces on writing

namespace {
const char* namespace_profile = R"(profile: ns
format: xml
xml:
  root: Vienti
  namespace: {prefix: oh, uri: "urn:example:opintohallinto:2"}
documents:
  xml: Opiskelija
  fields:
    - {field: oppija-oid, xml: "@oid"}
    - {field: sahkoposti, xml: "Yhteys[@laji='email']/Arvo"}
    - field: hankittavat-ammat-tutkinnon-osat
      xml: Osat/Osa
      fields:
        - {field: tutkinnon-osa-koodi-uri, xml: "@tunnus"}
)";
const char* namespace_json = R"({"oppija-oid": "1.2.246.562.24.44651722625", "sahkoposti": "a@example.fi",
  "hankittavat-ammat-tutkinnon-osat": [{"tutkinnon-osa-koodi-uri": "tutkinnonosat_1"}, {"tutkinnon-osa-koodi-uri": "tutkinnonosat_2"}]})";
}  // namespace

TEST(XmlNamespaces, WritingDeclaresThePrefixAndReadingIgnoresIt) {
  const Profile p = Profile::load(namespace_profile, "ns.yaml");
  Conversion in;
  ASSERT_TRUE(parse_json_tree(namespace_json, "t", in));
  const Output out = p.write(in.document);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_EQ(out.files.at(0).bytes, R"(<?xml version="1.0" encoding="UTF-8"?>
<oh:Vienti xmlns:oh="urn:example:opintohallinto:2">
  <oh:Opiskelija oid="1.2.246.562.24.44651722625">
    <oh:Yhteys laji="email">
      <oh:Arvo>a@example.fi</oh:Arvo>
    </oh:Yhteys>
    <oh:Osat>
      <oh:Osa tunnus="tutkinnonosat_1" />
      <oh:Osa tunnus="tutkinnonosat_2" />
    </oh:Osat>
  </oh:Opiskelija>
</oh:Vienti>
)");
  // Back: the same document, nothing unmapped (the declaration is not input), positions kept.
  const Conversion back = p.read({{"ns.xml", out.files.at(0).bytes}});
  ASSERT_FALSE(back.fatal);
  EXPECT_TRUE(back.findings.empty()) << back.findings.front().rule << " " << back.findings.front().arg("name");
  EXPECT_EQ(first_difference(in.document, back.document), "");
  EXPECT_EQ(back.origins[back.document.get("sahkoposti")->origin].line, 5u);
  // Another prefix for the same names, or none: read the same (namespaces are ignored on reading).
  std::string other = out.files.at(0).bytes;
  for (std::size_t at = other.find("oh:"); at != std::string::npos; at = other.find("oh:", at)) other.replace(at, 3, "x:");
  EXPECT_EQ(first_difference(in.document, p.read({{"x.xml", other}}).document), "");
  // The default namespace: xmlns on the root, names without a prefix.
  std::string yaml = namespace_profile;
  yaml.replace(yaml.find("prefix: oh, "), 12, "");
  const std::string plain = Profile::load(yaml).write(in.document).files.at(0).bytes;
  EXPECT_NE(plain.find("<Vienti xmlns=\"urn:example:opintohallinto:2\">"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("oh:"), std::string::npos);
}

TEST(XmlNamespaces, ABadDeclarationIsRejectedAtLoad) {
  const auto error = [](std::string replacement) {
    std::string yaml = namespace_profile;
    yaml.replace(yaml.find("{prefix: oh, uri: \"urn:example:opintohallinto:2\"}"), 49, replacement);
    try {
      Profile::load(yaml, "ns.yaml");
    } catch (const ProfileError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("{prefix: oh}").find("ns.yaml:5: namespace needs its uri"), std::string::npos) << error("{prefix: oh}");
  EXPECT_NE(error("{prefix: \"o:h\", uri: u}").find("not an XML name"), std::string::npos);
  EXPECT_NE(error("{prefix: xmlns, uri: u}").find("not an XML name"), std::string::npos);
  EXPECT_NE(error("{prefix: oh, url: u}").find("unknown key 'url'"), std::string::npos);
}

// ------------------------------------------------------------------------------------------------
// --context NAME=VALUE

TEST(ContextOverride, AGivenValueReplacesTheProfilesContextBothWays) {
  const std::string yaml = test::read(test::source_dir() / "schema" / "profiles" / "example-vendor-xml.yaml");
  const NamedFile xml{"opintohallinto.xml", test::read(vendor("opintohallinto.xml"))};
  const std::string other = "1.2.246.562.10.00000000001";
  const Conversion own = Profile::load(yaml).read({xml});
  const Conversion given = Profile::load(yaml, "p", Model::builtin(), {{"koulu", other}}).read({xml});
  const auto organiser = [](const Conversion& c) {
    return c.document.items.at(0).get("hankittavat-ammat-tutkinnon-osat")->items.at(0).get("koulutuksen-jarjestaja-oid")->text;
  };
  EXPECT_EQ(organiser(own), "1.2.246.562.10.12944436167");
  EXPECT_EQ(organiser(given), other);
  // Writing: the value equal to the given default is left out.
  const std::string written = Profile::load(yaml, "p", Model::builtin(), {{"koulu", other}}).write(given.document).files.at(0).bytes;
  EXPECT_EQ(written.find(other), std::string::npos);
  EXPECT_NE(Profile::load(yaml).write(given.document).files.at(0).bytes.find("jarjestaja=\"" + other + "\""), std::string::npos);
  try {
    Profile::load(yaml, "p.yaml", Model::builtin(), {{"kool", other}});
    ADD_FAILURE() << "an unknown context name is an error";
  } catch (const ProfileError& e) {
    EXPECT_NE(std::string(e.what()).find("'kool' is not in the profile's context (it has: koulu)"), std::string::npos) << e.what();
  }
}

TEST(ContextOverride, ConvertAndValidateTakeContextOnTheCommandLine) {
  const std::string hoks = test::hoks_binary();
  const std::string profile = (test::source_dir() / "schema" / "profiles" / "example-vendor-xml.yaml").string();
  const std::string file = vendor("opintohallinto.xml").string();
  const auto c = test::run(hoks + " convert --from " + profile + " --to json --context koulu=1.2.246.562.10.00000000001 " + file + " 2>/dev/null");
  EXPECT_EQ(c.status, 0);
  EXPECT_NE(c.out.find("\"koulutuksen-jarjestaja-oid\": \"1.2.246.562.10.00000000001\""), std::string::npos) << c.out;
  EXPECT_EQ(c.out.find("\"koulutuksen-jarjestaja-oid\": \"1.2.246.562.10.12944436167\""), std::string::npos) << c.out;
  const auto bad = test::run(hoks + " convert --from " + profile + " --to json --context kool=1 " + file + " 2>&1");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("'kool' is not in the profile's context"), std::string::npos) << bad.out;
  const auto shape = test::run(hoks + " convert --from " + profile + " --to json --context koulu " + file + " 2>&1");
  EXPECT_EQ(shape.status, 2);
  EXPECT_NE(shape.out.find("NAME=VALUE"), std::string::npos) << shape.out;
  // validate --from: the given organiser is checked (an OID without a valid form is a finding).
  const auto v = test::run(hoks + " validate --format concise --from " + profile + " --context koulu=1.2.246.562.10.123 " + file + " 2>&1");
  EXPECT_EQ(v.status, 1);
  EXPECT_NE(v.out.find("virhe[pattern-mismatch] Arvo `1.2.246.562.10.123`"), std::string::npos) << v.out;
  const auto vok = test::run(hoks + " validate --format concise --from " + profile + " " + file + " 2>&1");
  EXPECT_EQ(vok.out.find("1.2.246.562.10.123`"), std::string::npos) << vok.out;
  const auto vbad = test::run(hoks + " validate --from " + profile + " --context kool=1 " + file + " 2>&1");
  EXPECT_EQ(vbad.status, 2);
  EXPECT_NE(vbad.out.find("'kool' is not in the profile's context"), std::string::npos) << vbad.out;
}
