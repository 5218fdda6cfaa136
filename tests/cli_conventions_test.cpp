// Issue 17, parts 8 and 9: command-line conventions (did you mean, hoks: errors, help, -V,
// NO_COLOR, rule selectors, operations, impact --lang) and which document a report names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "test_util.hpp"

namespace fs = std::filesystem;
using hoks::test::run;

namespace {

std::string hoks_bin() { return hoks::test::hoks_binary(); }
// Standard output and standard error together.
hoks::test::CommandResult both(const std::string& args) { return run(hoks_bin() + " " + args + " 2>&1"); }
hoks::test::CommandResult out(const std::string& args) { return run(hoks_bin() + " " + args + " 2>/dev/null"); }
std::string demo(const std::string& name = "hoksit.json") {
  return (hoks::test::shared_dir() / "corpus" / "ehoks-demo" / name).string();
}
std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}
bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

struct TempDir {
  fs::path dir = fs::temp_directory_path() / ("hoks-conv-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::create_directories(dir); }
  ~TempDir() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

// `n` documents of the demo, one a line, each with its own id and OIDs (the check digits are not
// the point here).
std::string identified_stream(int n) {
  const auto base = nlohmann::json::parse(hoks::test::read(demo()));
  std::string text;
  for (int i = 0; i < n; ++i) {
    auto d = base;
    d["id"] = 1000 + i;
    d["opiskeluoikeus-oid"] = "1.2.246.562.15." + std::to_string(50000000000 + i);
    d["oppija-oid"] = "1.2.246.562.24." + std::to_string(70000000000 + i);
    text += d.dump() + "\n";
  }
  return text;
}

const char* const all_formats[] = {"text", "concise", "full", "json", "junit", "sarif", "github", "gitlab", "html"};

}  // namespace

// ---- part 8 --------------------------------------------------------------------------------------

TEST(CliConventions, MisspeltOptionsAndCommandsGetADidYouMean) {
  auto r = both("validate --formt json " + demo());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out.rfind("hoks: ", 0), 0u) << r.out;
  EXPECT_TRUE(contains(r.out, "did you mean --format?")) << r.out;
  r = both("valdate " + demo());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.out, "did you mean validate?")) << r.out;
  r = both("rules --lnag en");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.out, "did you mean --lang?")) << r.out;
  // Nothing near: no guess.
  r = both("validate --zzzzzzzz " + demo());
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(contains(r.out, "did you mean")) << r.out;
}

TEST(CliConventions, MisspeltRuleIdsGetADidYouMean) {
  auto r = both("explain oht-partime");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out.rfind("hoks: ", 0), 0u) << r.out;
  EXPECT_TRUE(contains(r.out, "did you mean 'oht-part-time'?")) << r.out;
  for (const char* option : {"--select", "--ignore"}) {
    r = both(std::string("validate ") + option + " legal-demonstratoin " + demo());
    EXPECT_EQ(r.status, 2) << option;
    EXPECT_TRUE(contains(r.out, "did you mean 'legal-demonstration'?")) << option << ": " << r.out;
  }
}

TEST(CliConventions, EveryParserErrorStartsWithHoks) {
  for (const char* args : {"validate --format nope x.json", "validate --jobs many x.json", "--nope", "explain",
                           "validate --operation delete x.json", "impact x.json", "rules --format yaml"}) {
    const auto r = both(args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_EQ(r.out.rfind("hoks: ", 0), 0u) << args << ": " << r.out;
  }
}

TEST(CliConventions, HelpShowsExitCodesAndDefaults) {
  const auto help = out("validate --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_TRUE(contains(help.out, "Exit status: 0")) << help.out;
  EXPECT_TRUE(contains(help.out, "2 the tool could not do its job"));
  // Defaults after the type, as CLI11 shows them.
  EXPECT_TRUE(contains(help.out, "=create")) << help.out;
  EXPECT_TRUE(contains(help.out, "=first"));
  EXPECT_TRUE(contains(help.out, "0: all cores")) << "--jobs 0 is defined in the help";
  EXPECT_TRUE(contains(out("--help").out, "Exit status: 0"));
  // hoks help CMD is CMD --help.
  EXPECT_EQ(out("help validate").out, help.out);
  EXPECT_EQ(out("help explain").out, out("explain --help").out);
  EXPECT_EQ(out("help").out, out("--help").out);
  const auto bad = both("help valdate");
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.out, "did you mean validate?")) << bad.out;
}

