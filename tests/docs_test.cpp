// hoks docs: the committed reference (docs/reference/) is what the model, the catalog and the
// current rule fixtures generate, and it covers every entity and every rule.
#include "hoks/maintain/docs_gen.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).generic_string()] = test::read(e.path());
  return out;
}

}  // namespace

TEST(Docs, CommittedReferenceIsUpToDateWithTheFixtures) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-docs-" + std::to_string(getpid()));
  fs::remove_all(dir);
  const auto r = test::run(test::hoks_binary() + " docs -o '" + dir.string() + "' --fixtures '" +
                           (test::source_dir() / "fixtures" / "rules").string() + "' 2>/dev/null");
  ASSERT_EQ(r.status, 0);
  const auto generated = tree(dir), committed = tree(test::source_dir() / "docs" / "reference");
  ASSERT_FALSE(generated.empty());
  for (const auto& [path, text] : generated) {
    auto it = committed.find(path);
    ASSERT_NE(it, committed.end()) << "docs/reference/" << path << " is missing: run scripts/regenerate";
    EXPECT_EQ(it->second, text) << "docs/reference/" << path << " is out of date: run scripts/regenerate";
  }
  for (const auto& [path, text] : committed)
    EXPECT_TRUE(generated.count(path)) << "docs/reference/" << path << " is no longer generated: remove it";
  fs::remove_all(dir);
}

TEST(Docs, EveryEntityAndRuleHasAPageInBothFormats) {
  RuleFixtureSet fixtures;
  fixtures["oht-tunniste"].files = {{"fail-1.json", "{\"a\": 1}\n"}, {"pass-1.json", "{\"b\": 2}\n"}};
  fixtures["oht-tunniste"].options_yaml = "fail-1.json: {operation: replace}\n";
  const auto pages = reference_docs(Model::builtin(), Catalog::builtin(), ModelVersions::builtin(), fixtures);
  for (const Entity& e : Model::builtin().entities()) {
    ASSERT_TRUE(pages.count("entities/" + e.name + ".md")) << e.name;
    ASSERT_TRUE(pages.count("html/entities/" + e.name + ".html")) << e.name;
    const std::string& md = pages.at("entities/" + e.name + ".md");
    for (const Field& f : e.fields) EXPECT_NE(md.find("`" + f.key + "`"), std::string::npos) << e.name << "." << f.key;
    EXPECT_NE(md.find(e.text.en), std::string::npos);
  }
  for (const Rule& r : Catalog::builtin().rules()) {
    ASSERT_TRUE(pages.count("rules/" + r.id + ".md")) << r.id;
    ASSERT_TRUE(pages.count("html/rules/" + r.id + ".html")) << r.id;
    const std::string& md = pages.at("rules/" + r.id + ".md");
    EXPECT_NE(md.find(r.basis_ref.substr(0, 20)), std::string::npos) << r.id;
    EXPECT_NE(pages.at("README.md").find("(rules/" + r.id + ".md)"), std::string::npos) << r.id;
  }
  const std::string& page = pages.at("rules/oht-tunniste.md");
  EXPECT_NE(page.find("fail-1.json"), std::string::npos);
  EXPECT_NE(page.find("{operation: replace}"), std::string::npos);
  EXPECT_NE(page.find("{\"b\": 2}"), std::string::npos);
  // A rule without fixtures still gets its page, saying so.
  EXPECT_NE(pages.at("rules/oht-y-tunnus.md").find("No example yet"), std::string::npos);
  // The HTML is escaped and links the HTML pages.
  const std::string& html = pages.at("html/rules/oht-tunniste.html");
  EXPECT_NE(html.find("{&quot;a&quot;: 1}"), std::string::npos);
  EXPECT_NE(html.find("href=\"../entities/OHT.html\""), std::string::npos);
  EXPECT_NE(pages.at("html/index.html").find("href=\"rules/oht-tunniste.html\""), std::string::npos);
  // Entity pages give the per-operation status: HOKS id is excluded on create, required on replace.
  EXPECT_NE(pages.at("entities/HOKS.md").find("| `id` | integer | – | R | R | R |"), std::string::npos);
}

TEST(Docs, CommittedReferenceShowsFixtureExamples) {
  // Every rule with fixtures shows a triggering and a passing example from them.
  const fs::path rules = test::source_dir() / "fixtures" / "rules";
  int with_examples = 0;
  for (const auto& d : fs::directory_iterator(rules)) {
    const std::string id = d.path().filename().string();
    const fs::path page = test::source_dir() / "docs" / "reference" / "rules" / (id + ".md");
    if (!fs::exists(page)) continue;  // a fixture folder without a catalog rule: the fixtures test says so
    const std::string md = test::read(page);
    if (fs::exists(d.path() / "fail-1.json")) EXPECT_NE(md.find("fixtures/rules/" + id + "/fail-"), std::string::npos) << id;
    if (fs::exists(d.path() / "pass-1.json")) EXPECT_NE(md.find("fixtures/rules/" + id + "/pass-"), std::string::npos) << id;
    ++with_examples;
  }
  EXPECT_GT(with_examples, 30);
}
