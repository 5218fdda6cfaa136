#include "hoks/check/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

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
  EXPECT_EQ(f[0].location.line, 2u);
  EXPECT_EQ(f[0].location.column, 57u);
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
