#include "hoks/check/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "hoks/batch/batch.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

std::vector<Finding> check(const std::string& text, ValidationOptions options = {}) {
  options.today = Date{2026, 11, 28};
  std::vector<DocumentReport> reports;
  validate_text(Validator(), "test.json", text, options, reports);
  EXPECT_EQ(reports.size(), 1u);
  return reports.empty() ? std::vector<Finding>{} : reports[0].findings;
}

// "rule path" of the findings at or above a severity (errors by default).
std::vector<std::string> rules_of(const std::vector<Finding>& findings, bool errors_only = true) {
  const Severity min = errors_only ? Severity::error : Severity::warning;
  std::vector<std::string> ids;
  for (const auto& f : findings)
    if (f.severity >= min) ids.push_back(f.rule + " " + f.path);
  return ids;
}

const char* minimal = R"({"oppija-oid": "1.2.246.562.24.12312312319",
  "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
  "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true})";

}  // namespace

TEST(Schema, MinimalCreateIsValid) { EXPECT_TRUE(rules_of(check(minimal)).empty()); }

TEST(Schema, RequiredAndExcludedPerOperation) {
  ValidationOptions replace;
  replace.operation = Operation::replace;
  EXPECT_EQ(rules_of(check(minimal, replace)), (std::vector<std::string>{"missing-key "}));
  ValidationOptions update;
  update.operation = Operation::update;
  EXPECT_EQ(rules_of(check(R"({"id": 5, "versio": 2})", update)), std::vector<std::string>{});
  EXPECT_EQ(rules_of(check(R"({"id": 5, "hankittavat-ammat-tutkinnon-osat": []})", update)),
            (std::vector<std::string>{"excluded-key /hankittavat-ammat-tutkinnon-osat"}));
  EXPECT_EQ(rules_of(check(R"({"id": 1, "oppija-oid": "1.2.246.562.24.12312312319",
    "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
    "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true})")),
            (std::vector<std::string>{"excluded-key /id"}));
}

TEST(Schema, ClosedObjectsAtEveryDepth) {
  const auto f = check(R"({"oppija-oid": "1.2.246.562.24.12312312319",
    "opiskeluoikeus-oid": "1.2.246.562.15.10000000009", "extra": 1,
    "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true,
    "hankittavat-paikalliset-tutkinnon-osat": [{"nimi": "x", "tuntematon": true}]})");
  EXPECT_EQ(rules_of(f), (std::vector<std::string>{"unknown-key /extra",
                                                   "unknown-key /hankittavat-paikalliset-tutkinnon-osat/0/tuntematon"}));
  // The first error (the context-missing info at 1:1 says the study right's rules were skipped).
  const auto extra = std::find_if(f.begin(), f.end(), [](const Finding& x) { return x.path == "/extra"; });
  ASSERT_NE(extra, f.end());
  EXPECT_EQ(extra->location.line, 2u);
  EXPECT_EQ(extra->location.column, 57u);
}

