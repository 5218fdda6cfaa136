// hoks gen: generated documents are deterministic, valid for the study right they are made for
// (no finding at all), and each injected defect gives exactly the finding it promises.
#include "hoks/maintain/generate.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "hoks/batch/batch.hpp"
#include "hoks/check/checks.hpp"
#include "hoks/maintain/schema_export.hpp"
#include "hoks/check/validate.hpp"
#include "test_util.hpp"

using namespace hoks;

namespace {

StudyRight vocational_study_right() {
  std::string error;
  auto sr = parse_study_right(test::read(test::source_dir() / "fixtures/context/ammatillinen.json"), error);
  EXPECT_TRUE(sr) << error;
  return sr ? *sr : StudyRight{};
}

// Findings of one document validated as hoks validate does (create, with or without the study right).
std::vector<Finding> findings_of(const std::string& text, const StudyRight* sr) {
  ValidationOptions options;
  options.today = Date{2026, 11, 28};
  options.study_right = sr;
  std::vector<DocumentReport> reports;
  validate_text(Validator(), "gen.json", text, options, reports);
  EXPECT_EQ(reports.size(), 1u);
  return reports.empty() ? std::vector<Finding>{} : reports[0].findings;
}

std::multiset<std::string> error_rules(const std::vector<Finding>& findings) {
  std::multiset<std::string> out;
  for (const auto& f : findings)
    if (f.severity == Severity::error) out.insert(f.rule);
  return out;
}

}  // namespace

TEST(Generate, OidsAndYTunnusHaveValidCheckDigits) {
  EXPECT_EQ(make_oid("24", 1231231231), "1.2.246.562.24.12312312319");  // IBM 1-3-7 (ehoks-model.md §3.3)
  EXPECT_EQ(make_oid("15", 1000000000), "1.2.246.562.15.10000000009");  // Luhn
  EXPECT_EQ(make_oid("98", 1231231231), "1.2.246.562.98.12312312312");
  EXPECT_EQ(make_y_tunnus(1234567), "1234567-1");
  int without_check_digit = 0;
  for (std::uint32_t d = 1000000; d < 1000200; ++d) {
    const std::string y = make_y_tunnus(d);
    if (y.empty()) {
      ++without_check_digit;  // remainder 1: no Y-tunnus has these digits
      continue;
    }
    EXPECT_TRUE(y_tunnus_check_digit_valid(y)) << y;
  }
  EXPECT_GT(without_check_digit, 0);
  EXPECT_LT(without_check_digit, 40);
}

TEST(Generate, SameSeedSameDocumentsAndSlicesAgree) {
  GeneratorOptions a;
  a.seed = 42;
  a.count = 50;
  GeneratorOptions b = a;
  b.count = 500;  // a longer corpus starts with the same documents (no defects in either)
  GeneratorOptions c = a;
  c.seed = 43;
  const HoksGenerator ga(a), gb(b), gc(c);
  for (std::uint64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(ga.document(i), gb.document(i)) << i;
    EXPECT_NE(ga.document(i), gc.document(i)) << i;
  }
}

TEST(Generate, ValidDocumentsHaveNoFindingAndRealisticSizes) {
  const StudyRight sr = vocational_study_right();
  GeneratorOptions o;
  o.seed = 7;
  o.count = 300;
  const HoksGenerator g(o);
  std::vector<std::size_t> sizes;
  std::set<std::string> learners;
  for (std::uint64_t i = 0; i < o.count; ++i) {
    const std::string doc = g.document(i);
    sizes.push_back(doc.size());
    const auto findings = findings_of(doc, &sr);
    for (const auto& f : findings) ADD_FAILURE() << "document " << i << ": " << f.rule << " at " << f.path;
    JsonDocument parsed;
    ASSERT_TRUE(parsed.parse(doc));
    learners.insert(std::string(parsed.root().get("oppija-oid").str()));
  }
  std::sort(sizes.begin(), sizes.end());
  EXPECT_GT(sizes[sizes.size() / 2], 6000u);   // median near 9 KB
  EXPECT_LT(sizes[sizes.size() / 2], 13000u);
  EXPECT_GT(sizes.back(), 2 * sizes[sizes.size() / 2]);  // some large plans
  EXPECT_GT(learners.size(), 290u);             // different students
}

TEST(Generate, EachDefectGivesExactlyItsFinding) {
  const StudyRight sr = vocational_study_right();
  const auto& kinds = defect_kinds();
  GeneratorOptions o;
  o.seed = 11;
  o.count = 400;
  o.invalid = 2 * kinds.size();
  const HoksGenerator g(o);
  std::map<Defect, int> seen;
  std::uint64_t invalid = 0;
  for (std::uint64_t i = 0; i < o.count; ++i) {
    const Defect d = g.defect_of(i);
    const std::string doc = g.document(i);
    if (d == Defect::none) {
      EXPECT_TRUE(error_rules(findings_of(doc, &sr)).empty()) << i;
      continue;
    }
    ++invalid;
    ++seen[d];
    const DefectInfo& info = defect_info(d);
    EXPECT_EQ(error_rules(findings_of(doc, &sr)), std::multiset<std::string>{std::string(info.rule)})
        << "document " << i << " (" << info.name << ")";
    // Without the study right, the context rules cannot fire.
    const auto without = error_rules(findings_of(doc, nullptr));
    EXPECT_EQ(without.empty(), info.needs_study_right) << info.name;
  }
  EXPECT_EQ(invalid, o.invalid);
  for (const auto& k : kinds) EXPECT_EQ(seen[k.defect], 2) << k.name;
}

