// The command line contract (docs/architecture.md): exit codes, the JSON report, the eHOKS verdicts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "test_util.hpp"

namespace fs = std::filesystem;
using hoks::test::run;

namespace {

std::string hoks_cmd(const std::string& args) { return hoks::test::hoks_binary() + " " + args + " 2>/dev/null"; }
std::string demo(const std::string& name) { return (hoks::test::shared_dir() / "corpus" / "ehoks-demo" / name).string(); }
std::string context(const std::string& name) {
  return (hoks::test::source_dir() / "fixtures" / "context" / (name + ".json")).string();
}
// The study right `name` as the dev KOSKI mock returns it for the demo document `file`: under the
// document's own opiskeluoikeus-oid (a study right is looked up by oid).
std::string context(const std::string& name, const std::string& file) {
  auto sr = nlohmann::json::parse(hoks::test::read(context(name)));
  sr["oid"] = nlohmann::json::parse(hoks::test::read(demo(file)))["opiskeluoikeus-oid"];
  const fs::path out = fs::temp_directory_path() / ("hoks-cli-context-" + std::to_string(::getpid()) + "-" + name + "-" + file);
  std::ofstream(out, std::ios::binary) << sr.dump(2);
  return out.string();
}

struct Verdict {
  const char* file;
  const char* context;
  bool post_passes;     // POST /hoks
  bool manual_passes;   // virkailija POST
};

}  // namespace

// ehoks-model.md §6: the verdict eHOKS gives for each demo document, with the dev KOSKI mock as context
// (ammatillinen, alkamispäivä 2018-11-15, läsnä, no estimated end; TUVA for the …76811942 oid).
TEST(Cli, DemoDocumentsGetTheVerdictsOfEhoks) {
  const Verdict verdicts[] = {
      {"hoks_ainoastaan_YTOja.json", "ammatillinen-open", false, true},
      {"hoks_ainoastaan_ammatillisia.json", "ammatillinen-open", false, true},
      {"hoks_ainoastaan_paikallisia.json", "ammatillinen-open", false, true},
      {"hoks_tuva.json", "tuva", true, true},
      {"hoks_yksi_tutkinnonosa.json", "ammatillinen-open", false, true},
      {"hoksit.json", "ammatillinen-open", true, true},
      {"anonymised-example-1.json", "ammatillinen-open", true, true},
      {"anonymised-example-2.json", "ammatillinen-open", true, true},
  };
  for (const auto& v : verdicts) {
    const std::string base = "validate --today 2026-11-28 --opiskeluoikeus " + context(v.context, v.file) + " " + demo(v.file);
    EXPECT_EQ(run(hoks_cmd(base)).status, v.post_passes ? 0 : 1) << v.file;
    EXPECT_EQ(run(hoks_cmd(base + " --manual-entry")).status, v.manual_passes ? 0 : 1) << v.file << " (manual entry)";
  }
  // The failing POSTs fail only for the missing yksilöivä tunniste (C-OHT-2).
  for (const char* f : {"hoks_ainoastaan_YTOja.json", "hoks_ainoastaan_ammatillisia.json",
                        "hoks_ainoastaan_paikallisia.json", "hoks_yksi_tutkinnonosa.json"}) {
    const auto r = run(hoks_cmd("validate --format json --today 2026-11-28 --opiskeluoikeus " + context("ammatillinen-open", f) +
                            " " + demo(f)));
    const auto report = nlohmann::json::parse(r.out);
    for (const auto& finding : report["documents"][0]["findings"])
      if (finding["severity"] == "error") EXPECT_EQ(finding["rule"], "oht-tunniste") << f;
  }
}

TEST(Cli, ContextChangesTheVerdictAsVerified) {
  // hoks_tuva with a vocational study right: both training parts fail C-T3.
  auto r = run(hoks_cmd("validate --format json --today 2026-11-28 --opiskeluoikeus " + context("ammatillinen-open", "hoks_tuva.json") + " " +
                    demo("hoks_tuva.json")));
  EXPECT_EQ(r.status, 1);
  auto report = nlohmann::json::parse(r.out);
  int c_t3 = 0;
  for (const auto& f : report["documents"][0]["findings"]) c_t3 += f["rule"] == "training-part-not-tuva";
  EXPECT_EQ(c_t3, 2);
  // hoksit.json with a study right starting 2023-08-01: OHTs start earlier (C-OHT-6).
  r = run(hoks_cmd("validate --format json --today 2026-11-28 --opiskeluoikeus " + context("ammatillinen", "hoksit.json") + " " +
               demo("hoksit.json")));
  EXPECT_EQ(r.status, 1);
  report = nlohmann::json::parse(r.out);
  int c_oht6 = 0;
  for (const auto& f : report["documents"][0]["findings"]) c_oht6 += f["rule"] == "oht-before-study-right";
  EXPECT_GE(c_oht6, 2);
  // The anonymised examples also pass with the stricter 2023-08-01…2026-07-31 study right.
  for (const char* f : {"anonymised-example-1.json", "anonymised-example-2.json"})
    EXPECT_EQ(run(hoks_cmd("validate --today 2026-11-28 --opiskeluoikeus " + context("ammatillinen", f) + " " + demo(f))).status, 0) << f;
}

