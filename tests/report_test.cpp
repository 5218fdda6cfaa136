// Reports checked against the rules of their consumers: JUnit XML parsed by pugixml, SARIF
// validated against the SARIF 2.1.0 schema with valijson, GitHub workflow-command escaping,
// GitLab code-quality fields and stable fingerprints; caps, languages, baselines, configuration,
// redaction and excerpts of the library.
#include "hoks/report/report.hpp"

#include <utility>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <thread>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "hoks/report/baseline.hpp"
#include "hoks/batch/config.hpp"
#include "report/report_format.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

const char* const valid_doc = R"({"oppija-oid": "1.2.246.562.24.12312312319",
  "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
  "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true})";

// Errors (bad check digit, unknown key, wrong type) and a warning-or-info on the side.
const char* const invalid_doc = R"({"oppija-oid": "1.2.246.562.24.12312312318",
  "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
  "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": "kyllä",
  "tuntematon": 1})";

std::vector<DocumentReport> validate_docs(const std::vector<std::pair<std::string, std::string>>& files) {
  ValidationOptions o;
  o.today = {2026, 11, 28};
  std::vector<DocumentReport> out;
  for (const auto& [name, text] : files) validate_text(Validator(), name, text, o, out);
  bool noted = false;  // a report keeps the run's first context-missing only (issue 17)
  for (auto& r : out)
    for (auto it = r.findings.begin(); it != r.findings.end();)
      if (it->rule == "context-missing" && std::exchange(noted, true)) it = r.findings.erase(it);
      else ++it;
  return out;
}

std::vector<DocumentReport> sample() {
  return validate_docs({{"exports/a.json", invalid_doc},
                        {"exports/b.json", valid_doc},
                        {"exports/many.json", std::string("[") + valid_doc + ",\n" + invalid_doc + "]"},
                        {"exports/broken.json", "{\"oppija-oid\": \"1.2.246.562.24.12312312319\",\n  \"x\": ]"}});
}

ReportOptions options(Lang lang = Lang::fi) {
  ReportOptions o;
  o.lang = lang;
  o.tool_version = "9.9.9";
  o.ruleset = Catalog::builtin().version();
  return o;
}

std::size_t count_findings(const std::vector<DocumentReport>& reports) {
  std::size_t n = 0;
  for (const auto& r : reports) n += r.findings.size();
  return n;
}

}  // namespace

TEST(ReportFormats, NamesRoundTrip) {
  for (const char* name : {"text", "json", "junit", "sarif", "github", "gitlab", "html"}) {
    const auto f = parse_report_format(name);
    ASSERT_TRUE(f) << name;
    EXPECT_EQ(to_string(*f), name);
  }
  EXPECT_FALSE(parse_report_format("xml"));
}

TEST(JsonReport, KeepsTheContractAndAddsTotals) {
  const auto reports = sample();
  const auto j = nlohmann::json::parse(render_json(reports, Catalog::builtin(), options()));
  EXPECT_EQ(j["tool"]["name"], "hoks");
  EXPECT_EQ(j["tool"]["ruleset"], Catalog::builtin().version());
  ASSERT_EQ(j["documents"].size(), reports.size());
  std::size_t errors = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const auto& d = j["documents"][i];
    EXPECT_EQ(d["source"], reports[i].source);
    EXPECT_EQ(d["index"], reports[i].index);
    EXPECT_EQ(d["operation"], "create");
    EXPECT_EQ(d["valid"], reports[i].valid());
    ASSERT_EQ(d["findings"].size(), reports[i].findings.size());
    for (std::size_t k = 0; k < reports[i].findings.size(); ++k) {
      const auto& f = d["findings"][k];
      EXPECT_EQ(f["rule"], reports[i].findings[k].rule);
      EXPECT_EQ(f["path"], reports[i].findings[k].path);
      EXPECT_EQ(f["location"]["line"], reports[i].findings[k].location.line);
      EXPECT_TRUE(f["message"].is_string());
      if (f["severity"] == "error") ++errors;
    }
  }
  EXPECT_GT(errors, 0u);
  EXPECT_EQ(j["summary"]["documents"], reports.size());
  EXPECT_EQ(j["summary"]["errors"], errors);
  EXPECT_EQ(j["summary"]["partial"], false);
  EXPECT_EQ(j["summary"]["findings"], count_findings(reports));
}

TEST(JsonReport, MaxFindingsCapsButKeepsTotalsAndMarksPartial) {
  const auto reports = sample();
  const std::size_t total = count_findings(reports);
  ASSERT_GT(total, 3u);
  ReportOptions o = options();
  o.max_findings = 3;
  const auto j = nlohmann::json::parse(render_json(reports, Catalog::builtin(), o));
  std::size_t shown = 0, omitted = 0;
  for (const auto& d : j["documents"]) {
    shown += d["findings"].size();
    if (d.contains("findings_omitted")) omitted += d["findings_omitted"].get<std::size_t>();
  }
  EXPECT_EQ(shown, 3u);
  EXPECT_EQ(shown + omitted, total);
  EXPECT_EQ(j["summary"]["findings"], total);
  EXPECT_EQ(j["summary"]["shown"], 3u);
  EXPECT_EQ(j["summary"]["partial"], true);
  EXPECT_EQ(j["documents"].size(), reports.size());  // every document is still listed

  // The text and SARIF reports obey the same cap.
  const std::string text = render_text(reports, Catalog::builtin(), o);
  EXPECT_EQ(std::count(text.begin(), text.end(), '['), 3) << text;
  EXPECT_NE(text.find("--max-findings"), std::string::npos);
  const auto sarif = nlohmann::json::parse(render_report(ReportFormat::sarif, reports, Catalog::builtin(), o));
  EXPECT_EQ(sarif["runs"][0]["results"].size(), 3u);
  EXPECT_EQ(sarif["runs"][0]["properties"]["partial"], true);
}

