// Model versions: the changelog names exactly the differences of the model files; an earlier
// model is selectable and really differs; hoks impact reports what changes between versions.
#include "hoks/model/versions.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "hoks/batch/batch.hpp"
#include "test_util.hpp"

using namespace hoks;

namespace {

std::string_view test_files(std::string_view name) {
  static const std::string older = std::string(embedded_file("models/2023-11-30/model.yaml"));
  if (name == "old.yaml") return older;
  if (name == "model.yaml") return embedded_file("model.yaml");
  return {};
}

}  // namespace

TEST(ModelVersions, CurrentAndEarlierVersionsAreBuiltIn) {
  const auto& v = ModelVersions::builtin();
  ASSERT_GE(v.versions().size(), 2u);
  EXPECT_EQ(v.current().version, Model::builtin().version());
  EXPECT_EQ(&v.model(v.current().version), &Model::builtin());
  const Model& older = v.model("2023-11-30");
  EXPECT_EQ(older.version(), "2023-11-30");
  EXPECT_EQ(older.find_entity("OppimisenTuki"), nullptr);
  EXPECT_EQ(older.find_entity("HOKS")->field("oppimisen-tuki"), nullptr);
  EXPECT_NE(Model::builtin().find_entity("HOKS")->field("oppimisen-tuki"), nullptr);
  EXPECT_THROW(v.model("1999-01-01"), std::out_of_range);
  for (const auto& version : v.versions()) EXPECT_TRUE(parse_date(version.effective)) << version.version;
}

// Every structural or textual difference between consecutive versions is in the changelog, and
// the changelog claims no model change that is not there.
TEST(ModelVersions, ChangelogListsExactlyTheModelDifferences) {
  const auto& v = ModelVersions::builtin();
  for (std::size_t i = 0; i + 1 < v.versions().size(); ++i) {
    const ModelVersion& newer = v.versions()[i];
    const ModelVersion& older = v.versions()[i + 1];
    std::set<std::string> computed, recorded;
    for (const auto& c : model_changes(v.model(older.version), v.model(newer.version))) computed.insert(c.key());
    for (const auto& c : newer.changes)
      if (c.kind != "rule-added" && c.kind != "severity-changed") recorded.insert(c.key());
    EXPECT_EQ(computed, recorded) << "schema/changelog.yaml, version " << newer.version;
    for (const auto& c : newer.changes) {
      EXPECT_FALSE(c.text.fi.empty() || c.text.en.empty()) << c.key();
      if (c.kind == "rule-added") EXPECT_NE(Catalog::builtin().find(c.rule), nullptr) << c.rule;
    }
  }
  EXPECT_TRUE(v.versions().back().changes.empty());
}

TEST(ModelVersions, RuleSetOfAnEarlierVersion) {
  const auto& v = ModelVersions::builtin();
  const auto missing = v.rules_not_in("2023-11-30");
  EXPECT_NE(std::find(missing.begin(), missing.end(), "learning-support-fields"), missing.end());
  EXPECT_TRUE(v.rules_not_in(v.current().version).empty());
  RuleConfig config;
  v.apply_rule_set("2023-11-30", config);
  EXPECT_FALSE(config.enabled("learning-support-fields"));
  EXPECT_TRUE(config.enabled("oht-tunniste"));
}

TEST(ModelVersions, LoadChecksTheChangelog) {
  const char* good = R"(versions:
  - {version: "2026-07-16", effective: 2026-06-01, ruleset: r2, model: model.yaml,
     changes: [{kind: severity-changed, rule: oht-tunniste, from: warning, to: error, fi: x, en: y}]}
  - {version: "2023-11-30", effective: 2023-11-30, ruleset: r1, model: old.yaml, changes: []})";
  const auto v = ModelVersions::load(good, test_files);
  RuleConfig config;
  v->apply_rule_set("2023-11-30", config);
  EXPECT_EQ(config.severity.at("oht-tunniste"), Severity::warning);
  RuleConfig current;
  v->apply_rule_set("2026-07-16", current);
  EXPECT_TRUE(current.severity.empty());
  // A model file whose version differs from its entry, versions out of order, unknown files.
  EXPECT_THROW(ModelVersions::load(R"(versions: [{version: "2020-01-01", effective: 2020-01-01, model: model.yaml}])", test_files),
               std::runtime_error);
  EXPECT_THROW(ModelVersions::load(R"(versions:
  - {version: "2023-11-30", effective: 2023-11-30, model: old.yaml}
  - {version: "2026-07-16", effective: 2026-06-01, model: model.yaml})", test_files), std::runtime_error);
  EXPECT_THROW(ModelVersions::load(R"(versions: [{version: "x", effective: 2020-01-01, model: nope.yaml}])", test_files),
               std::runtime_error);
}

TEST(ModelVersions, CompareReportsMatchesFindingsByRuleAndPath) {
  DocumentReport before, after;
  before.source = after.source = "a.json";
  before.findings = {{"oht-tunniste", Severity::error, "/x", {}, 0, {}}, {"unknown-key", Severity::error, "/y", {}, 0, {}}};
  after.findings = {{"oht-tunniste", Severity::warning, "/x", {}, 0, {}}, {"missing-key", Severity::error, "", {}, 0, {}}};
  const auto r = compare_reports({before}, {after});
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].rule, "missing-key");
  EXPECT_EQ(r.entries[0].kind, ImpactKind::appeared);
  EXPECT_EQ(r.entries[1].kind, ImpactKind::severity_changed);
  EXPECT_EQ(r.entries[2].kind, ImpactKind::vanished);
  ASSERT_EQ(r.totals.size(), 3u);
  EXPECT_EQ(r.totals[2].rule, "unknown-key");
  EXPECT_EQ(r.totals[2].vanished, 1u);
}

// The demo corpus under the model before oppimisen tuki and the current one: hoksit.json carries
// oppimisen-tuki, which the earlier model rejects as an unknown key.
TEST(ModelVersions, ImpactOverTheDemoCorpus) {
  const std::string demo = (test::shared_dir() / "corpus" / "ehoks-demo").string();
  const auto r = test::run(test::hoks_binary() + " impact --format json --today 2026-11-28 --manual-entry --from 2023-11-30 --to " +
                           ModelVersions::builtin().current().version + " '" + demo + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["documents"].get<int>(), 8);
  bool vanished = false;
  for (const auto& e : j["entries"])
    if (e["kind"] == "vanished" && e["rule"] == "unknown-key" && e["path"] == "/oppimisen-tuki" &&
        e["source"].get<std::string>().ends_with("hoksit.json"))
      vanished = true;
  EXPECT_TRUE(vanished) << r.out;
  EXPECT_LT(j["valid"]["from"].get<int>(), j["valid"]["to"].get<int>());
  const auto back = test::run(test::hoks_binary() + " impact --today 2026-11-28 --manual-entry --to 2023-11-30 --from " +
                              ModelVersions::builtin().current().version + " '" + demo + "'");
  ASSERT_EQ(back.status, 0);
  EXPECT_NE(back.out.find("+ "), std::string::npos);
  EXPECT_NE(back.out.find("unknown-key: +1 -0 ~0"), std::string::npos) << back.out;
  EXPECT_EQ(test::run(test::hoks_binary() + " impact --from 1999 --to 2023-11-30 '" + demo + "' 2>/dev/null").status, 2);
}