TEST(Schema, TypesAsEhoksCoercesThem) {
  auto doc = [](const std::string& extra) {
    return std::string(R"({"oppija-oid": "1.2.246.562.24.12312312319",
      "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
      "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true, )") + extra + "}";
  };
  EXPECT_TRUE(rules_of(check(doc(R"("versio": 50.0)"))).empty());
  EXPECT_EQ(rules_of(check(doc(R"("versio": 50.5)"))), (std::vector<std::string>{"wrong-type /versio"}));
  EXPECT_EQ(rules_of(check(doc(R"("versio": "100")"))), (std::vector<std::string>{"wrong-type /versio"}));
  EXPECT_EQ(rules_of(check(doc(R"("versio": 123456789012345678901234567890)"))), std::vector<std::string>{});
  EXPECT_EQ(rules_of(check(doc(R"("sahkoposti": null)"))), (std::vector<std::string>{"null-value /sahkoposti"}));
  EXPECT_EQ(rules_of(check(doc(R"("hyvaksytty": "2024-01-15 10:00")"))),
            (std::vector<std::string>{"invalid-instant /hyvaksytty"}));
  EXPECT_TRUE(rules_of(check(doc(R"("hyvaksytty": "2024-01")"))).empty());
  EXPECT_EQ(rules_of(check(doc(R"("osaamisen-saavuttamisen-pvm": "2024-02-30")"))),
            (std::vector<std::string>{"invalid-date /osaamisen-saavuttamisen-pvm"}));
  EXPECT_EQ(rules_of(check(doc(R"("urasuunnitelma-koodi-uri": "urasuunnitelma_004")"))),
            (std::vector<std::string>{"pattern-mismatch /urasuunnitelma-koodi-uri"}));
  EXPECT_EQ(rules_of(check(doc(R"("tuva-opiskeluoikeus-oid": "1.2.246.562.15.41024330545")"))),
            (std::vector<std::string>{"oid-check-digit /tuva-opiskeluoikeus-oid"}));
}

TEST(Schema, TrailingNewlineOidIsOnlyAWarning) {
  const auto f = check(R"({"oppija-oid": "1.2.246.562.24.12312312319",
    "opiskeluoikeus-oid": "1.2.246.562.15.41024330544\n",
    "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true})");
  EXPECT_TRUE(rules_of(f).empty());
  EXPECT_THAT(rules_of(f, false), ::testing::Contains("oid-trailing-newline /opiskeluoikeus-oid"));
}

TEST(Schema, DuplicateKeyLastWins) {
  const auto f = check(R"({"oppija-oid": "1.2.246.562.24.12312312319", "versio": "x", "versio": 2,
    "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
    "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true})");
  EXPECT_TRUE(rules_of(f).empty());
  EXPECT_THAT(rules_of(f, false), ::testing::Contains("duplicate-key /versio"));
}

TEST(Batch, ArraysAndNdjsonAreSeveralDocuments) {
  std::vector<DocumentReport> reports;
  ValidationOptions options;
  options.today = {2026, 11, 28};
  const std::string one = minimal;
  std::string compact;
  for (char c : one) if (c != '\n') compact.push_back(c);
  validate_text(Validator(), "a.json", "[" + one + ", {}]", options, reports);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_TRUE(reports[0].valid());
  EXPECT_FALSE(reports[1].valid());
  reports.clear();
  validate_text(Validator(), "a.ndjson", compact + "\n{oops\n" + compact + "\n", options, reports);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_TRUE(reports[0].valid());
  ASSERT_EQ(reports[1].findings.size(), 1u);
  EXPECT_EQ(reports[1].findings[0].rule, "syntax");
  EXPECT_EQ(reports[1].findings[0].location.line, 2u);
  EXPECT_EQ(reports[1].findings[0].location.column, 2u);
  EXPECT_TRUE(reports[2].valid());
  EXPECT_EQ(reports[2].line, 3u);
}

// The demo documents of eHOKS have no structural errors (ehoks-model.md §6).
TEST(Corpus, DemoDocumentsHaveNoStructuralErrors) {
  const fs::path dir = test::shared_dir() / "corpus" / "ehoks-demo";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    const std::string text = test::read(entry.path());
    JsonDocument doc;
    ASSERT_TRUE(doc.parse(text)) << entry.path();
    std::vector<Finding> findings;
    Validator().validate_schema(doc.root(), Operation::create, findings);
    std::vector<std::string> errors;
    for (const auto& f : findings)
      if (f.severity == Severity::error) errors.push_back(f.rule + " " + f.path);
    EXPECT_TRUE(errors.empty()) << entry.path().filename() << ": " << ::testing::PrintToString(errors);
  }
  EXPECT_EQ(files, 8);
}

