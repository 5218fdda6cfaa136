// A short smoke of the benchmark (bench/run): on a small generated corpus, hoks validate flags
// exactly the injected invalid documents, with any --jobs, and a JSON Schema validator (valijson on
// the schema hoks emits) rejects exactly those a JSON Schema can express. Counts only, no timing.
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
  std::set<int> all, schema;
};

Manifest read_manifest(const fs::path& path) {
  Manifest m;
  std::istringstream in(hoks::test::read(path));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string doc, defect, rule, in_schema;
    std::getline(row, doc, '\t');
    std::getline(row, defect, '\t');
    std::getline(row, rule, '\t');
    std::getline(row, in_schema, '\t');
    m.all.insert(std::stoi(doc));
    if (in_schema == "yes") m.schema.insert(std::stoi(doc));
  }
  return m;
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
  EXPECT_EQ(rejected, m.schema);
  fs::remove_all(dir);
}
