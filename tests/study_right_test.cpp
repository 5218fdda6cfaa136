// Study rights by oid (--opiskeluoikeus FILE|DIR|NDJSON|oppija): each document gets its own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hoks/batch/batch.hpp"
#include "hoks/check/validate.hpp"
#include "hoks/read/study_right.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

fs::path demo_dir() { return test::shared_dir() / "corpus" / "ehoks-demo"; }
fs::path context(const std::string& name) { return test::source_dir() / "fixtures" / "context" / (name + ".json"); }

// A scratch folder removed at the end of the test.
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("hoks-study-right-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
  fs::path write(const std::string& name, const std::string& text) const {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  }
};

// The two KOSKI files of the shared corpus and the fixtures' contexts with distinct oids.
std::vector<fs::path> study_right_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / "koski"))
    if (e.path().extension() == ".json") files.push_back(e.path());
  files.push_back(context("ammatillinen-open"));
  files.push_back(context("tuva"));
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> demo_documents() {
  std::vector<fs::path> docs;
  for (const auto& e : fs::directory_iterator(demo_dir()))
    if (e.path().extension() == ".json") docs.push_back(e.path());
  std::sort(docs.begin(), docs.end());
  return docs;
}

std::vector<Finding> validate(const fs::path& doc, const ValidationOptions& options) {
  std::vector<DocumentReport> reports;
  validate_text(Validator(), doc.string(), test::read(doc), options, reports);
  std::vector<Finding> all;
  for (auto& r : reports) all.insert(all.end(), r.findings.begin(), r.findings.end());
  return all;
}

std::string summary(const std::vector<Finding>& findings) {
  std::string s;
  for (const auto& f : findings)
    s += f.rule + " " + f.path + " " + std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + "\n";
  return s;
}

std::string oid_of(const fs::path& doc) {
  return nlohmann::json::parse(test::read(doc)).value("opiskeluoikeus-oid", std::string());
}

ValidationOptions base_options() {
  ValidationOptions o;
  o.today = {2026, 11, 28};
  return o;
}

}  // namespace

TEST(StudyRights, EachDemoDocumentGetsTheVerdictOfItsOwnStudyRightAlone) {
  Scratch s;
  for (const auto& f : study_right_files()) fs::copy_file(f, s.dir / f.filename());
  s.write("LICENSE", "not a study right: left out of a folder\n");
  const StudyRights rights = StudyRights::load(s.dir);
  ASSERT_EQ(rights.size(), 4u);
  ValidationOptions by_oid = base_options();
  by_oid.study_rights = &rights;
  int own = 0;
  for (const auto& doc : demo_documents()) {
    const std::vector<Finding> got = validate(doc, by_oid);
    ValidationOptions alone = base_options();
    std::vector<Finding> expected;
    if (const StudyRight* sr = rights.find(oid_of(doc))) {
      ++own;
      alone.study_right = sr;
      expected = validate(doc, alone);
    } else {
      // KOSKI does not know it: eHOKS's error, and the context rules are not evaluated.
      for (const auto& f : validate(doc, alone))
        if (f.rule != "context-missing") expected.push_back(f);
      EXPECT_EQ(std::count_if(got.begin(), got.end(), [](const Finding& f) { return f.rule == "study-right-not-found"; }), 1)
          << doc;
      std::vector<Finding> rest;
      for (const auto& f : got)
        if (f.rule != "study-right-not-found") rest.push_back(f);
      EXPECT_EQ(summary(rest), summary(expected)) << doc;
      const auto nf = std::find_if(got.begin(), got.end(), [](const Finding& f) { return f.rule == "study-right-not-found"; });
      ASSERT_NE(nf, got.end());
      EXPECT_EQ(nf->path, "/opiskeluoikeus-oid");
      EXPECT_EQ(nf->severity, Severity::error);
      ASSERT_EQ(nf->args.size(), 1u);
      EXPECT_EQ(nf->args[0].second, oid_of(doc));
      continue;
    }
    EXPECT_EQ(summary(got), summary(expected)) << doc;
  }
  EXPECT_EQ(own, 1);  // hoks_tuva.json's TUVA study right (fixtures/context/tuva.json)
}