TEST(JsonReport, IdsAndPathsDoNotChangeWithLanguage) {
  const auto reports = sample();
  auto skeleton = [&](Lang lang) {
    auto j = nlohmann::json::parse(render_json(reports, Catalog::builtin(), options(lang)));
    std::vector<std::string> out;
    for (const auto& d : j["documents"])
      for (const auto& f : d["findings"])
        out.push_back(f["rule"].get<std::string>() + " " + f["path"].get<std::string>() + " " +
                      f["severity"].get<std::string>());
    return std::make_pair(out, j["documents"][0]["findings"][0]["message"].get<std::string>());
  };
  const auto fi = skeleton(Lang::fi), sv = skeleton(Lang::sv), en = skeleton(Lang::en);
  EXPECT_EQ(fi.first, sv.first);
  EXPECT_EQ(fi.first, en.first);
  EXPECT_NE(fi.second, en.second);  // the messages are translated
  EXPECT_NE(fi.second, sv.second);
}

TEST(JunitReport, ParsesAsXmlWithOneTestcasePerDocument) {
  auto reports = sample();
  // Names and messages with XML's special characters must not break the file.
  reports[1].source = "exports/b <&\"'>.json";
  const std::string xml = render_report(ReportFormat::junit, reports, Catalog::builtin(), options());
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
  ASSERT_TRUE(parsed) << parsed.description() << " at " << parsed.offset;
  const pugi::xml_node root = doc.child("testsuites");
  ASSERT_TRUE(root);
  std::size_t testcases = 0, failures = 0;
  std::size_t invalid = 0;
  for (const auto& r : reports) invalid += r.valid() ? 0 : 1;
  std::set<std::string> suites;
  for (pugi::xml_node suite : root.children("testsuite")) {
    suites.insert(suite.attribute("name").as_string());
    std::size_t suite_cases = 0, suite_failures = 0;
    for (pugi::xml_node tc : suite.children("testcase")) {
      ++suite_cases;
      if (tc.child("failure")) {
        ++suite_failures;
        const std::string text = tc.child("failure").text().as_string();
        EXPECT_NE(text.find("["), std::string::npos);  // rule ids in the failure text
      }
    }
    EXPECT_EQ(suite.attribute("tests").as_ullong(), suite_cases);
    EXPECT_EQ(suite.attribute("failures").as_ullong(), suite_failures);
    testcases += suite_cases;
    failures += suite_failures;
  }
  EXPECT_EQ(testcases, reports.size());
  EXPECT_EQ(failures, invalid);
  EXPECT_EQ(root.attribute("tests").as_ullong(), reports.size());
  EXPECT_EQ(root.attribute("failures").as_ullong(), invalid);
  EXPECT_EQ(suites.count("exports/b <&\"'>.json"), 1u);
  EXPECT_EQ(suites.size(), 4u);
  // Each finding of a failing document is in its failure, by rule id.
  const std::string failure = root.find_child_by_attribute("testsuite", "name", "exports/a.json")
                                  .child("testcase").child("failure").text().as_string();
  for (const auto& f : reports[0].findings)
    if (f.severity == Severity::error) EXPECT_NE(failure.find("[" + f.rule + "]"), std::string::npos) << f.rule;
}

TEST(JunitReport, BodiesLargerThanMemorySpillToATemporaryFile) {
  detail::SpillBuffer small(16);
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string piece = "piece " + std::to_string(i) + "\n";
    small += piece;
    expected += piece;
  }
  detail::SpillBuffer outer(64);
  outer += "head\n";
  small.drain_to(outer);
  EXPECT_TRUE(small.empty());
  std::ostringstream out;
  outer.drain_to(out);
  EXPECT_EQ(out.str(), "head\n" + expected);
}

namespace {

nlohmann::json sarif_schema() {
  return nlohmann::json::parse(test::read(test::shared_dir() / "conformance" / "sarif" / "sarif-schema-2.1.0.json"));
}

std::string validate_against(const nlohmann::json& schema_json, const nlohmann::json& doc) {
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter doc_adapter(doc);
  if (validator.validate(schema, doc_adapter, &results)) return "";
  std::string errors;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    for (const auto& c : e.context) errors += c;
    errors += ": " + e.description + "\n";
  }
  return errors;
}

}  // namespace