TEST(Cli, ExitCodes) {
  const std::string example = (hoks::test::source_dir() / "fixtures" / "examples" / "hoks-example.json").string();
  EXPECT_EQ(run(hoks_cmd("validate --today 2026-11-28 " + example)).status, 0);
  EXPECT_EQ(run(hoks_cmd("validate /no/such/file.json")).status, 2);
  EXPECT_EQ(run(hoks_cmd("validate --operation delete " + example)).status, 2);
  EXPECT_EQ(run(hoks_cmd("validate --today 2026-02-30 " + example)).status, 2);
  EXPECT_EQ(run(hoks_cmd("validate --opiskeluoikeus " + example + ".missing " + example)).status, 2);
  EXPECT_EQ(run("echo '{\"tyyppi\": 1' > /tmp/hoks-bad-ctx.json").status, 0);
  EXPECT_EQ(run(hoks_cmd("validate --opiskeluoikeus /tmp/hoks-bad-ctx.json " + example)).status, 2);
  EXPECT_EQ(run("printf '{\"a\":' | " + hoks_cmd("validate -")).status, 1);  // not well-formed: a finding
  EXPECT_EQ(run(hoks_cmd("validate --fail-on warning --today 2026-11-28 " +
                     (hoks::test::source_dir() / "fixtures" / "rules" / "legal-career-plan" / "fail-1.json").string()))
                .status,
            1);
  EXPECT_EQ(run(hoks_cmd("--version")).status, 0);
  EXPECT_NE(run(hoks_cmd("--version")).out.find("ruleset"), std::string::npos);
}

TEST(Cli, JsonReportShape) {
  const auto r = run("printf '{\"versio\": \"x\",\\n \"tuntematon\": 1}' | " +
                     hoks_cmd("validate --format json --today 2026-11-28 -"));
  EXPECT_EQ(r.status, 1);
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["tool"]["name"], "hoks");
  EXPECT_TRUE(report["tool"]["version"].is_string());
  EXPECT_TRUE(report["tool"]["ruleset"].is_string());
  ASSERT_EQ(report["documents"].size(), 1u);
  const auto& doc = report["documents"][0];
  EXPECT_EQ(doc["source"], "-");
  EXPECT_EQ(doc["index"], 0);
  EXPECT_EQ(doc["operation"], "create");
  EXPECT_EQ(doc["valid"], false);
  bool unknown = false;
  for (const auto& f : doc["findings"]) {
    EXPECT_TRUE(f["rule"].is_string());
    EXPECT_TRUE(f["severity"] == "error" || f["severity"] == "warning" || f["severity"] == "info");
    EXPECT_TRUE(f["path"].is_string());
    EXPECT_TRUE(f["message"].is_string());
    EXPECT_TRUE(f["location"]["line"].is_number_integer());
    if (f["rule"] == "unknown-key") {
      unknown = true;
      EXPECT_EQ(f["path"], "/tuntematon");
      EXPECT_EQ(f["location"]["line"], 2);
      EXPECT_EQ(f["location"]["column"], 2);
    }
  }
  EXPECT_TRUE(unknown);
  EXPECT_EQ(report["summary"]["documents"], 1);
  EXPECT_EQ(report["summary"]["valid"], 0);
  EXPECT_GE(report["summary"]["errors"], 2);
}

TEST(Cli, TextOutputReadsLikeACompilerInEveryLanguage) {
  const std::string bad = (hoks::test::source_dir() / "fixtures" / "rules" / "oht-tunniste" / "fail-1.json").string();
  const auto fi = run(hoks_cmd("validate --color never --today 2026-11-28 " + bad));
  EXPECT_EQ(fi.status, 1);
  EXPECT_NE(fi.out.find(bad + ":"), std::string::npos);
  EXPECT_NE(fi.out.find(": virhe[oht-tunniste]: Lisää työpaikkajaksoon yksilöivä tunniste."), std::string::npos) << fi.out;
  const auto en = run(hoks_cmd("validate --color never --lang en --today 2026-11-28 " + bad));
  EXPECT_NE(en.out.find(": error[oht-tunniste]: "), std::string::npos) << en.out;
  const auto sv = run(hoks_cmd("validate --color never --lang sv --today 2026-11-28 " + bad));
  EXPECT_NE(sv.out.find(": fel[oht-tunniste]: "), std::string::npos) << sv.out;
}

