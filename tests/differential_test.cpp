// The fast path and valijson (on the generated JSON Schemas) must give the same structural verdict
// on every fixture and demo document, for every operation.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "hoks/maintain/schema_export.hpp"
#include "hoks/check/validate.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

// valijson treats 50.0 as a non-integer; draft-07 (and eHOKS) treat it as an integer.
void integral_floats_to_integers(nlohmann::json& j) {
  if (j.is_number_float()) {
    const double d = j.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18) j = static_cast<std::int64_t>(d);
  } else if (j.is_structured()) {
    for (auto& v : j) integral_floats_to_integers(v);
  }
}

std::vector<fs::path> documents() {
  std::vector<fs::path> out;
  for (const auto& dir : {test::source_dir() / "fixtures", test::shared_dir() / "corpus" / "ehoks-demo"})
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".json" && e.path().parent_path().filename() != "context")
        out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(Differential, FastPathAgreesWithValijson) {
  const Operation ops[] = {Operation::create, Operation::replace, Operation::update};
  valijson::Schema schemas[3];
  for (int k = 0; k < 3; ++k) {
    const nlohmann::json schema_doc = nlohmann::json::parse(json_schema(Model::builtin(), ops[k]));
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(schema_doc);
    parser.populateSchema(adapter, schemas[k]);
  }
  const Validator validator;
  int compared = 0;
  for (const fs::path& path : documents()) {
    const std::string text = test::read(path);
    JsonDocument doc;
    if (!doc.parse(text)) continue;  // syntax fixtures
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (...) {
      ADD_FAILURE() << path << ": nlohmann rejects what we accept";
      continue;
    }
    integral_floats_to_integers(j);
    for (int k = 0; k < 3; ++k) {
      std::vector<Finding> findings;
      validator.validate_schema(doc.root(), ops[k], findings);
      bool ours = true;
      for (const auto& f : findings)
        if (f.severity == Severity::error && !rule_outside_json_schema(f.rule)) ours = false;
      valijson::Validator v;
      valijson::adapters::NlohmannJsonAdapter target(j);
      const bool theirs = v.validate(schemas[k], target, nullptr);
      EXPECT_EQ(ours, theirs) << path << " operation " << to_string(ops[k]);
      ++compared;
    }
  }
  EXPECT_GT(compared, 20);
}