namespace {

nlohmann::json fixture(const std::string& rule, const std::string& name = "fail-1.json") {
  return nlohmann::json::parse(test::read(test::source_dir() / "fixtures" / "rules" / rule / name));
}

}  // namespace

// eHOKS's 400 body lists every failing leaf in one pass: a structural error at the root, a pattern
// in one unit, a field rule at the root and an object rule in another unit's period all show.
TEST(Attachment, IndependentDefectsAreAllReportedInOneRun) {
  nlohmann::json doc = fixture("oht-date-order");  // its period's loppu is before alku
  doc["versio"] = "yksi";                            // wrong type at the root
  doc["osaamisen-saavuttamisen-pvm"] = "2030-01-01";  // field rule: more than two weeks ahead
  doc["aiemmin-hankitut-ammat-tutkinnon-osat"][0]["valittu-todentamisen-prosessi-koodi-uri"] = "prosessi_1";
  EXPECT_THAT(rules_of(check(doc.dump(2))),
              ::testing::UnorderedElementsAre(
                  "wrong-type /versio", "completion-date-range /osaamisen-saavuttamisen-pvm",
                  "pattern-mismatch /aiemmin-hankitut-ammat-tutkinnon-osat/0/valittu-todentamisen-prosessi-koodi-uri",
                  "oht-date-order /hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0/loppu"));
}

// A field rule stays silent when its own value fails the schema stage.
TEST(Attachment, FieldRuleNeedsItsOwnValueToPass) {
  nlohmann::json doc = fixture("completion-date-range");
  doc["osaamisen-saavuttamisen-pvm"] = "2030-02-30";
  EXPECT_THAT(rules_of(check(doc.dump(2))), ::testing::ElementsAre("invalid-date /osaamisen-saavuttamisen-pvm"));
}

// eHOKS nests an OHT's constraints C-OHT-1 ... 8: only the first failing one is reported
// (ehoks-model.md §2.3, verified: a missing osa-aikaisuustieto hides reversed dates).
TEST(Attachment, OnlyTheFirstFailingOhtConstraintIsReported) {
  nlohmann::json doc = fixture("oht-date-order");
  auto& oht = doc["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0];
  oht.erase("osa-aikaisuustieto");
  std::string error;
  const auto study_right =
      parse_study_right(test::read(test::source_dir() / "fixtures" / "context" / "ammatillinen.json"), error);
  ASSERT_TRUE(study_right) << error;
  ValidationOptions with_context;
  with_context.study_right = &*study_right;
  EXPECT_THAT(rules_of(check(doc.dump(2), with_context)),
              ::testing::ElementsAre("oht-part-time /hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0"));
  // Without the study right C-OHT-1 is not evaluated, so C-OHT-5 is the first failing one.
  EXPECT_THAT(rules_of(check(doc.dump(2))),
              ::testing::ElementsAre("oht-date-order /hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0/loppu"));
  // The warnings on the same period are not part of eHOKS's chain.
  const auto all = check(doc.dump(2), with_context);
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const Finding& f) { return f.rule == "workplace-feedback-data"; }));
}