TEST(Generate, JsonSchemaRejectsExactlyTheStructuralDefects) {
  const nlohmann::json schema_doc = nlohmann::json::parse(json_schema(Model::builtin(), Operation::create));
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  GeneratorOptions o;
  o.seed = 5;
  o.count = 3 * defect_kinds().size();
  o.invalid = defect_kinds().size();
  const HoksGenerator g(o);
  for (std::uint64_t i = 0; i < o.count; ++i) {
    const nlohmann::json doc = nlohmann::json::parse(g.document(i));
    valijson::Validator validator;
    valijson::adapters::NlohmannJsonAdapter target(doc);
    const bool accepted = validator.validate(schema, target, nullptr);
    const DefectInfo& info = defect_info(g.defect_of(i));
    EXPECT_EQ(accepted, !info.in_json_schema) << "document " << i << " (" << info.name << ")";
  }
}

TEST(Generate, DefectsSpreadOverTheCorpus) {
  GeneratorOptions o;
  o.seed = 3;
  o.count = 1000;
  o.invalid = 10;
  const HoksGenerator g(o);
  std::vector<std::uint64_t> at;
  for (std::uint64_t i = 0; i < o.count; ++i)
    if (g.defect_of(i) != Defect::none) at.push_back(i);
  ASSERT_EQ(at.size(), 10u);
  for (std::size_t k = 0; k < at.size(); ++k) {
    EXPECT_GE(at[k], k * 100);  // one in each tenth
    EXPECT_LT(at[k], (k + 1) * 100);
  }
  o.invalid = o.count;
  const HoksGenerator all(o);
  for (std::uint64_t i = 0; i < o.count; ++i) EXPECT_NE(all.defect_of(i), Defect::none);
  o.invalid = o.count + 1;
  EXPECT_THROW(HoksGenerator{o}, std::invalid_argument);
}

TEST(GenerateCli, FormatsAndManifest) {
  const auto dir = std::filesystem::temp_directory_path() / ("hoks-gen-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string bin = test::hoks_binary();
  const std::string nd = (dir / "c.ndjson").string(), manifest = (dir / "m.tsv").string();
  auto r = test::run(bin + " gen --seed 9 --count 24 --invalid 12 -o " + nd + " --manifest " + manifest);
  ASSERT_EQ(r.status, 0);
  const std::string ndjson = test::read(nd);
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'), 24);
  EXPECT_EQ(test::run(bin + " gen --seed 9 --count 24 --invalid 12").out, ndjson);  // standard output, same bytes

  // The manifest names the invalid documents by number, with the rule hoks reports.
  const std::string m = test::read(manifest);
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 13);
  EXPECT_EQ(m.rfind("document\tdefect\trule\tin_json_schema\tneeds_study_right\n", 0), 0u);
  EXPECT_NE(m.find("\tunknown-key\tunknown-key\tyes\tno\n"), std::string::npos);
  EXPECT_NE(m.find("\toht-tunniste\toht-tunniste\tno\tno\n"), std::string::npos);

  r = test::run(bin + " gen --seed 9 --count 24 --invalid 12 --format array");
  ASSERT_EQ(r.status, 0);
  JsonDocument array;
  ASSERT_TRUE(array.parse(r.out));
  ASSERT_TRUE(array.root().is_array());
  EXPECT_EQ(array.root().size(), 24u);

  r = test::run(bin + " gen --seed 9 --count 3 --format files -o " + (dir / "files").string());
  ASSERT_EQ(r.status, 0);
  const std::string three = test::run(bin + " gen --seed 9 --count 3").out;
  const std::size_t first_end = three.find('\n') + 1;
  EXPECT_EQ(test::read(dir / "files" / "hoks-000002.json"), three.substr(first_end, three.find('\n', first_end) + 1 - first_end));

  EXPECT_EQ(test::run(bin + " gen --count 3 --invalid 4 2>/dev/null").status, 2);
  EXPECT_EQ(test::run(bin + " gen --count 3 --format files 2>/dev/null").status, 2);
  std::filesystem::remove_all(dir);
}

TEST(Generate, EarlyProfileGivesPlansInProgressWithTheirWarningsAndOnlyTheInjectedErrors) {
  const auto& kinds = defect_kinds();
  GeneratorOptions o;
  o.seed = 13;
  o.count = 200;
  o.invalid = kinds.size();
  o.early = true;
  const HoksGenerator g(o), again(o);
  std::map<std::string, std::size_t> warnings;
  std::size_t findings = 0;
  for (std::uint64_t i = 0; i < o.count; ++i) {
    const std::string doc = g.document(i);
    EXPECT_EQ(doc, again.document(i)) << i;
    const auto found = findings_of(doc, nullptr);  // early plans come without a study right
    findings += found.size();
    for (const auto& f : found)
      if (f.severity == Severity::warning) ++warnings[f.rule];
    const DefectInfo& info = defect_info(g.defect_of(i));
    const auto expected = info.rule.empty() || info.needs_study_right ? std::multiset<std::string>{}
                                                                      : std::multiset<std::string>{std::string(info.rule)};
    EXPECT_EQ(error_rules(found), expected) << "document " << i << " (" << info.name << ")";
  }
  EXPECT_GT(warnings["legal-demonstration"], o.count);
  EXPECT_GT(warnings["legal-teaching-hours"], o.count);
  EXPECT_GT(warnings["unknown-code"], o.count / 2);
  EXPECT_GT(findings, 5 * o.count);  // several findings per plan
  GeneratorOptions complete = o;
  complete.early = false;
  EXPECT_NE(HoksGenerator(complete).document(0), g.document(0));
}