TEST(SarifReport, ValidatesAgainstTheSarif210Schema) {
  const auto reports = sample();
  const nlohmann::json schema = sarif_schema();
  for (Lang lang : {Lang::fi, Lang::en}) {
    const auto sarif = nlohmann::json::parse(render_report(ReportFormat::sarif, reports, Catalog::builtin(), options(lang)));
    EXPECT_EQ(validate_against(schema, sarif), "");
  }
  // The schema check has teeth: a result without a message is rejected.
  auto broken = nlohmann::json::parse(render_report(ReportFormat::sarif, reports, Catalog::builtin(), options()));
  broken["runs"][0]["results"][0].erase("message");
  EXPECT_NE(validate_against(schema, broken), "");
  // An empty run is valid too.
  const auto empty = nlohmann::json::parse(render_report(ReportFormat::sarif, {}, Catalog::builtin(), options()));
  EXPECT_EQ(validate_against(schema, empty), "");
}

TEST(SarifReport, CarriesRuleMetadataAndLocations) {
  const auto reports = sample();
  const auto sarif = nlohmann::json::parse(render_report(ReportFormat::sarif, reports, Catalog::builtin(), options(Lang::en)));
  const auto& run = sarif["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), Catalog::builtin().rules().size());
  for (const auto& r : rules) {
    const Rule* rule = Catalog::builtin().find(r["id"].get<std::string>());
    ASSERT_TRUE(rule);
    EXPECT_EQ(r["shortDescription"]["text"], rule->title.en);
    EXPECT_FALSE(r["help"]["text"].get<std::string>().empty());
    EXPECT_EQ(r["defaultConfiguration"]["level"],
              rule->severity == Severity::error ? "error" : rule->severity == Severity::warning ? "warning" : "note");
    EXPECT_TRUE(std::regex_match(r["name"].get<std::string>(), std::regex("[A-Z][A-Za-z0-9]*")));
  }
  std::vector<const Finding*> all;
  std::vector<const DocumentReport*> owner;
  for (const auto& d : reports)
    for (const auto& f : d.findings) {
      all.push_back(&f);
      owner.push_back(&d);
    }
  ASSERT_EQ(run["results"].size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& res = run["results"][i];
    EXPECT_EQ(res["ruleId"], all[i]->rule);
    EXPECT_EQ(rules[res["ruleIndex"].get<std::size_t>()]["id"], all[i]->rule);
    const auto& loc = res["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uri"], owner[i]->source);
    EXPECT_EQ(loc["region"]["startLine"], all[i]->location.line);
    EXPECT_EQ(loc["region"]["startColumn"], all[i]->location.column);
    EXPECT_EQ(res["properties"]["path"], all[i]->path);
  }
}

TEST(GithubReport, WorkflowCommandsAreEscapedAsGithubRequires) {
  auto reports = sample();
  const std::string out = render_report(ReportFormat::github, reports, Catalog::builtin(), options(Lang::en));
  const std::regex command(R"(::(error|warning|notice) file=[^,:\r\n]+(,line=\d+,col=\d+)?,title=[a-z0-9-]+::[^\r\n]*)");
  std::size_t lines = 0;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line); ++lines) EXPECT_TRUE(std::regex_match(line, command)) << line;
  EXPECT_EQ(lines, count_findings(reports));

  // Properties escape % \r \n : , and the message escapes % \r \n.
  DocumentReport odd;
  odd.source = "dir,a:b%c\nd.json";
  Finding f;
  f.rule = "syntax";
  f.location = {3, 7, "", ""};
  f.args = {{"detail", "50%\r\nmore"}};
  odd.findings.push_back(f);
  const std::string line = render_report(ReportFormat::github, {odd}, Catalog::builtin(), options(Lang::en));
  EXPECT_NE(line.find("file=dir%2Ca%3Ab%25c%0Ad.json,line=3,col=7,title=syntax::"), std::string::npos) << line;
  EXPECT_NE(line.find("50%25%0D%0Amore"), std::string::npos) << line;
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

TEST(GitlabReport, CodeQualityFieldsAndFingerprintsStableAcrossRunsAndLineShifts) {
  const auto reports = sample();
  const auto j = nlohmann::json::parse(render_report(ReportFormat::gitlab, reports, Catalog::builtin(), options()));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), count_findings(reports));
  std::set<std::string> fingerprints;
  for (const auto& issue : j) {
    EXPECT_TRUE(issue["description"].is_string());
    EXPECT_TRUE(issue["check_name"].is_string());
    EXPECT_TRUE(std::regex_match(issue["fingerprint"].get<std::string>(), std::regex("[0-9a-f]{32}")));
    fingerprints.insert(issue["fingerprint"]);
    EXPECT_TRUE(std::set<std::string>({"info", "minor", "major", "critical", "blocker"}).count(issue["severity"]));
    EXPECT_TRUE(issue["location"]["path"].is_string());
    EXPECT_GE(issue["location"]["lines"]["begin"].get<int>(), 1);
  }
  EXPECT_EQ(fingerprints.size(), j.size());  // unique
  // The same findings after blank lines were added above them: lines move, fingerprints do not.
  const auto shifted = validate_docs({{"exports/a.json", std::string("\n\n\n") + invalid_doc}});
  const auto again = validate_docs({{"exports/a.json", invalid_doc}});
  const auto js = nlohmann::json::parse(render_report(ReportFormat::gitlab, shifted, Catalog::builtin(), options()));
  const auto ja = nlohmann::json::parse(render_report(ReportFormat::gitlab, again, Catalog::builtin(), options()));
  ASSERT_EQ(js.size(), ja.size());
  for (std::size_t i = 0; i < js.size(); ++i) {
    EXPECT_EQ(js[i]["fingerprint"], ja[i]["fingerprint"]);
    EXPECT_EQ(js[i]["location"]["lines"]["begin"].get<int>(), ja[i]["location"]["lines"]["begin"].get<int>() + 3);
  }
}

