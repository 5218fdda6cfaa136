// Rule coverage: every rule of the catalog has fixtures that trigger it and fixtures that do not
// (fixtures/rules/<rule>/fail-*.json and pass-*.json, options in options.yaml), and is implemented.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/convert/convert.hpp"
#include "hoks/check/validate.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

struct FixtureRun {
  std::vector<Finding> findings;
};

std::vector<Finding> run_fixture(const fs::path& file, const YAML::Node& options, const std::string& text_override = {},
                                 const char* operation = nullptr, const char* context = nullptr, bool no_context = false) {
  ValidationOptions o;
  o.today = {2026, 11, 28};
  std::optional<StudyRight> sr;
  StudyRights rights;
  if (options) {
    if (options["operation"]) o.operation = *parse_operation(options["operation"].as<std::string>());
    if (options["today"]) o.today = *parse_date(options["today"].as<std::string>());
    if (options["manual-entry"]) o.manual_entry = options["manual-entry"].as<bool>();
  }
  if (operation) o.operation = *parse_operation(operation);
  const std::string context_name = context ? context : options && options["context"] ? options["context"].as<std::string>() : "";
  {
    if (!context_name.empty() && !no_context) {
      std::string error;
      const fs::path ctx = test::source_dir() / "fixtures" / "context" / (context_name + ".json");
      sr = parse_study_right(test::read(ctx), error);
      EXPECT_TRUE(sr) << ctx << ": " << error;
      if (sr) o.study_right = &*sr;
    }
    if (options && options["study-rights"]) {  // the context as a set: looked up by opiskeluoikeus-oid
      const fs::path ctx = test::source_dir() / "fixtures" / "context" / (options["study-rights"].as<std::string>() + ".json");
      rights = StudyRights::load(ctx);
      o.study_rights = &rights;
    }
  }
  std::vector<DocumentReport> reports;
  validate_text(Validator(), file.string(), text_override.empty() ? test::read(file) : text_override, o, reports);
  std::vector<Finding> all;
  for (auto& r : reports) all.insert(all.end(), r.findings.begin(), r.findings.end());
  return all;
}

// True when text still holds a {name} placeholder (digits such as {7} in patterns do not count).
bool has_placeholder(const std::string& text) {
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos || close == open + 1) continue;
    const std::string name = text.substr(open + 1, close - open - 1);
    if (std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) return true;
  }
  return false;
}

}  // namespace

TEST(RuleCatalog, EveryRuleIsImplementedAndEveryImplementationIsCatalogued) {
  std::set<std::string> catalogued, implemented;
  // Rules of stage `report` (baseline-stale) are issued by the report, not the validator: tests/report_test.cpp.
  for (const auto& r : Catalog::builtin().rules())
    if (r.stage != "report") catalogued.insert(r.id);
  for (auto id : implemented_rules()) implemented.insert(std::string(id));
  for (auto id : conversion_rules()) implemented.insert(std::string(id));  // the converters report these
  EXPECT_EQ(catalogued, implemented);
}

TEST(RuleCatalog, EveryRuleHasCompleteMetadata) {
  for (const auto& r : Catalog::builtin().rules()) {
    for (const Localized* t : {&r.title, &r.message, &r.hint})
      EXPECT_TRUE(!t->fi.empty() && !t->sv.empty() && !t->en.empty()) << r.id;
    EXPECT_FALSE(r.rationale.fi.empty() || r.rationale.en.empty()) << r.id;
    EXPECT_FALSE(r.basis_kind.empty()) << r.id;
    EXPECT_FALSE(r.stage.empty()) << r.id;
  }
}

TEST(RuleFixtures, EveryRuleFiresOnItsFailFixturesAndNotOnItsPassFixtures) {
  const fs::path root = test::source_dir() / "fixtures" / "rules";
  for (const auto& rule : Catalog::builtin().rules()) {
    if (rule.stage == "report") continue;  // no document triggers it: tests/report_test.cpp
    // Conversion findings need XML/CSV input: their fixtures are fixtures/vendor/ (tests/convert_test.cpp).
    const auto& converter_only = conversion_rules();
    if (std::find(converter_only.begin(), converter_only.end(), rule.id) != converter_only.end()) continue;
    const fs::path dir = root / rule.id;
    ASSERT_TRUE(fs::is_directory(dir)) << "rule " << rule.id << " has no fixtures in " << dir;
    YAML::Node options;
    if (fs::exists(dir / "options.yaml")) options = YAML::LoadFile((dir / "options.yaml").string());
    int fail = 0, pass = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".json") continue;
      const bool expect_fire = name.rfind("fail-", 0) == 0;
      ASSERT_TRUE(expect_fire || name.rfind("pass-", 0) == 0) << entry.path();
      (expect_fire ? fail : pass)++;
      const auto findings = run_fixture(entry.path(), options[name]);
      const bool fired = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule.id; });
      EXPECT_EQ(fired, expect_fire) << rule.id << "/" << name;
      auto fires = [&](const std::vector<Finding>& fs) {
        return std::any_of(fs.begin(), fs.end(), [&](const Finding& f) { return f.rule == rule.id; });
      };
      const YAML::Node opt = options[name];
      const bool default_operation = !opt || !opt["operation"];
      const bool has_context = opt && (opt["context"] || opt["study-rights"]);
      const bool document_rule = rule.stage == "rule" || rule.stage == "context" || rule.stage == "code";
      // The same verdict on PUT (replace) as on POST: the body gets the id PUT requires.
      if (document_rule && default_operation) {
        std::string text = test::read(entry.path());
        const std::size_t brace = text.find('{');
        if (brace != std::string::npos && text.find("\"id\"") == std::string::npos) {
          text.insert(brace + 1, "\"id\": 1, ");
          EXPECT_EQ(fires(run_fixture(entry.path(), opt, text, "replace")), expect_fire) << rule.id << "/" << name << " as replace";
        }
      }
      // Context rules are not evaluated without the study right, and the report says so.
      if (rule.needs_context && has_context) {
        const auto without = run_fixture(entry.path(), opt, {}, nullptr, nullptr, true);
        EXPECT_FALSE(fires(without)) << rule.id << "/" << name << " without context";
        EXPECT_TRUE(std::any_of(without.begin(), without.end(), [](const Finding& f) { return f.rule == "context-missing"; }))
            << rule.id << "/" << name;
      }
      // Other rules give the same verdict with a study right as without.
      if (document_rule && !rule.needs_context && !has_context && rule.id != "context-missing")
        EXPECT_EQ(fires(run_fixture(entry.path(), opt, {}, nullptr, "ammatillinen-open")), expect_fire)
            << rule.id << "/" << name << " with context";
      for (const auto& f : findings) {
        if (f.rule != rule.id) continue;
        EXPECT_EQ(f.severity, rule.severity) << rule.id << "/" << name;
        EXPECT_GT(f.location.line, 0u) << rule.id << "/" << name;
        // Every placeholder of the message is filled.
        const std::string message = Catalog::builtin().message(f, Lang::fi);
        EXPECT_FALSE(has_placeholder(message)) << rule.id << "/" << name << ": " << message;
      }
    }
    EXPECT_GE(fail, 1) << rule.id << " needs a fixture that triggers it";
    EXPECT_GE(pass, 1) << rule.id << " needs a fixture that does not trigger it";
  }
}
