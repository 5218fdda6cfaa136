// Reports of a findings-heavy input (six early-stage plans from `hoks gen --profile early`, about
// eight findings each) stay byte-identical in every format: the goldens were written before the
// report path was optimised (issue 14) and any speed work must keep them. They were rewritten once
// since, for changes of the reports themselves (study-right-not-found in the catalog, hints once
// and the per-rule table in text, summary.rules in json: issues 15 and 17).
#include <gtest/gtest.h>

#include "test_util.hpp"

using namespace hoks;

namespace {

void expect_golden(const std::string& format, const std::string& lang, int jobs) {
  const auto dir = test::source_dir() / "fixtures/reports";
  const auto r = test::run("cd '" + dir.string() + "' && '" + test::hoks_binary() + "' validate --jobs " +
                           std::to_string(jobs) + " --today 2026-11-28 --lang " + lang +
                           " --color never --format " + format + " early.ndjson");
  EXPECT_EQ(r.status, 1) << format;  // the injected errors
  EXPECT_EQ(r.out, test::read(dir / ("early." + format + "." + lang + ".golden"))) << format << " " << lang;
}

}  // namespace

TEST(ReportGolden, FindingsHeavyInputGivesTheSameBytesInEveryFormat) {
  for (const char* format : {"text", "json", "sarif", "junit", "github", "gitlab", "html"}) expect_golden(format, "fi", 1);
  expect_golden("text", "sv", 2);
}