TEST(ReportWriter, StreamingEqualsWholeRenderingForEveryFormat) {
  const auto reports = sample();
  for (const char* name : {"text", "json", "junit", "sarif", "github", "gitlab", "html"}) {
    const ReportFormat format = *parse_report_format(name);
    std::ostringstream out;
    ReportWriter writer(format, out, Catalog::builtin(), options());
    for (const auto& r : reports) {
      DocumentExtras extras;
      extras.in_collection = r.source == "exports/many.json";
      writer.add(r, extras);
    }
    writer.finish();
    EXPECT_EQ(out.str(), render_report(format, reports, Catalog::builtin(), options())) << name;
    EXPECT_EQ(writer.summary().documents, reports.size());
    EXPECT_TRUE(writer.summary().failed);
  }
}

// Warnings and infos early in a stream, its errors later: --max-findings shows the errors first.
TEST(ReportWriter, MaxFindingsShowsErrorsThenWarningsThenInfos) {
  std::vector<DocumentReport> docs(4);
  const auto add = [&](std::size_t doc, Severity s, const char* path) {
    Finding f;
    f.rule = "unknown-key";
    f.severity = s;
    f.path = path;
    f.location = {std::uint32_t(doc + 1), std::uint32_t(docs[doc].findings.size() + 1), "", ""};
    f.args = {{"key", std::string(path).substr(1)}};
    docs[doc].findings.push_back(f);
  };
  for (std::size_t i = 0; i < docs.size(); ++i) {
    docs[i].source = "stream.ndjson";
    docs[i].index = std::uint32_t(i);
    docs[i].line = std::uint32_t(i + 1);
  }
  add(0, Severity::warning, "/w0");
  add(0, Severity::info, "/i0");
  add(1, Severity::error, "/e0");
  add(1, Severity::warning, "/w1");
  add(2, Severity::info, "/i1");
  add(3, Severity::error, "/e1");
  add(3, Severity::error, "/e2");
  struct Case {
    std::size_t cap;
    std::set<std::string> shown;
    std::size_t omitted[3];  // infos, warnings, errors
    const char* phrase;
  };
  const Case cases[] = {{2, {"/e0", "/e1"}, {2, 2, 1}, "left out: 1 error, 2 warnings, 2 infos"},
                        {4, {"/e0", "/e1", "/e2", "/w0"}, {2, 1, 0}, "left out: 1 warning, 2 infos"},
                        {6, {"/e0", "/e1", "/e2", "/w0", "/w1", "/i0"}, {1, 0, 0}, "left out: 1 info"},
                        {7, {"/e0", "/e1", "/e2", "/w0", "/w1", "/i0", "/i1"}, {0, 0, 0}, nullptr}};
  for (const Case& c : cases) {
    ReportOptions o = options(Lang::en);
    o.max_findings = c.cap;
    const auto j = nlohmann::json::parse(render_json(docs, Catalog::builtin(), o));
    std::set<std::string> shown;
    std::size_t omitted = 0;
    ASSERT_EQ(j["documents"].size(), docs.size());
    for (const auto& d : j["documents"]) {
      for (const auto& f : d["findings"]) shown.insert(f["path"].get<std::string>());
      omitted += d.value("findings_omitted", 0);
    }
    if (c.cap == 6) {  // a document's shown findings stay in report order
      EXPECT_EQ(j["documents"][0]["findings"][0]["path"], "/w0");
      EXPECT_EQ(j["documents"][0]["findings"][1]["path"], "/i0");
    }
    EXPECT_EQ(shown, c.shown) << "--max-findings " << c.cap;
    EXPECT_EQ(omitted, 7 - c.shown.size());
    EXPECT_EQ(j["summary"]["findings"], 7);
    EXPECT_EQ(j["summary"]["errors"], 3);
    EXPECT_EQ(j["summary"]["shown"], c.shown.size());
    if (c.phrase) {
      EXPECT_EQ(j["summary"]["omitted"]["errors"], c.omitted[2]);
      EXPECT_EQ(j["summary"]["omitted"]["warnings"], c.omitted[1]);
      EXPECT_EQ(j["summary"]["omitted"]["infos"], c.omitted[0]);
    } else {
      EXPECT_FALSE(j["summary"].contains("omitted"));
    }
    // The text report shows the same findings and says what it left out.
    const std::string text = render_text(docs, Catalog::builtin(), o);
    for (const char* path : {"/e0", "/e1", "/e2", "/w0", "/w1", "/i0", "/i1"})
      EXPECT_EQ(text.find(std::string("path: ") + path + " ") != std::string::npos, c.shown.count(path) > 0)
          << path << " --max-findings " << c.cap << "\n" << text;
    if (c.phrase) EXPECT_NE(text.find(std::string("; ") + c.phrase + ")\n"), std::string::npos) << text;
    const auto sarif = nlohmann::json::parse(render_report(ReportFormat::sarif, docs, Catalog::builtin(), o));
    EXPECT_EQ(sarif["runs"][0]["results"].size(), c.shown.size());
    const std::string html = render_report(ReportFormat::html, docs, Catalog::builtin(), o);
    // The page carries each document's findings as data (one {"r": rule, ...} object a finding).
    std::size_t items = 0;
    const std::string open = "<script type=\"application/json\" class=\"findings\">";
    for (std::size_t p = html.find(open); p != std::string::npos; p = html.find(open, p + 1)) {
      const std::string data = html.substr(p + open.size(), html.find("</script>", p) - p - open.size());
      for (std::size_t q = data.find("{\"r\":"); q != std::string::npos; q = data.find("{\"r\":", q + 1)) ++items;
    }
    EXPECT_EQ(items, c.shown.size());
  }
}

