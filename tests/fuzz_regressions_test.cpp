// Replays the inputs that once broke a fuzz target (fixtures/regressions/<target>/, written by
// scripts/fuzz) and the fuzz targets' seed-like fixtures through the very same target code, so a fixed
// crash stays fixed in every normal (and sanitizer) test run.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "test_util.hpp"

// Each target's LLVMFuzzerTestOneInput under its own name.
#define LLVMFuzzerTestOneInput fuzz_json
#include "../fuzz/json_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_validate
#include "../fuzz/validate_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_study_right
#include "../fuzz/study_right_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_csv
#include "../fuzz/csv_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_encoding
#include "../fuzz/encoding_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_model
#include "../fuzz/model_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_catalog
#include "../fuzz/catalog_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_pattern
#include "../fuzz/pattern_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_xml
#include "../fuzz/xml_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_mapping
#include "../fuzz/mapping_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_config
#include "../fuzz/config_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_baseline
#include "../fuzz/baseline_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_convert
#include "../fuzz/convert_fuzz.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_serve
#include "../fuzz/serve_fuzz.cpp"
#undef LLVMFuzzerTestOneInput

namespace fs = std::filesystem;

namespace {

using Target = int (*)(const std::uint8_t*, std::size_t);

const std::map<std::string, Target>& targets() {
  static const std::map<std::string, Target> all = {
      {"json", fuzz_json},       {"validate", fuzz_validate}, {"study_right", fuzz_study_right},
      {"csv", fuzz_csv},         {"encoding", fuzz_encoding}, {"model", fuzz_model},
      {"catalog", fuzz_catalog}, {"pattern", fuzz_pattern},   {"xml", fuzz_xml},
      {"mapping", fuzz_mapping}, {"config", fuzz_config},     {"baseline", fuzz_baseline},
      {"convert", fuzz_convert}, {"serve", fuzz_serve},
  };
  return all;
}

std::size_t replay(const std::string& target, const fs::path& file) {
  const std::string bytes = hoks::test::read(file);
  EXPECT_EQ(targets().at(target)(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0) << file;
  return 1;
}

}  // namespace

TEST(FuzzRegressions, EveryFuzzTargetIsReplayedHere) {
  std::set<std::string> sources;
  for (const auto& e : fs::directory_iterator(hoks::test::source_dir() / "fuzz")) {
    const std::string name = e.path().filename().string();
    const std::string suffix = "_fuzz.cpp";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      sources.insert(name.substr(0, name.size() - suffix.size()));
  }
  std::set<std::string> replayed;
  for (const auto& [name, fn] : targets()) replayed.insert(name);
  EXPECT_EQ(sources, replayed);
}

TEST(FuzzRegressions, SavedInputsRunCleanly) {
  const fs::path root = hoks::test::source_dir() / "fixtures" / "regressions";
  ASSERT_TRUE(fs::is_directory(root));
  std::size_t n = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    const std::string target = dir.path().filename().string();
    ASSERT_TRUE(targets().count(target)) << "fixtures/regressions/" << target << " names no fuzz target";
    for (const auto& e : fs::directory_iterator(dir.path()))
      if (e.is_regular_file()) n += replay(target, e.path());
  }
  EXPECT_GT(n, 0u);
}

TEST(FuzzRegressions, TheTargetsAcceptTheShippedFixtures) {
  const fs::path src = hoks::test::source_dir();
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(src / "fixtures" / "rules")) {
    if (e.path().extension() != ".json") continue;
    const std::string doc = hoks::test::read(e.path());
    n += replay("json", e.path());
    for (char mode : {'\x00', '\x0d', '\x3a'}) {
      const std::string input = std::string(1, mode) + doc;
      EXPECT_EQ(fuzz_validate(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), 0) << e.path();
    }
  }
  for (const auto& e : fs::directory_iterator(src / "fixtures" / "context")) n += replay("study_right", e.path());
  n += replay("model", src / "schema" / "model.yaml");
  n += replay("catalog", src / "schema" / "rules.yaml");
  for (const auto& e : fs::directory_iterator(src / "schema" / "profiles")) n += replay("mapping", e.path());
  for (const char* seed : {"config/hoks.yaml", "baseline/hoks-baseline.json"}) n += replay(seed[0] == 'c' ? "config" : "baseline", src / "fuzz" / "seeds" / seed);
  // XML: canonical (mode 0, with its round trip) and the vendor profile (mode 1).
  for (const auto& [mode, file] : {std::pair{'\x00', src / "fuzz" / "seeds" / "xml" / "hoks-example.xml"},
                                   {'\x01', src / "fixtures" / "vendor" / "opintohallinto.xml"},
                                   {'\x01', src / "fixtures" / "vendor" / "opintohallinto-broken.xml"}}) {
    const std::string input = std::string(1, mode) + hoks::test::read(file);
    EXPECT_EQ(fuzz_xml(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), 0) << file;
    ++n;
  }
  // Conversions without a tree: JSON documents (mode 0) and canonical XML (mode 1).
  for (const auto& [mode, file] : {std::pair{'\x00', src / "fixtures" / "examples" / "hoks-example.json"},
                                   {'\x01', src / "fuzz" / "seeds" / "xml" / "hoks-example.xml"}}) {
    const std::string input = std::string(1, mode) + hoks::test::read(file);
    EXPECT_EQ(fuzz_convert(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), 0) << file;
    ++n;
  }
  // The sandbox's handler: each rule fixture POSTed, PUT and PATCHed (modes 1-3), also without a JSON content type.
  for (const auto& e : fs::recursive_directory_iterator(src / "fixtures" / "rules")) {
    if (e.path().extension() != ".json") continue;
    for (char mode : {'\x01', '\x02', '\x03', '\x21'}) {
      const std::string input = std::string(1, mode) + "/hoks" + (mode == '\x01' ? "" : "/1") + "\n" + hoks::test::read(e.path());
      EXPECT_EQ(fuzz_serve(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), 0) << e.path();
    }
    ++n;
  }
  EXPECT_GT(n, 10u);
}