// ehoks-model.md §0.2: null for an array is an empty array, so the checks that look into an array or
// ask for a non-empty one see no items, and the structure around it stays clean for the object rules.
TEST(Schema, NullArraysAreEmptyForTheRules) {
  auto doc = [](const std::string& extra) {
    return std::string(R"({"oppija-oid": "1.2.246.562.24.12312312319",
      "opiskeluoikeus-oid": "1.2.246.562.15.10000000009", "urasuunnitelma-koodi-uri": "urasuunnitelma_0001",
      "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true, )") + extra + "}";
  };
  // Legal minimum: a unit whose acquisition ways and demonstrations are null has none of them.
  const std::string unit = R"("hankittavat-paikalliset-tutkinnon-osat": [{"nimi": "x", "tavoitteet-ja-sisallot": "y",
      "opetus-ja-ohjaus-maara": 10, "osaamisen-hankkimistavat": VALUE, "osaamisen-osoittaminen": VALUE}])";
  auto with = [&](const std::string& value) {
    std::string s = unit;
    for (std::size_t at; (at = s.find("VALUE")) != std::string::npos;) s.replace(at, 5, value);
    return doc(s);
  };
  const auto empty = rules_of(check(with("[]")), false);
  EXPECT_EQ(empty, (std::vector<std::string>{"legal-acquisition-way /hankittavat-paikalliset-tutkinnon-osat/0",
                                             "legal-demonstration /hankittavat-paikalliset-tutkinnon-osat/0"}));
  EXPECT_EQ(rules_of(check(with("null")), false),
            (std::vector<std::string>{"legal-acquisition-way /hankittavat-paikalliset-tutkinnon-osat/0",
                                      "legal-demonstration /hankittavat-paikalliset-tutkinnon-osat/0",
                                      "null-array /hankittavat-paikalliset-tutkinnon-osat/0/osaamisen-hankkimistavat",
                                      "null-array /hankittavat-paikalliset-tutkinnon-osat/0/osaamisen-osoittaminen"}));
  // A HOKS needing acquisition whose unit arrays are all null plans none.
  EXPECT_EQ(rules_of(check(doc(R"("hankittavat-ammat-tutkinnon-osat": null, "hankittavat-koulutuksen-osat": null)")), false),
            (std::vector<std::string>{"legal-units-to-acquire ", "null-array /hankittavat-ammat-tutkinnon-osat",
                                      "null-array /hankittavat-koulutuksen-osat"}));
  // A recognised common unit with null osa-alueet (required) and no process code: nothing verifies it
  // (and, with no unit to acquire, legal-units-to-acquire as for any such HOKS).
  EXPECT_EQ(rules_of(check(doc(R"("aiemmin-hankitut-yhteiset-tutkinnon-osat": [{"tutkinnon-osa-koodi-uri": "tutkinnonosat_106727",
      "tutkinnon-osa-koodi-versio": 1, "osa-alueet": null}])")), false),
            (std::vector<std::string>{"legal-units-to-acquire ", "legal-prior-verification /aiemmin-hankitut-yhteiset-tutkinnon-osat/0",
                                      "null-array /aiemmin-hankitut-yhteiset-tutkinnon-osat/0/osa-alueet"}));
  // A null keskeytymisajanjaksot deep in a unit is no error, so the period's own rules still run
  // (here oht-date-order) and the top-level completion date range is still checked.
  const auto deep = check(doc(R"("osaamisen-saavuttamisen-pvm": "2017-05-01",
      "hankittavat-paikalliset-tutkinnon-osat": [{"nimi": "x", "tavoitteet-ja-sisallot": "y", "opetus-ja-ohjaus-maara": 10,
      "osaamisen-osoittaminen": [], "osaamisen-hankkimistavat": [{"alku": "2024-02-01", "loppu": "2024-01-01",
      "osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus",
      "osaamisen-hankkimistapa-koodi-versio": 1, "keskeytymisajanjaksot": null, "muut-oppimisymparistot": null}]}])"));
  EXPECT_EQ(rules_of(deep), (std::vector<std::string>{"completion-date-range /osaamisen-saavuttamisen-pvm",
                                                      "oht-date-order /hankittavat-paikalliset-tutkinnon-osat/0/osaamisen-hankkimistavat/0/loppu"}));
  // An item of an array is an object or a scalar: null there is still null-value.
  EXPECT_EQ(rules_of(check(doc(R"("hankittavat-ammat-tutkinnon-osat": [null])"))),
            (std::vector<std::string>{"null-value /hankittavat-ammat-tutkinnon-osat/0"}));
  // On PATCH a sub-entity array stays excluded, null or not.
  ValidationOptions update;
  update.operation = Operation::update;
  EXPECT_EQ(rules_of(check(R"({"id": 5, "oppimisen-tuki": null})", update)),
            (std::vector<std::string>{"excluded-key /oppimisen-tuki"}));
}