TEST(ReportWriter, DocumentsRenderedAheadInOtherThreadsGiveTheSameBytes) {
  const auto reports = sample();
  for (const char* name : {"text", "json", "junit", "sarif", "github", "gitlab", "html"}) {
    for (std::size_t cap : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {  // 1, 3: --max-findings cuts
      ReportOptions o = options();
      o.max_findings = cap;
      const ReportFormat format = *parse_report_format(name);
      std::vector<DocumentExtras> extras(reports.size());
      for (std::size_t i = 0; i < reports.size(); ++i) extras[i].in_collection = reports[i].source == "exports/many.json";
      std::ostringstream direct, ahead;
      ReportWriter one(format, direct, Catalog::builtin(), o), two(format, ahead, Catalog::builtin(), o);
      for (std::size_t i = 0; i < reports.size(); ++i) one.add(reports[i], extras[i]);
      one.finish();
      // Rendered by two threads, in reverse order, then added in report order.
      std::vector<RenderedDocument> rendered(reports.size());
      auto render = [&](std::size_t parity) {
        for (std::size_t i = reports.size(); i-- > 0;)
          if (i % 2 == parity) rendered[i] = two.render(reports[i], extras[i]);
      };
      std::thread other(render, 1);
      render(0);
      other.join();
      for (std::size_t i = 0; i < reports.size(); ++i) two.add(reports[i], extras[i], std::move(rendered[i]));
      two.finish();
      EXPECT_EQ(ahead.str(), direct.str()) << name << " --max-findings " << cap;
      EXPECT_EQ(two.summary().shown, one.summary().shown) << name;
    }
  }
}

// ---- redaction -------------------------------------------------------------------------------------

TEST(Redaction, PersonalFieldsComeFromTheModel) {
  std::map<std::string, PersonalKind> fields;
  for (const auto& [k, v] : personal_fields(Model::builtin())) fields[k] = v;
  EXPECT_EQ(fields.at("oppija-oid"), PersonalKind::person_oid);
  EXPECT_EQ(fields.at("opiskeluoikeus-oid"), PersonalKind::study_right_oid);
  EXPECT_EQ(fields.at("tuva-opiskeluoikeus-oid"), PersonalKind::study_right_oid);
  EXPECT_EQ(fields.at("sahkoposti"), PersonalKind::email);
  EXPECT_EQ(fields.at("puhelinnumero"), PersonalKind::phone);
  EXPECT_EQ(fields.at("nimi"), PersonalKind::name);
  EXPECT_EQ(fields.count("koulutuksen-jarjestaja-oid"), 0u);  // organisations are not persons
  EXPECT_EQ(fields.count("tutkinnon-osa-koodi-uri"), 0u);
}

TEST(Redaction, MasksValuesKeepsColumnsAndScrubsEchoes) {
  const std::string text = R"({"oppija-oid": "1.2.246.562.24.12312312318", "nimi": "Matti Meikäläinen",
 "puhelinnumero": 40123, "muu": "soita 131052-308T tai matti@example.fi", "ohjaaja": {"nimi": ["Liisa", "Lahti"]},
 "koodi": "Matti Meikäläinen", "broken": "Meik)";
  const PersonalData personal(text);
  const std::string masked = personal.masked_text();
  for (const char* secret : {"12312312318", "Matti", "Meikäläinen", "40123", "131052-308T", "matti@example", "Liisa", "Lahti"})
    EXPECT_EQ(masked.find(secret), std::string::npos) << secret << " in " << masked;
  EXPECT_NE(masked.find("\"oppija-oid\""), std::string::npos);  // keys stay
  EXPECT_NE(masked.find("soita"), std::string::npos);
  // Lines and columns are kept: each masked character is one '•'.
  LineIndex a(text), b(masked);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), std::count(masked.begin(), masked.end(), '\n'));

  std::vector<Finding> findings(4);
  findings[0] = {"oid-check-digit", Severity::error, "/oppija-oid", {}, 0, {{"value", "1.2.246.562.24.12312312318"}}};
  findings[1] = {"pattern-mismatch", Severity::error, "/koodi", {}, 0,
                 {{"value", "Matti Meikäläinen"}, {"pattern", "^x$"}}};
  findings[2] = {"unknown-code", Severity::warning, "/muu", {}, 0, {{"value", "soita 131052-308T tai matti@example.fi"}}};
  findings[3] = {"unknown-key", Severity::error, "/x", {}, 0, {{"key", "x"}, {"entity", "HOKS"}}};
  personal.redact(findings, Lang::en);
  EXPECT_EQ(findings[0].arg("value"), "«redacted: learner OID»");
  EXPECT_EQ(findings[1].arg("value"), "«redacted: name»");
  EXPECT_EQ(findings[1].arg("pattern"), "^x$");
  EXPECT_EQ(findings[2].arg("value"), "soita «redacted: personal identity code» tai «redacted: e-mail address»");
  EXPECT_EQ(findings[3].arg("key"), "x");
  EXPECT_EQ(findings[3].arg("entity"), "HOKS");
}

