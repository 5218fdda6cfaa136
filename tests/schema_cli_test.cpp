// hoks schema: the committed schemas are what the model generates, and an independent validator
// (python-jsonschema, Debian's python3-jsonschema) on those schemas gives the same structural
// verdict as hoks validate on every fixture and demo document, for every operation.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hoks/model/catalog.hpp"
#include "hoks/maintain/schema_export.hpp"
#include "hoks/model/versions.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

const char* const operations[] = {"create", "replace", "update"};

// argv: SCHEMA_DIR FILE... (a file may hold one HOKS or a JSON array of them); prints "FILE<TAB>verdict verdict verdict" (create replace update),
// verdict = valid | invalid, or "FILE<TAB>unreadable" when Python's json cannot read it.
const char* const python_script = R"PY(
import json, sys
import jsonschema
schema_dir = sys.argv[1]
validators = []
for op in ("create", "replace", "update"):
    with open(schema_dir + "/" + op + ".json", encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validators.append(jsonschema.Draft7Validator(schema))
for path in sys.argv[2:]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except Exception:
        print(path + "\tunreadable")
        continue
    docs = doc if isinstance(doc, list) else [doc]  # a JSON array holds one HOKS per item
    print(path + "\t" + " ".join("valid" if all(v.is_valid(d) for d in docs) else "invalid" for v in validators))
)PY";

std::vector<std::string> documents() {
  std::vector<std::string> out;
  for (const auto& dir : {test::source_dir() / "fixtures", test::shared_dir() / "corpus" / "ehoks-demo"})
    for (const auto& e : fs::recursive_directory_iterator(dir))
      // (limit-exceeded: a document the limits refuse is no schema question, and exits 2)
      if (e.is_regular_file() && e.path().extension() == ".json" && e.path().parent_path().filename() != "context" &&
          e.path().parent_path().filename() != "limit-exceeded")
        out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Structural verdict of hoks validate per file: nullopt when the document is not well-formed JSON.
std::map<std::string, std::optional<bool>> hoks_verdicts(const std::vector<std::string>& files, const std::string& op,
                                                         const std::string& extra = "") {
  std::string cmd = test::hoks_binary() + " validate --format json --today 2026-11-28 --operation " + op + extra;
  for (const auto& f : files) cmd += " " + quoted(f);
  const auto r = test::run(cmd);
  EXPECT_TRUE(r.status == 0 || r.status == 1) << cmd;
  std::map<std::string, std::optional<bool>> out;
  const auto report = nlohmann::json::parse(r.out);
  const Catalog& catalog = Catalog::builtin();
  for (const auto& d : report.at("documents")) {
    std::optional<bool> valid = true;
    for (const auto& f : d.at("findings")) {
      const std::string rule = f.at("rule");
      const Rule* meta = catalog.find(rule);
      if (rule == "syntax") {
        valid.reset();
        break;
      }
      if (!meta || meta->stage != "schema" || f.at("severity") != "error" || rule_outside_json_schema(rule)) continue;
      valid = false;
    }
    auto [it, first] = out.emplace(d.at("source"), valid);  // several documents of one file: all must be valid
    if (!first) it->second = !it->second || !valid ? std::optional<bool>{} : std::optional<bool>{*it->second && *valid};
  }
  return out;
}

std::map<std::string, std::vector<std::string>> python_verdicts(const fs::path& schema_dir,
                                                                const std::vector<std::string>& files) {
  setenv("HOKS_JSONSCHEMA_SCRIPT", python_script, 1);
  std::string cmd = "python3 -c \"$HOKS_JSONSCHEMA_SCRIPT\" " + quoted(schema_dir.string());
  for (const auto& f : files) cmd += " " + quoted(f);
  const auto r = test::run(cmd);
  EXPECT_EQ(r.status, 0) << "python3 with jsonschema must be installed (scripts/install-deps)";
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::istringstream words(line.substr(tab + 1));
    std::vector<std::string> v;
    for (std::string w; words >> w;) v.push_back(w);
    out[line.substr(0, tab)] = v;
  }
  return out;
}

