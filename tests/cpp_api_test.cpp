// The C++ API as a consumer sees it: everything through <hoks/hoks.hpp>, the version macros, the
// rendered finding in one call, and the date of date-relative rules the same as the command's.
#include "hoks/hoks.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "test_util.hpp"

using namespace hoks;

TEST(CppApi, VersionMacrosAreTheProjectVersion) {
  EXPECT_EQ(std::string(HOKS_VERSION_STRING), std::to_string(HOKS_VERSION_MAJOR) + "." + std::to_string(HOKS_VERSION_MINOR) +
                                                   "." + std::to_string(HOKS_VERSION_PATCH));
  // The command reports the same version.
  EXPECT_EQ(hoks::test::run(hoks::test::hoks_binary() + " --version").out.rfind(std::string("hoks ") + HOKS_VERSION_STRING + " ", 0), 0u);
}

TEST(CppApi, RenderFindingGivesTitleMessageAndHintInEachLanguage) {
  ValidationOptions options;
  options.today = {2026, 11, 28};
  std::vector<DocumentReport> reports;
  validate_text(Validator(), "t.json", R"({"oppija-oid": "1.2.246.562.24.12312312318"})", options, reports);
  ASSERT_EQ(reports.size(), 1u);
  ASSERT_FALSE(reports[0].findings.empty());
  for (const Finding& f : reports[0].findings) {
    const Rule* rule = Catalog::builtin().find(f.rule);
    ASSERT_NE(rule, nullptr) << f.rule;
    for (Lang lang : {Lang::fi, Lang::sv, Lang::en}) {
      const RenderedFinding r = render_finding(f, lang);
      EXPECT_EQ(r.title, rule->title.in(lang));
      EXPECT_EQ(r.message, Catalog::builtin().message(f, lang));
      EXPECT_EQ(r.hint, Catalog::builtin().hint(f, lang));
      EXPECT_FALSE(r.message.empty());
      EXPECT_EQ(r.message.find('{'), std::string::npos) << r.message;  // placeholders filled
    }
    EXPECT_NE(render_finding(f, Lang::fi).message, render_finding(f, Lang::en).message);
  }
}

TEST(CppApi, OptionsDefaultToTheCurrentDateAsTheCommandDoes) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  const Date now{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
  EXPECT_EQ(Date::today(), now);
  EXPECT_EQ(ValidationOptions{}.today, now);
  EXPECT_EQ(DiffOptions{}.today, now);
}

TEST(CppApi, UmbrellaHeaderIncludesEveryPublicHeader) {
  const std::string umbrella = hoks::test::read(hoks::test::source_dir() / "libvalidate/include/hoks/hoks.hpp");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(hoks::test::source_dir() / "libvalidate/include/hoks")) {
    if (entry.path().extension() != ".hpp" || entry.path().filename() == "hoks.hpp") continue;
    if (entry.path().parent_path().filename() == "serve") continue;  // the sandbox's own library (hoksserve)
    const std::string name = "hoks/" + entry.path().parent_path().filename().string() + "/" + entry.path().filename().string();
    EXPECT_NE(umbrella.find("#include \"" + name + "\""), std::string::npos) << name << " is not in hoks/hoks.hpp";
  }
}