TEST(Excerpts, LinesAroundTheFindingAndAWindowOnLongLines) {
  const std::string text = "a\nbb\nccc\ndddd\neeeee\nf\n";
  const SourceLines lines(text, 10);
  const Excerpt e = lines.excerpt(12, 2);
  EXPECT_EQ(e.first_line, 10u);
  EXPECT_EQ(e.lines, (std::vector<std::string>{"a", "bb", "ccc", "dddd", "eeeee"}));
  EXPECT_EQ(e.mark, 2u);
  EXPECT_EQ(e.mark_column, 2u);
  const Excerpt last = lines.excerpt(15, 1, 1);
  EXPECT_EQ(last.lines, (std::vector<std::string>{"eeeee", "f"}));
  EXPECT_EQ(lines.excerpt(16, 1).first_line, 0u);  // past the end: no excerpt
  const std::string long_line = std::string(500, 'x') + "ÄÖ" + std::string(500, 'y');
  const Excerpt w = SourceLines(long_line).excerpt(1, 501, 0);
  ASSERT_EQ(w.lines.size(), 1u);
  EXPECT_LT(w.lines[0].size(), 200u);
  EXPECT_EQ(w.lines[0].rfind("…", 0), 0u);  // cut on the left
  // The marked column still points at 'Ä'.
  std::size_t chars = 0, byte = 0;
  for (; byte < w.lines[0].size() && chars + 1 < w.mark_column; ++byte)
    if ((static_cast<unsigned char>(w.lines[0][byte]) & 0xC0) != 0x80) ++chars;
  while (byte < w.lines[0].size() && (static_cast<unsigned char>(w.lines[0][byte]) & 0xC0) == 0x80) ++byte;
  EXPECT_EQ(w.lines[0].substr(byte, 2), "Ä");
}

// ---- baseline ----------------------------------------------------------------------------------------

TEST(Baseline, SuppressesByDocumentRuleAndPathAndReportsStaleEntries) {
  auto reports = validate_docs({{"a.json", invalid_doc}});
  std::vector<BaselineEntry> entries;
  record_baseline(reports[0], entries);
  const std::size_t recorded = entries.size();
  ASSERT_GT(recorded, 1u);
  // A finding that no longer occurs, and one of another document that is not in the run.
  entries.push_back({"a.json", 0, "missing-key", "/gone"});
  entries.push_back({"other.json", 0, "syntax", ""});
  const std::string file = render_baseline(entries, "r1");
  Baseline baseline = Baseline::parse(file);
  EXPECT_EQ(baseline.size(), recorded + 2);

  // The same findings on other lines are still suppressed (matched without the line).
  auto moved = validate_docs({{"a.json", std::string("\n\n") + invalid_doc}});
  const std::size_t removed = baseline.apply(moved[0], Catalog::builtin());
  EXPECT_EQ(removed, recorded);
  ASSERT_EQ(moved[0].findings.size(), 1u);
  EXPECT_EQ(moved[0].findings[0].rule, baseline_stale_rule);
  EXPECT_EQ(moved[0].findings[0].severity, Severity::info);
  EXPECT_EQ(moved[0].findings[0].path, "/gone");
  EXPECT_EQ(moved[0].findings[0].arg("rule"), "missing-key");
  EXPECT_EQ(baseline.unvisited(), 1u);
  // The stale finding has a message from the catalog.
  EXPECT_NE(Catalog::builtin().message(moved[0].findings[0], Lang::en).find("missing-key"), std::string::npos);
  // Another index of the same file is another document.
  auto other = validate_docs({{"a.json", invalid_doc}});
  other[0].index = 1;
  EXPECT_EQ(Baseline::parse(file).apply(other[0], Catalog::builtin()), 0u);
}

TEST(Baseline, FileIsSortedAndDeterministicAndBadFilesAreRejectedWithPosition) {
  std::vector<BaselineEntry> e = {{"b.json", 0, "x", "/b"}, {"a.json", 2, "y", "/a"}, {"a.json", 1, "z", "/c"}};
  const std::string one = render_baseline(e, "r");
  std::reverse(e.begin(), e.end());
  EXPECT_EQ(render_baseline(e, "r"), one);
  EXPECT_LT(one.find("\"index\": 1"), one.find("\"index\": 2"));
  try {
    Baseline::parse("{\"hoks-baseline\": 1,\n \"findings\": [{\"source\": 1}]}");
    FAIL() << "accepted a bad baseline";
  } catch (const BaselineError& err) {
    EXPECT_EQ(std::string(err.what()).rfind("2:", 0), 0u) << err.what();
  }
  EXPECT_THROW(Baseline::parse("[]"), BaselineError);
  EXPECT_THROW(Baseline::parse("{\"hoks-baseline\": 1, \"findings\": ["), BaselineError);
}