TEST(CliConventions, DashCapitalVPrintsTheVersion) {
  const auto v = out("-V");
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out.rfind("hoks ", 0), 0u);
  EXPECT_EQ(v.out, out("--version").out);
}

TEST(CliConventions, JobsZeroIsAllCoresWithTheSameReport) {
  const auto zero = out("validate --format json --jobs 0 --today 2026-11-28 " + demo());
  const auto one = out("validate --format json --jobs 1 --today 2026-11-28 " + demo());
  EXPECT_EQ(zero.status, one.status);
  EXPECT_EQ(zero.out, one.out);
}

TEST(CliConventions, SelectAndIgnoreTakePrefixesAndCategories) {
  const auto rules = nlohmann::json::parse(out("rules --format json").out)["rules"];
  std::set<std::string> ehoks;
  for (const auto& r : rules)
    if (!r["ehoks"].get<std::string>().empty()) ehoks.insert(r["id"].get<std::string>());
  auto rules_of = [](const std::string& report) {
    std::set<std::string> ids;
    const auto json = nlohmann::json::parse(report);
    for (const auto& d : json["documents"])
      for (const auto& f : d["findings"]) ids.insert(f["rule"].get<std::string>());
    return ids;
  };
  const std::string base = "validate --format json --today 2026-11-28 " + demo() + " ";
  const auto all = rules_of(out(base).out);
  ASSERT_TRUE(all.count("legal-demonstration"));
  const auto legal = rules_of(out(base + "--select 'legal-*'").out);
  EXPECT_FALSE(legal.empty());
  for (const auto& id : legal) EXPECT_EQ(id.rfind("legal-", 0), 0u) << id;
  for (const auto& id : rules_of(out(base + "--ignore 'legal-*'").out)) EXPECT_NE(id.rfind("legal-", 0), 0u) << id;
  const auto quality = rules_of(out(base + "--select quality").out);
  EXPECT_FALSE(quality.empty());
  for (const auto& id : quality) EXPECT_FALSE(ehoks.count(id)) << id;
  for (const auto& id : rules_of(out(base + "--ignore quality").out)) EXPECT_TRUE(ehoks.count(id)) << id;
  for (const auto& id : rules_of(out(base + "--select ehoks").out)) EXPECT_TRUE(ehoks.count(id)) << id;
  // In hoks.yaml too.
  TempDir t;
  const std::string cfg = t.write("hoks.yaml", "select: ['legal-*']\n");
  EXPECT_EQ(rules_of(out(base + "--config " + cfg).out), legal);
  const auto bad = both("validate --config " + t.write("bad.yaml", "ignore: [lgeal-*]\n") + " " + demo());
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.out, "unknown rule 'lgeal-*'")) << bad.out;
}

TEST(CliConventions, OperationTakesTheHttpMethods) {
  const std::string base = "validate --format json --today 2026-11-28 " + demo() + " --operation ";
  for (const auto& [method, name] : {std::pair{"post", "create"}, {"put", "replace"}, {"patch", "update"}}) {
    const auto a = out(base + method), b = out(base + name);
    EXPECT_EQ(a.status, b.status) << method;
    EXPECT_EQ(a.out, b.out) << method;
    EXPECT_TRUE(contains(a.out, std::string("\"operation\": \"") + name + "\"")) << method;
  }
}

TEST(CliConventions, ImpactSpeaksOneLanguage) {
  const std::string base = "impact --from 2023-11-30 --to 2026-07-16 --today 2026-11-28 " + demo();
  const auto fi = out(base), en = out(base + " --lang en"), sv = out(base + " --lang sv");
  ASSERT_EQ(fi.status, 0) << fi.out;
  EXPECT_TRUE(contains(fi.out, "Vaikutus")) << fi.out;
  EXPECT_FALSE(contains(fi.out, "Impact"));
  EXPECT_TRUE(contains(en.out, "Impact")) << en.out;
  EXPECT_FALSE(contains(en.out, "Vaikutus"));
  EXPECT_FALSE(contains(en.out, "asiakirjaa"));
  EXPECT_TRUE(contains(sv.out, "Påverkan")) << sv.out;
}

