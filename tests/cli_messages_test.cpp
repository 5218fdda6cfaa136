// Issue 17.7: messages that said something else than the defect: limits, part-time values out of
// range, a value converted and checked twice, dates that do not exist, `explain` and `rules`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

namespace fs = std::filesystem;
using hoks::test::run;

namespace {

std::string cli(const std::string& args) { return hoks::test::hoks_binary() + " " + args + " 2>/dev/null"; }

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("hoks-messages-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

std::string source(const std::string& path) { return (hoks::test::source_dir() / path).string(); }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST(CliMessages, ALimitIsItsOwnRuleWithAHintNamingTheOptionAndExit2) {
  Scratch s;
  const std::string doc = s.write("long.json", "{\"oppija-oid\": \"" + std::string(2000, 'a') + "\"}");
  const auto text = run(cli("validate --lang en --max-string-length 1000 " + doc + "; echo rc=$?"));
  EXPECT_NE(text.out.find(doc + ":1:16: error[limit-exceeded]: The --max-string-length limit was reached (a limit, not a "
                                "defect in the data): a string is too long."),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("hint: Raise the limit, or remove it, with the option the message names (--max-documents, "
                          "--max-string-length"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("[syntax]"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("commas"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("rc=2"), std::string::npos) << text.out;
  // In Finnish first, as every message.
  const auto fi = run(cli("validate --max-string-length 1000 " + doc));
  EXPECT_NE(fi.out.find("virhe[limit-exceeded]: Raja --max-string-length tuli vastaan (raja, ei virhe aineistossa)"),
            std::string::npos)
      << fi.out;
  // Without the limit the same document is checked: a finding about the data, exit 1.
  const auto unlimited = run(cli("validate --lang en --max-string-length 0 " + doc + "; echo rc=$?"));
  EXPECT_EQ(unlimited.out.find("limit-exceeded"), std::string::npos);
  EXPECT_NE(unlimited.out.find("rc=1"), std::string::npos) << unlimited.out;
}

TEST(CliMessages, TheNotCheckedCountOfALimitedStreamCountsTheWholeRest) {
  Scratch s;
  // 30,000 documents in a stream larger than one piece of work: the limit stops early in it.
  std::string lines;
  for (int i = 0; i < 30000; ++i) lines += "{\"oppija-oid\": \"" + std::string(200, 'x') + "\"}\n";
  const std::string file = s.write("export.ndjson", lines);
  for (const char* limit : {"10", "1000", "25000"}) {
    const auto r = run(cli("validate --format json --select syntax --max-documents " + std::string(limit) + " " + file +
                            " | tail -c 300"));
    const std::size_t n = std::stoul(limit);
    EXPECT_NE(r.out.find("\"documents\": " + std::to_string(n + 1)), std::string::npos) << limit << ": " << r.out;
    EXPECT_NE(r.out.find("\"not_checked\": " + std::to_string(30000 - n)), std::string::npos) << limit << ": " << r.out;
  }
  const auto text = run(cli("validate --lang en -q --max-documents 10 " + file + "; echo rc=$?"));
  EXPECT_NE(text.out.find("(29990 documents were not checked because the --max-documents limit was reached"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("rc=2"), std::string::npos);
}

TEST(CliMessages, APartTimeValueOutOfRangeSaysSo) {
  Scratch s;
  const std::string context = source("fixtures/context/ammatillinen.json");
  const std::string fixture = hoks::test::read(source("fixtures/rules/oht-part-time/fail-3.json"));
  const std::string out_of_range = s.write("150.json", replaced(fixture, "\"osa-aikaisuustieto\": 101", "\"osa-aikaisuustieto\": 150"));
  const auto r = run(cli("validate --lang en --today 2026-11-28 --select oht-part-time --opiskeluoikeus " + context + " " +
                          out_of_range));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("error[oht-part-time]: The part-time information `150` is not between 1 and 100. The workplace "
                       "period ends on "),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("Add part-time information"), std::string::npos) << r.out;
  // Missing: the message that asks to add it.
  const std::string missing = s.write("missing.json", replaced(fixture, "\"osa-aikaisuustieto\": 101,", ""));
  const auto m = run(cli("validate --lang en --today 2026-11-28 --select oht-part-time --opiskeluoikeus " + context + " " + missing));
  EXPECT_NE(m.out.find("error[oht-part-time]: Add part-time information (`osa-aikaisuustieto`) between 1 and 100"),
            std::string::npos)
      << m.out;
  const auto fi = run(cli("validate --today 2026-11-28 --select oht-part-time --opiskeluoikeus " + context + " " + out_of_range));
  EXPECT_NE(fi.out.find("Osa-aikaisuustieto `150` ei ole kokonaisluku välillä 1-100."), std::string::npos) << fi.out;
}

TEST(CliMessages, AConvertedValueThatIsNoDateIsOneFindingThatSaysTheDateDoesNotExist) {
  Scratch s;
  const std::string xml = replaced(hoks::test::read(source("fixtures/vendor/opintohallinto.xml")), "paattyy=\"31.1.2024\"",
                                   "paattyy=\"31.2.2024\"");
  const std::string file = s.write("vienti.xml", xml);
  const auto r = run(cli("validate --lang en --today 2026-11-28 --format json --from " +
                          source("schema/profiles/example-vendor-xml.yaml") + " " + file));
  const auto j = nlohmann::json::parse(r.out);
  std::string path;
  std::size_t transform = 0;
  for (const auto& d : j["documents"])
    for (const auto& f : d["findings"])
      if (f["rule"] == "transform-failed") {
        ++transform;
        path = f["path"];
        EXPECT_EQ(f["message"], "The date `31.2.2024` does not exist: the form d.M.yyyy is right, but the calendar has no such day.");
      }
  ASSERT_EQ(transform, 1u) << r.out;
  // One finding for the one defect: nothing else at the same place (no invalid-date as well).
  for (const auto& d : j["documents"])
    for (const auto& f : d["findings"]) EXPECT_TRUE(f["rule"] == "transform-failed" || f["path"] != path) << f.dump();
  // A value of the wrong form still says which form is accepted.
  const std::string wrong = s.write("muoto.xml", replaced(xml, "paattyy=\"31.2.2024\"", "paattyy=\"2024/01/31\""));
  const auto w = run(cli("validate --lang en --today 2026-11-28 --from " + source("schema/profiles/example-vendor-xml.yaml") + " " + wrong));
  EXPECT_NE(w.out.find("The value `2024/01/31` cannot be converted to date (YYYY-MM-DD); accepted form: d.M.yyyy."), std::string::npos) << w.out;
}

TEST(CliMessages, ExplainNamesItsPlaceholdersAndSpeaksOneLanguage) {
  const auto en = run(cli("explain oht-part-time --lang en"));
  EXPECT_EQ(en.status, 0);
  EXPECT_EQ(en.out.find("{loppu}"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("the workplace period ends on <loppu>"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("(<…> is filled in from the document)"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("Applies: 2023-07-01 … \n"), std::string::npos) << en.out;
  EXPECT_EQ(en.out.find("Voimassa"), std::string::npos) << en.out;
  EXPECT_EQ(en.out.find("Gäller"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("Severity: error\n"), std::string::npos) << en.out;
  const auto fi = run(cli("explain oht-part-time --lang fi"));
  EXPECT_NE(fi.out.find("Vakavuus: virhe\n"), std::string::npos) << fi.out;
  EXPECT_NE(fi.out.find("Voimassa: 2023-07-01 … \n"), std::string::npos) << fi.out;
  EXPECT_EQ(fi.out.find("Applies"), std::string::npos) << fi.out;
  EXPECT_EQ(fi.out.find("{loppu}"), std::string::npos) << fi.out;
  const auto sv = run(cli("explain duplicate-key --lang sv"));
  EXPECT_NE(sv.out.find("Allvarlighet: varning\n"), std::string::npos) << sv.out;
  EXPECT_NE(sv.out.find("`<key>`"), std::string::npos) << sv.out;
}

TEST(CliMessages, RulesListsSeveritiesInTheChosenLanguage) {
  const auto fi = run(cli("rules --lang fi"));
  EXPECT_NE(fi.out.find("oht-part-time                virhe    ctx "), std::string::npos) << fi.out.substr(0, 2000);
  EXPECT_NE(fi.out.find("duplicate-key                varoitus "), std::string::npos);
  EXPECT_EQ(fi.out.find(" error "), std::string::npos);
  EXPECT_EQ(fi.out.find(" warning "), std::string::npos);
  const auto en = run(cli("rules --lang en"));
  EXPECT_NE(en.out.find("oht-part-time                error    ctx "), std::string::npos) << en.out.substr(0, 2000);
  // JSON keeps the stable severity names.
  const auto json = nlohmann::json::parse(run(cli("rules --lang fi --format json")).out);
  for (const auto& r : json["rules"]) EXPECT_TRUE(r["severity"] == "error" || r["severity"] == "warning" || r["severity"] == "info");
}

TEST(CliMessages, AnObjectWhoseOwnChecksWaitForItsErrorsSaysSoOnce) {
  // A workplace period with a wrong-typed tunniste: its own checks (C-OHT-1…8) and those of the
  // objects around it (the unit, the document) do not run, and an info says that they run once the
  // error is fixed, at the innermost of them.
  const std::string broken = source("fixtures/rules/object-checks-pending/fail-1.json");
  const auto r = run(cli("validate --lang en --today 2026-11-28 " + broken));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("error[wrong-type]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("info[object-checks-pending]: Objects with errors: 3. Their own checks (such as eHOKS's C-OHT-1…8) "
                       "run only once those errors are fixed"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("fail-1.json:19:9: info[object-checks-pending]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  path: /hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0\n"), std::string::npos) << r.out;
  const auto fixed = run(cli("validate --lang en --today 2026-11-28 " + source("fixtures/rules/object-checks-pending/pass-1.json")));
  EXPECT_EQ(fixed.out.find("[object-checks-pending]"), std::string::npos) << fixed.out;
  // --ignore silences it like any rule.
  EXPECT_EQ(run(cli("validate --ignore object-checks-pending " + broken)).out.find("[object-checks-pending]"), std::string::npos);
}