// ---- configuration -----------------------------------------------------------------------------------

TEST(Config, ReadsEverySettingAndRejectsMistakesWithPosition) {
  const Config c = parse_config(R"(
operation: replace
lang: sv
fail-on: warning
redact: true
format: sarif
max-findings: 50
baseline: ci/baseline.json
select: [oid-check-digit, unknown-key]
ignore: context-missing
severity:
  unknown-key: warning
include: ["**/*.json"]
exclude: [drafts/, "*.tmp.json"]
)",
                                "/repo/hoks.yaml", Catalog::builtin());
  EXPECT_EQ(c.operation, Operation::replace);
  EXPECT_EQ(c.lang, Lang::sv);
  EXPECT_EQ(c.fail_on, Severity::warning);
  EXPECT_EQ(c.redact, true);
  EXPECT_EQ(c.format, ReportFormat::sarif);
  EXPECT_EQ(c.max_findings, 50u);
  EXPECT_EQ(c.baseline, fs::path("/repo/ci/baseline.json"));
  EXPECT_EQ(c.rules.select.size(), 2u);
  EXPECT_TRUE(c.rules.ignore.count("context-missing"));
  EXPECT_EQ(c.rules.severity.at("unknown-key"), Severity::warning);
  EXPECT_EQ(c.exclude.size(), 2u);

  auto error_of = [](const std::string& yaml) {
    try {
      parse_config(yaml, "hoks.yaml", Catalog::builtin());
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error_of("lang: fi\nlnag: sv\n").rfind("hoks.yaml:2:1: unknown setting 'lnag'", 0), 0u) << error_of("lnag: sv");
  EXPECT_NE(error_of("ignore: [no-such-rule]").find("unknown rule 'no-such-rule'"), std::string::npos);
  EXPECT_NE(error_of("severity: {unknown-key: fatal}").find("hoks.yaml:1:"), std::string::npos);
  EXPECT_NE(error_of("operation: read").find("operation must be"), std::string::npos);
  EXPECT_NE(error_of("redact: maybe").find("true or false"), std::string::npos);
  EXPECT_NE(error_of("max-findings: -1").find("whole number"), std::string::npos);
  EXPECT_NE(error_of("lang: [fi").find("hoks.yaml:"), std::string::npos);
  EXPECT_EQ(error_of(""), "accepted");
}

TEST(Config, IsFoundInTheWorkingFolderOrAbove) {
  const fs::path root = fs::temp_directory_path() / ("hoks-config-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "a" / "b");
  EXPECT_FALSE(find_config(root / "a" / "b") && find_config(root / "a" / "b")->parent_path().string().find(root.string()) == 0);
  std::ofstream(root / "hoks.yaml") << "lang: en\n";
  ASSERT_TRUE(find_config(root / "a" / "b"));
  EXPECT_EQ(*find_config(root / "a" / "b"), root / "hoks.yaml");
  std::ofstream(root / "a" / "hoks.yaml") << "lang: sv\n";
  EXPECT_EQ(*find_config(root / "a" / "b"), root / "a" / "hoks.yaml");
  fs::remove_all(root);
}

TEST(Config, TheCommandLineWinsSettingBySetting) {
  Config file = parse_config("operation: replace\nlang: sv\nredact: true\nselect: [unknown-key]\nignore: [context-missing]\n"
                             "severity: {unknown-key: warning}\ninclude: ['*.json']\n",
                             "/repo/hoks.yaml", Catalog::builtin());
  Config given;
  given.lang = Lang::en;
  given.redact = false;  // given as false: still wins over the file's true
  given.rules.ignore = {"oid-check-digit"};
  given.rules.severity = {{"oid-check-digit", Severity::info}};
  const Config c = merge_config(file, given);
  EXPECT_EQ(c.operation, Operation::replace);  // not given: the file's
  EXPECT_EQ(c.lang, Lang::en);
  EXPECT_EQ(c.redact, false);
  EXPECT_EQ(c.rules.select, file.rules.select);
  EXPECT_EQ(c.rules.ignore.size(), 1u);
  EXPECT_TRUE(c.rules.ignore.count("oid-check-digit"));
  EXPECT_EQ(c.rules.severity.size(), 2u);  // severities are merged
  EXPECT_EQ(c.include, file.include);
  EXPECT_EQ(c.file, fs::path("/repo/hoks.yaml"));
  EXPECT_FALSE(merge_config({}, {}).operation.has_value());
}

TEST(Config, LoadsTheGivenFileOrTheNearestOneOrNone) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-config-load-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "a" / "b");
  std::ofstream(dir / "hoks.yaml") << "lang: sv\n";
  std::ofstream(dir / "other.yaml") << "lang: en\n";
  EXPECT_EQ(load_config(std::nullopt, dir / "a" / "b", Catalog::builtin()).lang, Lang::sv);
  EXPECT_EQ(load_config(dir / "other.yaml", dir / "a", Catalog::builtin()).lang, Lang::en);
  EXPECT_FALSE(load_config(std::nullopt, fs::path("/"), Catalog::builtin()).lang.has_value());
  try {
    load_config(dir / "missing.yaml", dir, Catalog::builtin());
    ADD_FAILURE() << "a missing --config file was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.yaml: cannot read file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_config(dir / "a", dir, Catalog::builtin()), ConfigError);
  fs::remove_all(dir);
}

