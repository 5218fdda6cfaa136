// hoks anonymize: anonymized demo documents keep their verdict (same error rules, structural and
// otherwise) and contain none of the original personal data; the output is deterministic per seed.
#include "hoks/maintain/anonymize.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "hoks/check/checks.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;
using nlohmann::json;

namespace {

std::vector<fs::path> demo_documents() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / "ehoks-demo"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Personal values of a document, found by key (independently of the library's model walk).
void personal_values(const json& j, const std::string& parent, std::set<std::string>& out) {
  static const std::set<std::string> person_holders = {
      "jarjestajan-edustaja", "hankkijan-edustaja", "vastuullinen-tyopaikka-ohjaaja",
      "koulutuksen-jarjestaja-osaamisen-arvioijat", "tyoelama-osaamisen-arvioijat",
      "aiemmin-hankitun-osaamisen-arvioijat"};
  static const std::set<std::string> always = {"sahkoposti", "puhelinnumero", "oppija-oid", "opiskeluoikeus-oid",
                                               "tuva-opiskeluoikeus-oid", "y-tunnus", "tyopaikan-y-tunnus",
                                               "tyopaikan-nimi", "yksiloiva-tunniste"};
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (v.is_string() && (always.count(k) || (k == "nimi" && person_holders.count(parent)))) {
        const std::string t(trim(v.get<std::string>()));
        if (t.size() >= 4) out.insert(t);
      }
      personal_values(v, k, out);
    }
  } else if (j.is_array()) {
    for (auto& v : j) personal_values(v, parent, out);
  }
}

// "rule path" of the error findings of hoks validate (all stages).
std::multiset<std::string> errors_of(const fs::path& file, const std::string& extra = "") {
  const auto r = test::run(test::hoks_binary() + " validate --format json --today 2026-11-28" + extra + " '" +
                           file.string() + "'");
  EXPECT_TRUE(r.status == 0 || r.status == 1) << file;
  std::multiset<std::string> out;
  const json report = json::parse(r.out);  // named: a range-for over a member of a temporary dangles
  for (const auto& d : report.at("documents"))
    for (const auto& f : d.at("findings"))
      if (f.at("severity") == "error") out.insert(f.at("rule").get<std::string>() + " " + f.at("path").get<std::string>());
  return out;
}

fs::path temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("hoks-anon-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST(Anonymize, DemoDocumentsKeepTheirVerdictAndLoseTheirPersonalData) {
  const fs::path dir = temp_dir();
  int documents = 0, replaced_values = 0;
  for (const auto& path : demo_documents()) {
    const std::string original = test::read(path);
    const fs::path out = dir / path.filename();
    const auto r = test::run(test::hoks_binary() + " anonymize --seed 7 --free-text -o '" + out.string() + "' '" +
                             path.string() + "'");
    ASSERT_EQ(r.status, 0) << path;
    const std::string anonymized = test::read(out);
    if (!json::accept(original)) continue;
    EXPECT_TRUE(json::accept(anonymized)) << path;
    std::set<std::string> personal;
    personal_values(json::parse(original), "", personal);
    for (const auto& value : personal) {
      std::string token;
      token = json(value).dump();  // as it would appear in the output
      EXPECT_EQ(anonymized.find(token.substr(1, token.size() - 2)), std::string::npos)
          << path.filename() << " still contains " << value;
      ++replaced_values;
    }
    for (const char* extra : {"", " --manual-entry", " --operation replace"})
      EXPECT_EQ(errors_of(path, extra), errors_of(out, extra)) << path.filename() << extra;
    ++documents;
  }
  EXPECT_GE(documents, 8);
  EXPECT_GT(replaced_values, 50);
  fs::remove_all(dir);
}

TEST(Anonymize, DeterministicForASeed) {
  const std::string text = test::read(test::shared_dir() / "corpus" / "ehoks-demo" / "hoksit.json");
  AnonymizeOptions a;
  a.seed = 3;
  EXPECT_EQ(anonymize(text, a), anonymize(text, a));
  AnonymizeOptions b;
  b.seed = 4;
  EXPECT_NE(anonymize(text, a), anonymize(text, b));
}

