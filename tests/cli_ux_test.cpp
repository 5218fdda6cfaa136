// Issue 17: big exports as people read them (hints once, per-rule table, --statistics, concise, -q,
// document-count limits of streams).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

namespace fs = std::filesystem;
using hoks::test::run;

namespace {

std::string hoks_cmd(const std::string& args) {
  return hoks::test::hoks_binary() + " validate --color never --lang en --today 2026-11-28 " + args + " 2>/dev/null";
}
std::string demo() { return (hoks::test::shared_dir() / "corpus" / "ehoks-demo" / "hoksit.json").string(); }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}
std::size_t lines(const std::string& text) { return count(text, "\n"); }

}  // namespace

TEST(CliUx, AHintIsPrintedAtItsRulesFirstFindingAndReferredToLater) {
  const auto first = run(hoks_cmd(demo()));
  const auto all = run(hoks_cmd("--hints all " + demo()));
  const auto none = run(hoks_cmd("--no-hints " + demo()));
  const auto none2 = run(hoks_cmd("--hints none " + demo()));
  ASSERT_EQ(first.status, 0) << first.out;
  // legal-demonstration has 10 findings in the demo document: one full hint, nine references.
  EXPECT_EQ(count(all.out, "warning[legal-demonstration]"), 10u);
  EXPECT_EQ(count(first.out, "hint: see the first [legal-demonstration] finding above"), 9u) << first.out;
  EXPECT_EQ(count(all.out, "hint: see the first"), 0u);
  // The reference sits on the finding's path line: a hint line less per later finding.
  EXPECT_NE(first.out.find("  path: /hankittavat-ammat-tutkinnon-osat/4 (hint: see the first [legal-demonstration] finding above)\n"),
            std::string::npos)
      << first.out;
  EXPECT_EQ(count(first.out, "\n  hint: "), 6u);  // one per rule of the document
  EXPECT_EQ(lines(all.out) - lines(first.out), count(all.out, "\n  hint: ") - 6u);
  EXPECT_EQ(count(none.out, "hint:"), 0u);
  EXPECT_EQ(none.out, none2.out);
}

TEST(CliUx, PerRuleTableStatisticsQuietAndJsonAgree) {
  const auto text = run(hoks_cmd(demo()));
  const auto stats = run(hoks_cmd("--statistics " + demo()));
  const auto quiet = run(hoks_cmd("-q " + demo()));
  const auto json = run(hoks_cmd("--format json " + demo()));
  ASSERT_EQ(stats.status, 0);
  const std::string totals = "1 document: valid 1, errors 0, warnings 27, infos 1\n";
  EXPECT_EQ(quiet.out, totals);
  // The table: a header, one row per rule, then the totals; the full report ends with the same.
  EXPECT_EQ(stats.out.rfind("count  severity  rule", 0), 0u) << stats.out;
  EXPECT_NE(stats.out.find("   10  warning   legal-demonstration       Unit to be acquired has no planned demonstration\n"),
            std::string::npos)
      << stats.out;
  EXPECT_EQ(stats.out.substr(stats.out.size() - totals.size()), totals);
  EXPECT_EQ(text.out.substr(text.out.size() - stats.out.size()), stats.out);
  const auto j = nlohmann::json::parse(json.out);
  const auto& rules = j["summary"]["rules"];
  ASSERT_EQ(rules.size(), lines(stats.out) - 2);
  std::size_t sum = 0;
  for (const auto& r : rules) {
    sum += r["count"].get<std::size_t>();
    EXPECT_NE(stats.out.find(r["rule"].get<std::string>()), std::string::npos);
  }
  EXPECT_EQ(sum, j["summary"]["findings"].get<std::size_t>());
  EXPECT_EQ(rules[0]["rule"], "legal-acquisition-way");
  EXPECT_EQ(rules[0]["count"], 10);
  // One rule only: no table in the full report, but --statistics shows it.
  const std::string bad = (hoks::test::source_dir() / "fixtures" / "rules" / "oht-tunniste" / "fail-1.json").string();
  const auto one = run(hoks_cmd("--select oht-tunniste " + bad));
  EXPECT_EQ(one.out.find("count  severity"), std::string::npos) << one.out;
  EXPECT_EQ(run(hoks_cmd("--statistics --select oht-tunniste " + bad)).out.rfind("count  severity  rule", 0), 0u);
}