TEST(StudyRights, FolderNdjsonAndOppijaResponseHoldTheSameStudyRights) {
  Scratch s;
  std::string ndjson;
  nlohmann::json oppija = {{"henkilö", {{"oid", "1.2.246.562.24.44651722625"}}}, {"opiskeluoikeudet", nlohmann::json::array()}};
  for (const auto& f : study_right_files()) {
    s.write("folder/" + f.filename().string(), test::read(f));
    const auto j = nlohmann::json::parse(test::read(f));
    ndjson += j.dump() + "\n\n";
    oppija["opiskeluoikeudet"].push_back(j);
  }
  const fs::path nd = s.write("rights.ndjson", ndjson);
  const fs::path nd_by_sniff = s.write("rights-lines.json", ndjson);
  const fs::path op = s.write("oppija.json", oppija.dump(2));
  const StudyRights folder = StudyRights::load(s.dir / "folder");
  for (const fs::path& p : {nd, nd_by_sniff, op}) {
    const StudyRights other = StudyRights::load(p);
    ASSERT_EQ(other.size(), folder.size()) << p;
    for (const auto& f : study_right_files()) {
      const std::string oid = nlohmann::json::parse(test::read(f))["oid"];
      const StudyRight *a = folder.find(oid), *b = other.find(oid);
      ASSERT_TRUE(a && b) << p << " " << oid;
      EXPECT_EQ(a->tyyppi, b->tyyppi);
      EXPECT_EQ(a->latest_tila, b->latest_tila);
      EXPECT_EQ(a->telma, b->telma);
      EXPECT_EQ(a->alkamispaiva.has_value(), b->alkamispaiva.has_value());
      if (a->alkamispaiva && b->alkamispaiva) EXPECT_EQ(a->alkamispaiva->days(), b->alkamispaiva->days());
    }
  }
  EXPECT_EQ(folder.find("1.2.246.562.15.76811942028")->tyyppi, "tuva");
  EXPECT_EQ(folder.find("1.2.246.562.15.99999999999"), nullptr);
}