TEST(CliConventions, UnknownModelKeysSuggestTheClosestKnownKey) {
  auto d = nlohmann::json::parse(hoks::test::read(demo()));
  d["sahkoposti_"] = d["sahkoposti"];
  d.erase("sahkoposti");
  TempDir t;
  const std::string file = t.write("typo.json", d.dump(2));
  for (const auto& [lang, phrase] : {std::pair{"en", "Did you mean `sahkoposti`?"}, {"fi", "Tarkoititko `sahkoposti`?"},
                                     {"sv", "Menade du `sahkoposti`?"}}) {
    const auto r = out(std::string("validate --format json --today 2026-11-28 --lang ") + lang + " " + file);
    EXPECT_EQ(r.status, 1);
    bool found = false;
    const auto json = nlohmann::json::parse(r.out);
    for (const auto& f : json["documents"][0]["findings"])
      if (f["rule"] == "unknown-key") found = contains(f["message"].get<std::string>(), phrase);
    EXPECT_TRUE(found) << lang << ": " << r.out;
  }
  // A key like none of the known ones gets no guess.
  d["zzzzzzzzzzzz"] = 1;
  const auto r = out("validate --format concise --lang en --today 2026-11-28 " + t.write("far.json", d.dump(2)));
  for (std::size_t p = r.out.find("[unknown-key]"); p != std::string::npos; p = r.out.find("[unknown-key]", p + 1)) {
    const std::string line = r.out.substr(p, r.out.find('\n', p) - p);
    if (contains(line, "zzzz")) EXPECT_FALSE(contains(line, "Did you mean")) << line;
  }
}

TEST(CliConventions, NoReferenceToACommandOrDocumentThatIsNotThere) {
  EXPECT_FALSE(contains(out("--help").out, "hoks versions"));
  EXPECT_FALSE(contains(out("schema --help").out, "hoks versions"));
  // Every citation of the specification in what explain prints names a document shipped in
  // docs/spec/ and a section that it has.
  const std::regex bare(R"((^|[^/])(ehoks-model|legal-basis|architecture)\.md)");
  const std::regex cited(R"(docs/spec/([a-z-]+)\.md §([0-9]+(\.[0-9]+)?))");
  std::size_t citations = 0;
  const auto rules = nlohmann::json::parse(out("rules --format json").out);
  std::vector<std::string> ids;
  for (const auto& rule : rules["rules"]) ids.push_back(rule["id"]);
  for (const char* lang : {"fi", "en"}) {
    const auto each = hoks::test::split_explanations(out(std::string("explain --lang ") + lang + " '*'").out, ids);
    ASSERT_EQ(each.size(), ids.size());
    for (const auto& [id, e] : each) {
      EXPECT_FALSE(contains(e, "hoks versions")) << id;
      EXPECT_FALSE(std::regex_search(e, bare)) << id << ": " << e;
      for (std::sregex_iterator it(e.begin(), e.end(), cited), end; it != end; ++it) {
        ++citations;
        const fs::path doc = hoks::test::source_dir() / "docs" / "spec" / ((*it)[1].str() + ".md");
        ASSERT_TRUE(fs::exists(doc)) << doc;
        const std::string section = (*it)[2].str();
        const std::regex heading("\n#+ " + std::regex_replace(section, std::regex(R"(\.)"), R"(\.)") +
                                 (section.find('.') == std::string::npos ? "\\." : " "));
        EXPECT_TRUE(std::regex_search(hoks::test::read(doc), heading)) << doc << " §" << section;
      }
    }
  }
  EXPECT_GT(citations, 20u);
}

// ---- part 9 --------------------------------------------------------------------------------------

