// A short smoke of the benchmark (bench/run): on a small generated corpus, hoks validate flags
// exactly the injected invalid documents, with any --jobs, and a JSON Schema validator (valijson on
// the schema hoks emits) rejects exactly those a JSON Schema can express; the same on the
// findings-heavy corpus of early-stage plans (--profile early). Counts only, no timing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "hoks/model/model.hpp"
#include "hoks/maintain/schema_export.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;

namespace {

struct Manifest {
  std::set<int> all, schema, study_right;  // every injected document; those a JSON Schema sees; those needing a study right
  std::map<int, std::string> rule;        // the rule each document's defect breaks
};

Manifest read_manifest(const fs::path& path) {
  Manifest m;
  std::istringstream in(hoks::test::read(path));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string doc, defect, rule, in_schema, needs_study_right;
    std::getline(row, doc, '\t');
    std::getline(row, defect, '\t');
    std::getline(row, rule, '\t');
    std::getline(row, in_schema, '\t');
    std::getline(row, needs_study_right, '\t');
    m.all.insert(std::stoi(doc));
    m.rule[std::stoi(doc)] = rule;
    if (in_schema == "yes") m.schema.insert(std::stoi(doc));
    if (needs_study_right == "yes") m.study_right.insert(std::stoi(doc));
  }
  return m;
}

// NDJSON line -> the rules of its errors, in a JSON report.
std::map<int, std::set<std::string>> json_errors(const nlohmann::json& report) {
  std::map<int, std::set<std::string>> errors;
  for (const auto& doc : report["documents"])
    for (const auto& f : doc["findings"])
      if (f["severity"] == "error") errors[doc["line"].get<int>()].insert(f["rule"].get<std::string>());
  return errors;
}

// The documents of an NDJSON file that a JSON Schema validator rejects, with the schema hoks emits.
std::set<int> schema_rejects(const fs::path& corpus) {
  const nlohmann::json schema_doc = nlohmann::json::parse(hoks::json_schema(hoks::Model::builtin(), hoks::Operation::create));
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  std::istringstream lines(hoks::test::read(corpus));
  std::string line;
  std::set<int> rejected;
  for (int n = 1; std::getline(lines, line); ++n) {
    const nlohmann::json doc = nlohmann::json::parse(line);
    valijson::Validator validator;
    valijson::adapters::NlohmannJsonAdapter target(doc);
    if (!validator.validate(schema, target, nullptr)) rejected.insert(n);
  }
  return rejected;
}

// NDJSON lines with an error in a text report (--lang en).
std::set<int> lines_with_errors(const std::string& report) {
  std::set<int> lines;
  static const std::regex error_line(R"(:(\d+):\d+: error\[)");
  std::istringstream in(report);
  std::string line;
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_search(line, m, error_line)) lines.insert(std::stoi(m[1]));
  return lines;
}

}  // namespace

TEST(BenchSmoke, ValidatorsFlagExactlyTheInjectedDocuments) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-bench-smoke-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string bin = hoks::test::hoks_binary();
  const std::string context = (hoks::test::source_dir() / "fixtures/context/ammatillinen.json").string();
  const fs::path corpus = dir / "corpus.ndjson", manifest = dir / "manifest.tsv";
  ASSERT_EQ(hoks::test::run(bin + " gen --seed 20261128 --count 300 --invalid 36 --opiskeluoikeus " + context + " -o " +
                            corpus.string() + " --manifest " + manifest.string())
                .status,
            0);
  const Manifest m = read_manifest(manifest);
  ASSERT_EQ(m.all.size(), 36u);
  ASSERT_GE(m.schema.size(), 10u);
  ASSERT_LT(m.schema.size(), m.all.size());

  // hoks: schema and every rule, with one and with two workers.
  const std::string validate = bin + " validate --today 2026-11-28 --opiskeluoikeus " + context +
                               " --lang en --no-hints --color never ";
  const auto one = hoks::test::run(validate + "--jobs 1 " + corpus.string());
  const auto two = hoks::test::run(validate + "--jobs 2 " + corpus.string());
  EXPECT_EQ(one.status, 1);
  EXPECT_EQ(lines_with_errors(one.out), m.all);
  EXPECT_EQ(two.out, one.out);

  // A JSON Schema validator with the schema hoks emits: the structural defects only.
  EXPECT_EQ(schema_rejects(corpus), m.schema);
  fs::remove_all(dir);
}

// bench/run's findings-heavy corpus: plans in progress, validated without a study right. hoks
// reports their many warnings and exactly the injected errors that need no study right, the same
// in every format, with --jobs 2 and with the finding rules ignored (which the bench prices).
TEST(BenchSmoke, EarlyCorpusHasManyFindingsAndExactlyTheInjectedErrors) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-bench-smoke-early-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string bin = hoks::test::hoks_binary();
  const fs::path corpus = dir / "early.ndjson", manifest = dir / "manifest.tsv";
  const int count = 300;
  ASSERT_EQ(hoks::test::run(bin + " gen --seed 20261128 --count " + std::to_string(count) +
                            " --invalid 24 --profile early -o " + corpus.string() + " --manifest " + manifest.string())
                .status,
            0);
  const Manifest m = read_manifest(manifest);
  ASSERT_EQ(m.all.size(), 24u);
  ASSERT_FALSE(m.study_right.empty());
  std::map<int, std::set<std::string>> expected;
  for (int doc : m.all)
    if (!m.study_right.count(doc)) expected[doc] = {m.rule.at(doc)};

  const std::string validate = bin + " validate --today 2026-11-28 --lang en --no-hints --color never ";
  const auto json = hoks::test::run(validate + "--jobs 1 --format json " + corpus.string());
  EXPECT_EQ(json.status, 1);
  const nlohmann::json report = nlohmann::json::parse(json.out);
  EXPECT_EQ(json_errors(report), expected);
  const auto& summary = report["summary"];
  EXPECT_GT(summary["findings"].get<int>(), 5 * count);  // several findings per plan
  EXPECT_GT(summary["warnings"].get<int>(), 5 * count);
  std::size_t errors = 0;
  for (const auto& [doc, rules] : expected) errors += rules.size();
  EXPECT_EQ(summary["errors"].get<std::size_t>(), errors);
  EXPECT_EQ(hoks::test::run(validate + "--jobs 2 --format json " + corpus.string()).out, json.out);

  std::set<int> error_lines;
  for (const auto& [doc, rules] : expected) error_lines.insert(doc);
  EXPECT_EQ(lines_with_errors(hoks::test::run(validate + "--jobs 1 " + corpus.string()).out), error_lines);

  // The rules that only warn or inform here, ignored: the errors stay, every other finding goes.
  std::string ignored;
  for (const auto& r : summary["rules"])
    if (r["severity"] != "error") ignored += (ignored.empty() ? "" : ",") + r["rule"].get<std::string>();
  const nlohmann::json quiet =
      nlohmann::json::parse(hoks::test::run(validate + "--jobs 1 --format json --ignore " + ignored + " " + corpus.string()).out);
  EXPECT_EQ(json_errors(quiet), expected);
  EXPECT_EQ(quiet["summary"]["findings"].get<std::size_t>(), errors);

  EXPECT_EQ(schema_rejects(corpus), m.schema);
  fs::remove_all(dir);
}