TEST(CliUx, ConciseIsOneLinePerFinding) {
  const auto concise = run(hoks_cmd("--format concise " + demo()));
  const auto json = nlohmann::json::parse(run(hoks_cmd("--format json " + demo())).out);
  EXPECT_EQ(concise.status, 0);
  const std::size_t findings = json["summary"]["findings"].get<std::size_t>();
  EXPECT_EQ(lines(concise.out), findings + 1) << concise.out;  // and the totals line
  EXPECT_NE(concise.out.find(demo() + ":226:9: warning[legal-workplace-training] The workplace period"), std::string::npos)
      << concise.out;
  EXPECT_EQ(count(concise.out, "hint:"), 0u);
  EXPECT_EQ(count(concise.out, "path:"), 0u);
}

TEST(CliUx, AStreamOf150000DocumentsIsCheckedWholeAndALimitIsNoDefect) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-ux-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "export.ndjson";
  {
    std::ofstream out(file, std::ios::binary);
    const std::string doc = "{\"oppija-oid\": 1}\n";  // wrong-type: one error per document
    std::string block;
    for (int i = 0; i < 1000; ++i) block += doc;
    for (int i = 0; i < 150; ++i) out << block;
  }
  const std::string base = "--select wrong-type --format json ";
  const auto all = run(hoks_cmd(base + file.string() + " | tail -c 400"));
  EXPECT_NE(all.out.find("\"documents\": 150000, \"valid\": 0, \"errors\": 150000"), std::string::npos) << all.out;
  EXPECT_EQ(all.out.find("not_checked"), std::string::npos);
  // A limit given: exit 2, the message says it is a limit, the totals say how many were not checked.
  const auto cut = run(hoks_cmd("-q --max-documents 1000 " + file.string() + "; echo rc=$?"));
  EXPECT_NE(cut.out.find("were not checked because the --max-documents limit was reached (a limit, not a defect"),
            std::string::npos)
      << cut.out;
  EXPECT_NE(cut.out.find("rc=2"), std::string::npos) << cut.out;
  // The same whole JSON array: the limit counts exactly what was left.
  const fs::path array = dir / "export.json";
  {
    std::ofstream out(array, std::ios::binary);
    out << "[";
    for (int i = 0; i < 3000; ++i) out << (i ? ",{}" : "{}");
    out << "]";
  }
  const auto arr = run(hoks_cmd("--select syntax --max-documents 1000 " + array.string() + "; echo rc=$?"));
  EXPECT_NE(arr.out.find("limit was reached (a limit, not a defect in the data)"), std::string::npos) << arr.out;
  EXPECT_NE(arr.out.find("(2000 documents were not checked"), std::string::npos) << arr.out;
  EXPECT_NE(arr.out.find("rc=2"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CliUx, TheRunExampleShowsAnErrorAWarningAndTheSummary) {
  // What ./scripts/run-example validates (after building the hoks target only).
  const std::string script = hoks::test::read(hoks::test::source_dir() / "scripts" / "run-example");
  EXPECT_NE(script.find("--target hoks"), std::string::npos);
  const std::string example = (hoks::test::source_dir() / "fixtures" / "examples" / "hoks-with-findings.json").string();
  ASSERT_NE(script.find("fixtures/examples/hoks-with-findings.json"), std::string::npos);
  const std::string ctx = (hoks::test::source_dir() / "fixtures" / "context" / "ammatillinen.json").string();
  const auto r = run(hoks_cmd("--opiskeluoikeus " + ctx + " " + example));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find(example + ":19:9: error[oht-tunniste]: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  path: /hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0\n  hint: "), std::string::npos);
  EXPECT_NE(r.out.find(example + ":13:5: warning[legal-demonstration]: "), std::string::npos);
  EXPECT_NE(r.out.find("1 document: valid 0, errors 1, warnings 1, infos 0\n"), std::string::npos);
}

TEST(CliUx, AFolderWhereAFileIsExpectedIsAClearUsageError) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-ux-dir-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string d = dir.string();
  for (const std::string args : {"convert --to xml " + d, "roundtrip --via xml " + d, "anonymize " + d, "diff " + d + " " + d}) {
    const auto r = run(hoks::test::hoks_binary() + " " + args + " 2>&1");
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_NE(r.out.find("hoks: " + d + ": is a folder; this command reads one file"), std::string::npos) << args << r.out;
    EXPECT_EQ(r.out.find("internal error"), std::string::npos) << r.out;
  }
  fs::remove_all(dir);
}