TEST(Cli, ExplainAndRules) {
  for (const char* lang : {"fi", "sv", "en"}) {
    const auto r = run(hoks_cmd(std::string("explain oht-part-time --lang ") + lang));
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("oht-part-time"), std::string::npos);
  }
  EXPECT_EQ(run(hoks_cmd("explain no-such-rule")).status, 2);
  // Every rule, in every language: what, why, an example from its own fixtures, and the fix.
  const auto catalog = nlohmann::json::parse(run(hoks_cmd("rules --format json")).out);
  std::vector<std::string> ids;
  for (const auto& rule : catalog["rules"]) ids.push_back(rule["id"]);
  for (const auto& [lang, word] : {std::pair{"fi", "Esimerkki:"}, {"sv", "Exempel:"}, {"en", "Example:"}}) {
    const auto all = run(hoks_cmd(std::string("explain '*' --lang ") + lang));
    ASSERT_EQ(all.status, 0);
    const auto each = hoks::test::split_explanations(all.out, ids);
    ASSERT_EQ(each.size(), ids.size()) << "every rule, in catalog order";
    for (const auto& [id, text] : each) {
      // Rules on JSON input show their fail-1.json (converter rules have XML/CSV fixtures instead).
      if (!fs::exists(hoks::test::source_dir() / "fixtures" / "rules" / id / "fail-1.json")) continue;
      EXPECT_NE(text.find(word), std::string::npos) << id << " " << lang << ":\n" << text;
      EXPECT_NE(text.find("fixtures/rules/" + id + "/fail-1.json:"), std::string::npos) << id;
    }
    // Explaining many rules is explaining each one.
    for (const auto* one : {&each.front(), &each[each.size() / 2], &each.back()})
      EXPECT_EQ(one->second, run(hoks_cmd("explain " + one->first + " --lang " + lang)).out) << one->first;
  }
  const auto rules = run(hoks_cmd("rules --format json"));
  EXPECT_EQ(rules.status, 0);
  const auto j = nlohmann::json::parse(rules.out);
  EXPECT_GE(j["rules"].size(), 50u);
  for (const auto& r : j["rules"]) {
    EXPECT_TRUE(r["id"].is_string());
    EXPECT_TRUE(r["severity"].is_string());
    EXPECT_TRUE(r["title"].is_string());
  }
}

// `hoks rules` and `hoks explain` speak the one language asked for (issue 17.7).
TEST(Cli, ExplainAndRulesSpeakOneLanguage) {
  const auto fi = run(hoks_cmd("rules --lang fi"));
  EXPECT_EQ(fi.status, 0);
  EXPECT_NE(fi.out.find(" virhe "), std::string::npos) << fi.out.substr(0, 400);
  EXPECT_EQ(fi.out.find(" error "), std::string::npos);
  EXPECT_NE(run(hoks_cmd("rules --lang sv")).out.find(" fel "), std::string::npos);
  for (const auto& [lang, severity, others] :
       {std::tuple{"fi", "Vakavuus: virhe", "Applies"}, {"sv", "Allvarlighet: fel", "Voimassa"}, {"en", "Severity: error", "Gäller"}}) {
    const auto r = run(hoks_cmd(std::string("explain oht-part-time --lang ") + lang));
    EXPECT_NE(r.out.find(severity), std::string::npos) << lang << ":\n" << r.out;
    EXPECT_EQ(r.out.find(" / "), std::string::npos) << lang << ": a label in several languages:\n" << r.out;
    EXPECT_EQ(r.out.find(others), std::string::npos) << lang;
  }
}

TEST(Cli, JsonTestSuiteThroughTheCli) {
  // Every n_ file: exit 1 with a syntax finding that has a position; every y_ file: no syntax finding.
  const fs::path dir = hoks::test::shared_dir() / "conformance" / "JSONTestSuite";
  int checked = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("n_", 0) != 0 && name.rfind("y_", 0) != 0) continue;
    if (++checked % 7 != 0) continue;  // a sample keeps the test quick; json_test covers every file
    const auto r = run(hoks_cmd("validate --format json --today 2026-11-28 '" + e.path().string() + "'"));
    const auto report = nlohmann::json::parse(r.out);
    bool syntax = false;
    for (const auto& d : report["documents"])
      for (const auto& f : d["findings"])
        if (f["rule"] == "syntax") {
          syntax = true;
          EXPECT_GE(f["location"]["line"], 1) << name;
        }
    EXPECT_EQ(syntax, name[0] == 'n') << name;
    if (name[0] == 'n') EXPECT_EQ(r.status, 1) << name;
  }
}