TEST(CliConventions, EveryFormatNamesTheDocumentByIdAndOids) {
  TempDir t;
  const std::string file = t.write("stream.ndjson", identified_stream(3));
  const std::string base = "validate --today 2026-11-28 --color never --lang en --format ";
  for (const char* format : all_formats) {
    if (std::string(format) == "concise") continue;  // one line a finding: file:line:col only
    const auto r = out(base + format + " " + file);
    EXPECT_TRUE(contains(r.out, "1.2.246.562.15.50000000001")) << format;
    EXPECT_TRUE(contains(r.out, "1.2.246.562.24.70000000002")) << format;
  }
  const auto json = nlohmann::json::parse(out(base + "json " + file).out);
  const auto& doc = json["documents"][1];
  EXPECT_EQ(doc["id"], "1001");
  EXPECT_EQ(doc["opiskeluoikeus_oid"], "1.2.246.562.15.50000000001");
  EXPECT_EQ(doc["oppija_oid"], "1.2.246.562.24.70000000001");
  EXPECT_EQ(doc["index"], 1);  // the contract's keys stay
  const auto text = out(base + "text " + file).out;
  EXPECT_TRUE(contains(text, file + ": document 2: id 1002, opiskeluoikeus-oid 1.2.246.562.15.50000000002, oppija-oid "
                             "1.2.246.562.24.70000000002\n"))
      << text;
  EXPECT_EQ(count(text, ": document 2: id 1002"), 1u) << "once, as the document's header";
  const auto sarif = nlohmann::json::parse(out(base + "sarif " + file).out);
  const auto& props = sarif["runs"][0]["results"][0]["properties"];
  EXPECT_EQ(props["id"], "1000");
  EXPECT_EQ(props["oppija_oid"], "1.2.246.562.24.70000000000");
}

// Documents read with --from (vendor XML and CSV) are named as JSON ones are, and the same
// redaction rules apply to their OIDs.
TEST(CliConventions, ConvertedDocumentsAreNamedByTheirOidsToo) {
  const fs::path src = hoks::test::source_dir();
  struct Input {
    std::string profile, file;
    std::vector<std::pair<std::string, std::string>> oids;  // per document: opiskeluoikeus-oid, oppija-oid
  };
  const std::vector<std::pair<std::string, std::string>> two = {
      {"1.2.246.562.15.10000000009", "1.2.246.562.24.44651722625"}, {"1.2.246.562.15.76811942028", "1.2.246.562.24.42016337194"}};
  const Input inputs[] = {{"schema/profiles/example-vendor-xml.yaml", "fixtures/vendor/opintohallinto-broken.xml", two},
                          {"fixtures/vendor/kurre-profile.yaml", "fixtures/vendor/kurre.xml", two},
                          {"schema/profiles/example-vendor-csv.yaml", "fixtures/vendor/opinto-broken.csv", two}};
  for (const Input& in : inputs) {
    const std::string base = "validate --today 2026-11-28 --color never --lang en --from '" + (src / in.profile).string() +
                             "' --format ";
    const std::string file = " '" + (src / in.file).string() + "'";
    const auto json = nlohmann::json::parse(out(base + "json" + file).out);
    ASSERT_EQ(json["documents"].size(), in.oids.size()) << in.file;
    for (std::size_t i = 0; i < in.oids.size(); ++i) {
      EXPECT_EQ(json["documents"][i]["opiskeluoikeus_oid"], in.oids[i].first) << in.file;
      EXPECT_EQ(json["documents"][i]["oppija_oid"], in.oids[i].second) << in.file;
    }
    // The formats for programs list every document; those for people and CI the ones with findings.
    std::vector<std::pair<std::string, std::string>> named;
    for (std::size_t i = 0; i < in.oids.size(); ++i)
      if (!json["documents"][i]["findings"].empty()) named.push_back(in.oids[i]);
    ASSERT_FALSE(named.empty()) << in.file;
    const std::string text = out(base + "text" + file).out;
    for (std::size_t i = 0; i < in.oids.size(); ++i)
      if (!json["documents"][i]["findings"].empty())
        EXPECT_TRUE(contains(text, (src / in.file).string() + ": document " + std::to_string(i) + ": opiskeluoikeus-oid " +
                                     in.oids[i].first + ", oppija-oid " + in.oids[i].second + "\n"))
          << text;
    for (const char* format : all_formats) {
      if (std::string(format) == "concise") continue;  // one line a finding: file:line:col only
      const std::string report = out(base + format + file).out;
      for (const auto& [study_right, learner] : named) {
        EXPECT_TRUE(contains(report, study_right)) << format << " " << in.file;
        EXPECT_TRUE(contains(report, learner)) << format << " " << in.file;
      }
      const std::string redacted = out("validate --redact" + base.substr(8) + format + file).out;
      EXPECT_GT(redacted.size(), 100u) << format;
      EXPECT_FALSE(contains(redacted, "1.2.246.562.15.")) << format << " " << in.file;
      EXPECT_FALSE(contains(redacted, "1.2.246.562.24.")) << format << " " << in.file;
    }
  }
}