void expect_agreement(const fs::path& schema_dir, const std::string& model_option) {
  const auto files = documents();
  ASSERT_GT(files.size(), 20u);
  const auto theirs = python_verdicts(schema_dir, files);
  ASSERT_EQ(theirs.size(), files.size());
  int compared = 0, invalid = 0;
  for (int k = 0; k < 3; ++k) {
    const auto ours = hoks_verdicts(files, operations[k], model_option);
    ASSERT_EQ(ours.size(), files.size());
    for (const auto& f : files) {
      const auto& verdict = ours.at(f);
      if (!verdict) continue;  // not well-formed: a syntax question, not a schema one
      const auto& py = theirs.at(f);
      ASSERT_EQ(py.size(), 3u) << f << ": python's json cannot read what hoks reads";
      EXPECT_EQ(*verdict ? "valid" : "invalid", py[k]) << f << " operation " << operations[k];
      ++compared;
      invalid += !*verdict;
    }
  }
  EXPECT_GT(compared, 60);
  EXPECT_GT(invalid, 20);  // the comparison covers structurally invalid documents too
}

}  // namespace

TEST(SchemaCli, CommittedSchemasAreWhatTheModelGenerates) {
  for (const char* op : {"create", "replace", "update", "read"}) {
    const auto r = test::run(test::hoks_binary() + " schema --operation " + op);
    ASSERT_EQ(r.status, 0);
    EXPECT_EQ(r.out, json_schema(Model::builtin(), *parse_operation(op)));
    EXPECT_EQ(r.out, test::read(test::source_dir() / "schema" / "generated" / (std::string(op) + ".json")))
        << "schema/generated/" << op << ".json is out of date: run scripts/regenerate";
  }
}

TEST(SchemaCli, ManualEntryAndModelVersions) {
  const auto manual = test::run(test::hoks_binary() + " schema --operation create --manual-entry");
  ASSERT_EQ(manual.status, 0);
  EXPECT_NE(manual.out.find("manual entry"), std::string::npos);
  const auto old = test::run(test::hoks_binary() + " schema --operation replace --model 2023-11-30");
  ASSERT_EQ(old.status, 0);
  EXPECT_EQ(old.out.find("oppimisen-tuki"), std::string::npos);
  EXPECT_EQ(old.out.find("OppimisenTuki"), std::string::npos);
  EXPECT_NE(test::read(test::source_dir() / "schema/generated/replace.json").find("\"oppimisen-tuki\""), std::string::npos);
  EXPECT_EQ(test::run(test::hoks_binary() + " schema --model 1999-01-01 2>/dev/null").status, 2);
  EXPECT_EQ(test::run(test::hoks_binary() + " schema --operation delete 2>/dev/null").status, 2);
}

TEST(SchemaCli, PythonJsonschemaAgreesWithHoksValidate) {
  expect_agreement(test::source_dir() / "schema" / "generated", "");
}

TEST(SchemaCli, PythonJsonschemaAgreesOnTheEarlierModel) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-schema-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (const char* op : operations)
    ASSERT_EQ(test::run(test::hoks_binary() + " schema --model 2023-11-30 --operation " + op + " -o " +
                        quoted((dir / (std::string(op) + ".json")).string()))
                  .status,
              0);
  expect_agreement(dir, " --model 2023-11-30");
  fs::remove_all(dir);
}

// ehoks-model.md §0.2: the schema accepts null exactly where eHOKS does, for array-valued keys.
TEST(SchemaCli, NullIsAllowedForArrayValuedKeysOnly) {
  const Model& m = Model::builtin();
  int arrays = 0, others = 0;
  for (const char* op : {"create", "replace", "update", "read"}) {
    const auto schema = nlohmann::json::parse(json_schema(m, *parse_operation(op)));
    for (const Entity& e : m.entities()) {
      const auto& properties = schema.at("definitions").at(e.name).at("properties");
      for (const Field& f : e.fields) {
        if (!properties.contains(f.key)) continue;  // excluded for this operation
        const auto& p = properties.at(f.key);
        if (f.type->base == BaseType::array) {
          EXPECT_EQ(p.at("type"), nlohmann::json::parse(R"(["array", "null"])")) << e.name << "." << f.key << " " << op;
          const auto& items = p.at("items");  // an item is an object or a scalar: never null
          EXPECT_TRUE(items.contains("$ref") || items.at("type").is_string()) << e.name << "." << f.key << " " << op;
          ++arrays;
        } else {
          EXPECT_TRUE(p.contains("$ref") || p.at("type").is_string()) << e.name << "." << f.key << " " << op;
          ++others;
        }
      }
    }
  }
  EXPECT_GE(arrays, 111);  // properties of the four schemas of the current model
  EXPECT_GE(others, 583);
}