TEST(Anonymize, KeepsCheckDigitVerdictsLayoutAndEquality) {
  const std::string doc = R"({"oppija-oid": "1.2.246.562.24.12312312319",
  "opiskeluoikeus-oid": "1.2.246.562.15.10000000008",
  "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true,
  "sahkoposti": "", "henkilotunnus": "010101-123A",
  "hankittavat-paikalliset-tutkinnon-osat": [{"osaamisen-hankkimistavat": [
    {"alku": "2024-01-01", "loppu": "2024-02-01", "yksiloiva-tunniste": "abc",
     "osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_koulutussopimus", "osaamisen-hankkimistapa-koodi-versio": 1,
     "tyopaikalla-jarjestettava-koulutus": {"tyopaikan-nimi": "Kukkakauppa Virtanen", "tyopaikan-y-tunnus": "1234567-1",
       "keskeiset-tyotehtavat": [], "vastuullinen-tyopaikka-ohjaaja": {"nimi": "Ville Virtanen", "puhelinnumero": "abc"}}},
    {"alku": "2024-03-01", "loppu": "2024-04-01", "yksiloiva-tunniste": "abc",
     "osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_muu", "osaamisen-hankkimistapa-koodi-versio": 1}]}]})";
  const auto out = json::parse(anonymize(doc));
  const std::string pid = out["oppija-oid"], ooid = out["opiskeluoikeus-oid"];
  EXPECT_NE(pid, "1.2.246.562.24.12312312319");
  EXPECT_EQ(pid.rfind("1.2.246.562.24.", 0), 0u);
  EXPECT_TRUE(oid_check_digit_valid(pid));
  EXPECT_FALSE(oid_check_digit_valid(ooid));  // the original's check digit was wrong: so is the replacement
  EXPECT_EQ(out["sahkoposti"], "");           // empty stays empty
  EXPECT_NE(out["henkilotunnus"], "010101-123A");  // unknown keys may hide anything
  const auto& ohts = out["hankittavat-paikalliset-tutkinnon-osat"][0]["osaamisen-hankkimistavat"];
  EXPECT_EQ(ohts[0]["yksiloiva-tunniste"], ohts[1]["yksiloiva-tunniste"]);  // equal values stay equal
  EXPECT_NE(ohts[0]["yksiloiva-tunniste"], "abc");
  const auto& tjk = ohts[0]["tyopaikalla-jarjestettava-koulutus"];
  EXPECT_TRUE(y_tunnus_check_digit_valid("1234567-1"));
  EXPECT_TRUE(y_tunnus_check_digit_valid(tjk["tyopaikan-y-tunnus"].get<std::string>()));
  EXPECT_NE(tjk["tyopaikan-y-tunnus"], "1234567-1");
  EXPECT_NE(tjk["tyopaikan-nimi"], "Kukkakauppa Virtanen");
  EXPECT_FALSE(phone_valid(tjk["vastuullinen-tyopaikka-ohjaaja"]["puhelinnumero"].get<std::string>()));
  EXPECT_EQ(ohts[0]["alku"], "2024-01-01");  // dates and codes are kept
  EXPECT_THROW(anonymize("{\"a\": }"), std::invalid_argument);
  const auto bad = test::run("printf '{\\n  \"x\": ]' | " + test::hoks_binary() + " anonymize - 2>&1");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("-:2:"), std::string::npos) << bad.out;
}

// Null arrays (legal in eHOKS, ehoks-model.md §0.2) stay null beside replaced personal data, and
// the anonymized document gets the same findings, warnings included.
TEST(Anonymize, KeepsNullArrays) {
  const fs::path original = test::source_dir() / "fixtures" / "rules" / "null-array" / "fail-1.json";
  const fs::path out = temp_dir() / "null-array.json";
  const auto r = test::run(test::hoks_binary() + " anonymize --seed 5 -o '" + out.string() + "' '" + original.string() + "'");
  ASSERT_EQ(r.status, 0);
  const json before = json::parse(test::read(original)), after = json::parse(test::read(out));
  for (const char* pointer : {"/hankittavat-paikalliset-tutkinnon-osat",
                              "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0/keskeytymisajanjaksot",
                              "/aiemmin-hankitut-ammat-tutkinnon-osat/0/tarkentavat-tiedot-osaamisen-arvioija/aiemmin-hankitun-osaamisen-arvioijat"}) {
    ASSERT_TRUE(before.at(json::json_pointer(pointer)).is_null()) << pointer;
    EXPECT_TRUE(after.at(json::json_pointer(pointer)).is_null()) << pointer;
  }
  EXPECT_NE(before["sahkoposti"], after["sahkoposti"]);
  auto findings = [](const fs::path& file) {
    const auto v = test::run(test::hoks_binary() + " validate --format json --today 2026-11-28 '" + file.string() + "'");
    std::multiset<std::string> all;
    const json report = json::parse(v.out);
    for (const auto& d : report.at("documents"))
      for (const auto& f : d.at("findings")) all.insert(f.at("rule").get<std::string>() + " " + f.at("path").get<std::string>());
    return all;
  };
  const auto expected = findings(original);
  EXPECT_EQ(expected.count("null-array /hankittavat-paikalliset-tutkinnon-osat"), 1u);
  EXPECT_EQ(findings(out), expected);
  fs::remove_all(out.parent_path());
}