TEST(CliConventions, RedactedReportsHoldNoOidsNamesOrContactDetails) {
  TempDir t;
  auto d = nlohmann::json::parse(identified_stream(1));
  d["sahkoposti"] = "maija.meikalainen@example.fi";
  d["sahkoposti_"] = "maija.meikalainen@example.fi";  // echoed in a finding
  const std::string file = t.write("one.ndjson", d.dump() + "\n" + identified_stream(2));
  for (const char* format : all_formats) {
    const auto r = out(std::string("validate --redact --today 2026-11-28 --lang en --format ") + format + " " + file);
    EXPECT_FALSE(contains(r.out, "1.2.246.562.15.")) << format;
    EXPECT_FALSE(contains(r.out, "1.2.246.562.24.")) << format;
    EXPECT_FALSE(contains(r.out, "meikalainen")) << format;
    if (std::string(format) == "json") {
      const auto json = nlohmann::json::parse(r.out);
      EXPECT_EQ(json["documents"][1]["id"], "1000");  // the id is not personal data
      EXPECT_FALSE(json["documents"][1].contains("oppija_oid"));
    }
  }
}

TEST(CliConventions, ContextMissingOncePerRun) {
  TempDir t;
  const std::string file = t.write("many.ndjson", identified_stream(200));  // about 6 MB: many units
  const std::string base = "validate --format json --today 2026-11-28 ";
  const auto one = out(base + "--jobs 1 " + file), two = out(base + "--jobs 2 " + file);
  ASSERT_EQ(one.out, two.out) << "the same report for any --jobs";
  const auto json = nlohmann::json::parse(two.out);
  std::size_t notes = 0, infos = 0;
  for (const auto& doc : json["documents"])
    for (const auto& f : doc["findings"]) {
      notes += f["rule"] == "context-missing";
      infos += f["severity"] == "info";
    }
  EXPECT_EQ(json["summary"]["documents"], 200);
  EXPECT_EQ(notes, 1u);
  std::size_t first = 0;
  for (const auto& f : json["documents"][0]["findings"]) first += f["rule"] == "context-missing";
  EXPECT_EQ(first, 1u) << "at the run's first document";
  EXPECT_EQ(json["summary"]["infos"], infos);
  for (const auto& r : json["summary"]["rules"])
    if (r["rule"] == "context-missing") EXPECT_EQ(r["count"], 1);
  EXPECT_EQ(count(out("validate --format concise --jobs 2 --today 2026-11-28 " + file).out, "[context-missing]"), 1u);
}

TEST(CliConventions, FullFormatShowsTheSourceLineWithACaret) {
  TempDir t;
  const std::string file = t.write("doc.json", "{\n  \"oppija-oid\": \"1.2.246.562.24.10000000001\",\n  \"tuntematon\": 1\n}\n");
  const auto full = out("validate --format full --lang en --color never --today 2026-11-28 " + file).out;
  // clang style: the line, then a caret under the column of the finding.
  EXPECT_TRUE(contains(full, "doc.json:3:3: error[unknown-key]")) << full;
  EXPECT_TRUE(contains(full, "  3 |   \"tuntematon\": 1\n    |   ^\n")) << full;
  const auto text = out("validate --format text --lang en --color never --today 2026-11-28 " + file).out;
  EXPECT_FALSE(contains(text, " |   \"tuntematon\"")) << "default text stays as it was";
  const auto concise = out("validate --format concise --lang en --color never --today 2026-11-28 " + file).out;
  for (std::size_t p = 0, n; p < concise.size(); p = n + 1) {
    n = concise.find('\n', p);
    const std::string line = concise.substr(p, n - p);
    if (contains(line, "[unknown-key]")) EXPECT_EQ(line.rfind(file + ":3:3: error[unknown-key] ", 0), 0u) << line;
  }
  EXPECT_FALSE(contains(concise, " | ")) << concise;
}