// The configuration's verdict on a rule is taken once per document: it must still hold for every
// object and finding of the document, and for the next document with another configuration.
TEST(RuleConfigTest, IgnoreAndSeverityHoldForEveryFindingOfTheDocument) {
  const std::string doc = R"({"oppija-oid": "1.2.246.562.24.12312312319",
    "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
    "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true,
    "hankittavat-ammat-tutkinnon-osat": [
      {"tutkinnon-osa-koodi-uri": "tutkinnonosat_100001", "tutkinnon-osa-koodi-versio": 1},
      {"tutkinnon-osa-koodi-uri": "tutkinnonosat_100002", "tutkinnon-osa-koodi-versio": 1},
      {"tutkinnon-osa-koodi-uri": "tutkinnonosat_100003", "tutkinnon-osa-koodi-versio": 1}]})";
  auto count = [](const std::vector<Finding>& findings, const std::string& rule, std::optional<Severity> severity = {}) {
    return std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule && (!severity || f.severity == *severity); });
  };
  const auto plain = check(doc);
  ASSERT_EQ(count(plain, "legal-demonstration", Severity::warning), 3);
  ASSERT_EQ(count(plain, "legal-teaching-hours", Severity::warning), 3);

  RuleConfig config;
  config.ignore = {"legal-demonstration"};
  config.severity = {{"legal-teaching-hours", Severity::error}};
  ValidationOptions options;
  options.config = &config;
  const auto configured = check(doc, options);
  EXPECT_EQ(count(configured, "legal-demonstration"), 0);
  EXPECT_EQ(count(configured, "legal-teaching-hours", Severity::error), 3);
  EXPECT_EQ(count(configured, "legal-teaching-hours"), 3);

  RuleConfig selected;
  selected.select = {"legal-demonstration"};
  options.config = &selected;
  const auto only = check(doc, options);
  EXPECT_EQ(count(only, "legal-demonstration", Severity::warning), 3);
  EXPECT_EQ(count(only, "legal-demonstration"), 3);
  EXPECT_EQ(std::count_if(only.begin(), only.end(), [](const Finding& f) { return f.rule != "legal-demonstration"; }), 0);
}

// Report order: line, column, rule, path; findings equal in all four keep their order (stable).
TEST(SortFindings, ByPositionRuleAndPathAndStableForTies) {
  auto finding = [](std::uint32_t line, std::uint32_t column, std::string rule, std::string path, std::string tag) {
    Finding f;
    f.rule = std::move(rule);
    f.path = std::move(path);
    f.location.line = line;
    f.location.column = column;
    f.args = {{"tag", std::move(tag)}};
    return f;
  };
  std::vector<Finding> findings;
  for (int round = 0; round < 3; ++round) {  // ties in every round: t0, t1, t2 must stay in that order
    const std::string t = "t" + std::to_string(round);
    findings.push_back(finding(2, 5, "b-rule", "/x", t));
    findings.push_back(finding(1, 9, "a-rule", "/y", t));
    findings.push_back(finding(2, 5, "a-rule", "/z", t));
    findings.push_back(finding(2, 5, "a-rule", "/a", t));
    findings.push_back(finding(1, 1, "z-rule", "", t));
  }
  sort_findings(findings);
  std::vector<std::string> got;
  for (const auto& f : findings)
    got.push_back(std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + " " + f.rule + " " + f.path + " " + std::string(f.arg("tag")));
  std::vector<std::string> want;
  for (const char* key : {"1:1 z-rule ", "1:9 a-rule /y", "2:5 a-rule /a", "2:5 a-rule /z", "2:5 b-rule /x"})
    for (int round = 0; round < 3; ++round) want.push_back(std::string(key) + " t" + std::to_string(round));
  EXPECT_EQ(got, want);
}