TEST(StudyRights, BadStudyRightsAreErrorsWithTheirPosition) {
  Scratch s;
  auto message = [](const fs::path& p) {
    try {
      StudyRights::load(p);
    } catch (const StudyRightError& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  // An oid given twice (the fixtures' contexts share one oid) is refused, not resolved silently.
  s.write("twice/a.json", test::read(context("ammatillinen")));
  s.write("twice/b.json", test::read(context("eronnut")));
  EXPECT_NE(message(s.dir / "twice").find("study right 1.2.246.562.15.10000000009 is given twice (also at "), std::string::npos)
      << message(s.dir / "twice");
  const std::string line = nlohmann::json::parse(test::read(context("tuva"))).dump();
  const fs::path bad_line = s.write("bad.ndjson", line + "\n" + line.substr(0, 20) + "\n");
  EXPECT_EQ(message(bad_line).rfind(bad_line.string() + ":2:", 0), 0u) << message(bad_line);
  const fs::path no_oid = s.write("no-oid.json", R"({"tyyppi": {"koodiarvo": "ammatillinenkoulutus"}})");
  EXPECT_NE(message(no_oid).find(":1:1: oid is missing"), std::string::npos) << message(no_oid);
  EXPECT_NE(message(s.dir / "nothing-here").find("no such file or directory"), std::string::npos);
  const fs::path oppija_bad = s.write("oppija-bad.json", R"({"henkilö": {}, "opiskeluoikeudet": [{"oid": "x"}]})");
  EXPECT_NE(message(oppija_bad).find("tyyppi.koodiarvo is missing"), std::string::npos) << message(oppija_bad);
  // An empty folder gives no study rights: the context rules are skipped with the one info.
  fs::create_directories(s.dir / "empty");
  EXPECT_TRUE(StudyRights::load(s.dir / "empty").empty());
}

TEST(StudyRights, PutOrPatchWithoutTheOidTakesTheOnlyStudyRight) {
  Scratch s;
  // hoks_tuva.json with a vocational study right: both training parts fail C-T3 (training-part-not-tuva).
  auto doc = nlohmann::json::parse(test::read(demo_dir() / "hoks_tuva.json"));
  doc.erase("opiskeluoikeus-oid");
  const fs::path file = s.write("no-oid.json", doc.dump(2));
  auto count = [](const std::vector<Finding>& fs, const std::string& rule) {
    return std::count_if(fs.begin(), fs.end(), [&](const Finding& f) { return f.rule == rule; });
  };
  const StudyRights one = StudyRights::load(context("ammatillinen-open"));
  ValidationOptions o = base_options();
  o.operation = Operation::replace;
  o.study_rights = &one;
  EXPECT_EQ(count(validate(file, o), "training-part-not-tuva"), 2);
  o.operation = Operation::update;
  EXPECT_EQ(count(validate(file, o), "context-missing"), 0);
  // Two study rights: which one the stored HOKS has is not known; the context rules are skipped.
  const fs::path two = s.write("two.ndjson", nlohmann::json::parse(test::read(context("ammatillinen-open"))).dump() + "\n" +
                                                 nlohmann::json::parse(test::read(context("tuva"))).dump() + "\n");
  const StudyRights both = StudyRights::load(two);
  o.operation = Operation::replace;
  o.study_rights = &both;
  const auto findings = validate(file, o);
  EXPECT_EQ(count(findings, "training-part-not-tuva"), 0);
  EXPECT_EQ(count(findings, "context-missing"), 1);
  // POST without the oid: its missing-key error, no study right is guessed.
  o.operation = Operation::create;
  o.study_rights = &one;
  EXPECT_EQ(count(validate(file, o), "training-part-not-tuva"), 0);
}

TEST(StudyRights, ReadmeExampleOnTheDemoDocumentsGivesNoFalseContextErrors) {
  Scratch s;
  for (const auto& f : study_right_files()) fs::copy_file(f, s.dir / f.filename());
  const auto r = test::run(test::hoks_binary() + " validate --format json --opiskeluoikeus " + s.dir.string() +
                           " --today 2026-11-28 " + demo_dir().string() + " 2>&1");
  ASSERT_EQ(r.status, 1) << r.out.substr(0, 500);
  const auto report = nlohmann::json::parse(r.out);
  std::map<std::string, int> errors;
  for (const auto& d : report["documents"])
    for (const auto& f : d["findings"])
      if (f["severity"] == "error") ++errors[f["rule"]];
  EXPECT_EQ(errors["oht-before-study-right"], 0);
  EXPECT_EQ(errors["training-part-not-tuva"], 0);
  EXPECT_EQ(errors["oht-after-study-right-end"], 0);
  EXPECT_EQ(errors["oht-tunniste"], 5);
  EXPECT_EQ(errors["study-right-not-found"], 7);  // all but hoks_tuva.json
  // A folder of study rights was an internal error (std::bad_alloc) in every command that reads one.
  const auto gen = test::run(test::hoks_binary() + " gen --count 1 --opiskeluoikeus " + s.dir.string() + " 2>&1");
  EXPECT_EQ(gen.status, 2);
  EXPECT_NE(gen.out.find("gen needs one study right, not 4"), std::string::npos) << gen.out;
  const auto oppija = s.write("oppija.json", nlohmann::json({{"henkilö", nlohmann::json::object()},
                                                              {"opiskeluoikeudet", {nlohmann::json::parse(test::read(context("tuva")))}}})
                                                 .dump());
  EXPECT_EQ(test::run(test::hoks_binary() + " validate --today 2026-11-28 --opiskeluoikeus " + oppija.string() + " " +
                      (demo_dir() / "hoks_tuva.json").string() + " >/dev/null 2>&1")
                .status,
            0);
}