TEST(Globs, MatchLikeGitignore) {
  EXPECT_TRUE(glob_match("*.json", "a/b/c.json"));  // no '/': the file name
  EXPECT_FALSE(glob_match("*.json", "a/b/c.ndjson"));
  EXPECT_TRUE(glob_match("drafts/**", "drafts/x/y.json"));
  EXPECT_TRUE(glob_match("drafts/", "drafts/x.json"));
  EXPECT_FALSE(glob_match("drafts/**", "final/drafts.json"));
  EXPECT_TRUE(glob_match("**/old/*.json", "old/a.json"));
  EXPECT_TRUE(glob_match("**/old/*.json", "x/y/old/a.json"));
  EXPECT_FALSE(glob_match("**/old/*.json", "x/old/y/a.json"));
  EXPECT_TRUE(glob_match("a/*/c.json", "a/b/c.json"));
  EXPECT_FALSE(glob_match("a/*/c.json", "a/b/b/c.json"));
  EXPECT_TRUE(glob_match("hoks-20[0-9][0-9]-?.json", "hoks-2024-1.json"));
  EXPECT_FALSE(glob_match("hoks-[!0-9]*.json", "hoks-1.json"));
  EXPECT_TRUE(glob_match("./a/*.json", "a/x.json"));
  EXPECT_TRUE(path_selected("x/a.json", "dir/x/a.json", {}, {}));
  EXPECT_FALSE(path_selected("x/a.txt", "dir/x/a.txt", {}, {}));
  EXPECT_FALSE(path_selected("x/a.json", "dir/x/a.json", {}, {"x/"}));
  EXPECT_TRUE(path_selected("x/a.xml", "dir/x/a.xml", {"*.xml"}, {}));
}

TEST(ReportStageRules, EachIsIssuedByTheReportMachinery) {
  // Rules of stage `report` have no fixtures (no document triggers them); each must be one the
  // report issues, and Baseline.SuppressesByDocumentRuleAndPathAndReportsStaleEntries fires it.
  std::size_t n = 0;
  for (const auto& r : Catalog::builtin().rules()) {
    if (r.stage != "report") continue;
    ++n;
    EXPECT_EQ(r.id, baseline_stale_rule);
    EXPECT_EQ(r.severity, Severity::info);
  }
  EXPECT_EQ(n, 1u);
}

// The json writer writes a message from its rule's template compiled for the report (literal
// pieces escaped once, values escaped as they are written): the message and hint it writes are
// the catalog's, whatever the quotes, backslashes and control characters in the template or the
// values, for a missing value (its {name} shown), a message case and a placeholder the catalog words.
TEST(JsonReport, CompiledMessagesSayWhatTheCatalogSays) {
  const auto catalog = Catalog::load(R"({"ruleset": "t", "rules": [
    {"id": "quoted", "severity": "warning",
     "message": {"en": "Say \"{value}\" \\ then {missing} and\ttab {count}.\u0001", "fi": "Sano {value}"},
     "hint": {"en": "A \"plain\" hint\\."},
     "message-cases": {"other": {"en": "Case \"{value}\"{count}"}}},
    {"id": "worded", "severity": "error", "message": {"en": "Expected {expected}: {value}"}, "hint": {"en": "fix {value}"}}]})");
  std::vector<Finding> findings;
  const auto add = [&](std::string rule, std::vector<std::pair<std::string, std::string>> args) {
    Finding& f = findings.emplace_back();
    f.rule = std::move(rule);
    f.severity = Severity::warning;
    f.path = "/a~1b/c\"d";
    f.location.line = 1;
    f.location.column = static_cast<std::uint32_t>(findings.size());
    f.args = std::move(args);
  };
  for (const std::string value : {"", "ab", "a\"b", "abcd\\efg", "tab\there\x01", "12345678901234567890\"x", "\xC3\xA4\xE2\x82\xAC"}) {
    add("quoted", {{"value", value}, {"count", "7"}});
    add("quoted", {{"count", value}, {"case", "other"}, {"value", "v"}});
    add("quoted", {{"case", "none"}, {"value", value}});
    add("worded", {{"expected", "integer"}, {"value", value}});
  }
  DocumentReport doc;
  doc.source = "t.json";
  doc.findings = findings;
  ReportOptions ro;
  ro.lang = Lang::en;
  const nlohmann::json report = nlohmann::json::parse(render_report(ReportFormat::json, {doc}, *catalog, ro));
  const auto& written = report["documents"][0]["findings"];
  ASSERT_EQ(written.size(), findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    EXPECT_EQ(written[i]["message"].get<std::string>(), catalog->message(findings[i], Lang::en)) << i;
    EXPECT_EQ(written[i]["hint"].get<std::string>(), catalog->hint(findings[i], Lang::en)) << i;
    EXPECT_EQ(written[i]["path"].get<std::string>(), findings[i].path);
  }
  EXPECT_EQ(written[0]["message"].get<std::string>(), "Say \"\" \\ then {missing} and\ttab 7.\x01");
}
