// Hostile input through the command line (issue 7): every case ends in a finding (exit 1) or a
// tool error (exit 2) with a position, within a safety bound on time and memory. The bounds are
// generous on purpose (a loaded CI machine, sanitizer builds): they catch hangs, quadratic
// blow-ups and memory growth far beyond the input, not slowness.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hoks/model/pattern.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;

namespace {

using hoks::test::sanitized;

extern "C" char** environ;

struct Measured {
  int status = -1;          // exit code, -1 when killed by a signal
  std::string out, err;
  double seconds = 0;       // wall time
  std::size_t rss = 0;      // maximum resident set size in bytes
};

// A temporary folder for one test, removed afterwards.
class Scratch {
 public:
  explicit Scratch(const std::string& suffix = "") {
    dir_ = fs::temp_directory_path() /
           ("hoks-hostile-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path write(const std::string& name, const std::string& bytes) const {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

// Runs `hoks ARGS...` with standard input from /dev/null under /usr/bin/time, which measures the
// peak resident memory of hoks alone (a process forked from this big test process would carry
// this process's memory in its own peak).
Measured run_hoks(const Scratch& scratch, const std::vector<std::string>& args) {
  const fs::path out = scratch.dir() / "stdout", err = scratch.dir() / "stderr", usage = scratch.dir() / "usage";
  std::vector<std::string> argv_strings{"/usr/bin/time", "-f", "%M", "-o", usage.string(), hoks::test::hoks_binary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  Measured m;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int status = 0;
  if (posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ) == 0 && waitpid(pid, &status, 0) == pid)
    m.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  posix_spawn_file_actions_destroy(&files);
  m.out = hoks::test::read(out);
  m.err = hoks::test::read(err);
  // time's last line is the peak in KiB (a line before it says when the command exited non-zero).
  const std::string report = hoks::test::read(usage);
  const std::size_t last = report.find_last_not_of('\n');
  const std::size_t line = last == std::string::npos ? 0 : report.rfind('\n', last);
  m.rss = static_cast<std::size_t>(std::atoll(report.c_str() + (line == std::string::npos ? 0 : line + 1))) * 1024;
  return m;
}

// The resident memory of a run on a tiny document: what every run costs before its input.
std::size_t baseline_rss() {
  static const std::size_t rss = [] {
    Scratch s("-baseline");
    return run_hoks(s, {"validate", "--today", "2026-11-28", s.write("tiny.json", "{}").string()}).rss;
  }();
  return rss;
}

// Safety bounds for an input of `bytes`: wall time, and resident memory beyond the baseline.
// `per_byte` is how many bytes of memory one input byte may cost (the JSON tape is ~32 bytes
// per value, so dense inputs such as [1,1,1,...] need more than plain text).
void expect_bounded(const Measured& m, std::size_t bytes, double per_byte = 8) {
  const double slow = sanitized ? 10 : 1;
  const double seconds = slow * (10 + static_cast<double>(bytes) / (4 << 20));  // 10 s + 1 s per 4 MiB
  EXPECT_LT(m.seconds, seconds) << "took " << m.seconds << " s for " << bytes << " bytes";
  const double memory = static_cast<double>(baseline_rss()) + (sanitized ? 3 : 1) * per_byte * static_cast<double>(bytes) +
                        (64 << 20);
  EXPECT_LT(static_cast<double>(m.rss), memory)
      << "resident " << (m.rss >> 20) << " MiB for " << (bytes >> 20) << " MiB of input (baseline "
      << (baseline_rss() >> 20) << " MiB)";
}

std::vector<std::string> validate_args(const fs::path& file, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"validate", "--today", "2026-11-28", "--lang", "en", "--no-hints", "--color", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("--");  // list options such as --select take every value up to the next option
  args.push_back(file.string());
  return args;
}

std::string example() { return hoks::test::read(hoks::test::source_dir() / "fixtures/rules/duplicate-key/pass-1.json"); }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t i = text.find(what); i != std::string::npos; i = text.find(what, i + what.size())) ++n;
  return n;
}

}  // namespace

TEST(Hostile, DeepNestingIsAFindingAtTheFirstLevelPastTheLimit) {
  Scratch s;
  const std::string text = std::string(200000, '[') + std::string(200000, ']');
  const fs::path file = s.write("deep.json", text);
  const Measured m = run_hoks(s, validate_args(file));
  EXPECT_EQ(m.status, 2) << m.err;  // a limit, not a defect (issue 17.7)
  EXPECT_NE(m.out.find(file.string() + ":1:257: error[limit-exceeded]"), std::string::npos) << m.out.substr(0, 500);
  EXPECT_NE(m.out.find("The --max-depth limit was reached"), std::string::npos);
  EXPECT_NE(m.out.find("nesting too deep"), std::string::npos);
  expect_bounded(m, text.size());

  // A lower limit moves the position; no limit at all still ends in findings, not a crash.
  const Measured low = run_hoks(s, validate_args(file, {"--max-depth", "10"}));
  EXPECT_EQ(low.status, 2) << low.err;
  EXPECT_NE(low.out.find(":1:11: error[limit-exceeded]"), std::string::npos) << low.out.substr(0, 500);
  const Measured none = run_hoks(s, validate_args(file, {"--max-depth", "0"}));
  EXPECT_EQ(none.status, 1) << none.err;
  EXPECT_EQ(none.out.find("[syntax]"), std::string::npos);
  EXPECT_EQ(none.out.find("[limit-exceeded]"), std::string::npos);
  EXPECT_NE(none.out.find("error[wrong-type]"), std::string::npos) << none.out.substr(0, 500);
  expect_bounded(none, text.size(), 32);

  const std::string objects = [] {
    std::string t;
    for (int i = 0; i < 200000; ++i) t += "{\"a\":";
    t += "1";
    t += std::string(200000, '}');
    return t;
  }();
  const Measured deep_objects = run_hoks(s, validate_args(s.write("deep-objects.json", objects), {"--max-depth", "0"}));
  EXPECT_EQ(deep_objects.status, 1) << deep_objects.err;
  EXPECT_NE(deep_objects.out.find(":1:2: error[unknown-key]"), std::string::npos) << deep_objects.out.substr(0, 500);
  expect_bounded(deep_objects, objects.size(), 32);
}

TEST(Hostile, DeepNestingInAStudyRightIsAToolErrorWithItsPosition) {
  Scratch s;
  const fs::path context = s.write("koski.json", std::string(200000, '['));
  const fs::path doc = s.write("hoks.json", example());
  const Measured m = run_hoks(s, validate_args(doc, {"--opiskeluoikeus", context.string()}));
  EXPECT_EQ(m.status, 2);
  EXPECT_NE(m.err.find("koski.json:1:257: not well-formed JSON (too_deep)"), std::string::npos) << m.err;
}

TEST(Hostile, A64MegabyteStringIsRefusedPastTheStringLimit) {
  Scratch s;
  const std::string text = "{\"oppija-oid\": \"" + std::string(64 << 20, 'a') + "\"}";
  const fs::path file = s.write("long.json", text);
  const Measured m = run_hoks(s, validate_args(file));
  EXPECT_EQ(m.status, 2) << m.err;
  EXPECT_NE(m.out.find(":1:16: error[limit-exceeded]"), std::string::npos) << m.out.substr(0, 500);
  EXPECT_NE(m.out.find("The --max-string-length limit was reached (a limit, not a defect in the data): a string is too long"),
            std::string::npos);
  EXPECT_EQ(m.out.find("missing or extra commas"), std::string::npos) << "not the syntax hint";
  EXPECT_LT(m.out.size(), 4096u) << "the report must not echo the string";
  expect_bounded(m, text.size());

  // Without the string limit the value is read and checked, and the report shows only its start.
  const Measured unlimited = run_hoks(s, validate_args(file, {"--max-string-length", "0", "--format", "json"}));
  EXPECT_EQ(unlimited.status, 1) << unlimited.err;
  EXPECT_NE(unlimited.out.find("\"pattern-mismatch\""), std::string::npos) << unlimited.out.substr(0, 2000);
  EXPECT_LT(unlimited.out.size(), 64u << 10);
  expect_bounded(unlimited, text.size());

  // A document limit below the input refuses it at its first byte.
  const Measured small = run_hoks(s, validate_args(file, {"--max-document-size", "1MiB"}));
  EXPECT_EQ(small.status, 2);
  EXPECT_NE(small.out.find(":1:1: error[limit-exceeded]"), std::string::npos) << small.out.substr(0, 500);
  EXPECT_NE(small.out.find("the document is too large"), std::string::npos);
}

TEST(Hostile, AMillionArrayItemsInADocumentAreReportedUpToTheFindingsLimit) {
  Scratch s;
  std::string items;
  items.reserve(2 << 20);
  for (int i = 0; i < 1000000; ++i) items += i ? ",1" : "1";
  std::string text = example();
  const std::string key = "\"hankittavat-ammat-tutkinnon-osat\": [";
  const std::size_t at = text.find(key);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + key.size(), items + ",");
  const fs::path file = s.write("million.json", text);
  const Measured m = run_hoks(s, validate_args(file, {"--format", "json"}));
  EXPECT_EQ(m.status, 1) << m.err;
  EXPECT_EQ(count(m.out.substr(0, m.out.rfind("\"summary\"")), "\"wrong-type\""), 1000u);  // the findings, not summary.rules
  EXPECT_NE(m.out.find("\"findings-truncated\""), std::string::npos);
  // A million wrong-type items (and whatever else the document holds) minus the thousand shown.
  EXPECT_NE(m.out.find("Only the first 1000 findings of the document are reported; 999"), std::string::npos);
  expect_bounded(m, text.size(), 48);

  const Measured ten = run_hoks(s, validate_args(file, {"--max-findings-per-document", "10"}));
  EXPECT_EQ(ten.status, 1);
  EXPECT_EQ(count(ten.out, "[wrong-type]"), 10u);
  EXPECT_NE(ten.out.find("Only the first 10 findings of the document are reported; 9999"), std::string::npos)
      << ten.out.substr(ten.out.size() > 2000 ? ten.out.size() - 2000 : 0);
}

TEST(Hostile, AMillionDocumentsStopAtTheDocumentLimit) {
  Scratch s;
  std::string text = "[";
  for (int i = 0; i < 1000000; ++i) text += i ? ",{}" : "{}";
  text += "]";
  const fs::path file = s.write("documents.json", text);
  const Measured m = run_hoks(s, validate_args(file, {"--max-documents", "1000", "--select", "syntax"}));
  EXPECT_EQ(m.status, 2) << m.err;  // a limit, not a verdict (issue 17.2)
  // Document 1001 starts at byte 1 + 3 * 1000: column 3002.
  EXPECT_NE(m.out.find(":1:3002: error[limit-exceeded]"), std::string::npos) << m.out.substr(0, 500);
  EXPECT_NE(m.out.find("the --max-documents limit was reached (a limit, not a defect in the data)"), std::string::npos);
  EXPECT_NE(m.out.find("(999000 documents were not checked because the --max-documents limit was reached"), std::string::npos)
      << m.out.substr(m.out.size() > 500 ? m.out.size() - 500 : 0);
  expect_bounded(m, text.size(), 48);

  std::string lines;
  for (int i = 0; i < 200000; ++i) lines += "{}\n";
  // A stream has no document-count limit unless one is given (issue 17.2).
  const fs::path ndjson = s.write("documents.ndjson", lines);
  const Measured all = run_hoks(s, validate_args(ndjson, {"--select", "syntax"}));
  EXPECT_EQ(all.status, 0) << all.err;
  EXPECT_NE(all.out.find("200000 documents: valid 200000"), std::string::npos) << all.out.substr(0, 500);
  const Measured nd = run_hoks(s, validate_args(ndjson, {"--select", "syntax", "--max-documents", "100000"}));
  EXPECT_EQ(nd.status, 2) << nd.err;
  EXPECT_NE(nd.out.find(":100001:1: error[limit-exceeded]"), std::string::npos) << nd.out.substr(0, 500);
  EXPECT_NE(nd.out.find("(100000 documents were not checked"), std::string::npos) << nd.out.substr(nd.out.size() - 300);
  EXPECT_NE(nd.out.find("documents were not checked because the --max-documents limit"), std::string::npos);
  expect_bounded(nd, lines.size(), 200);
}

TEST(Hostile, HugeNumbersAreReadAndJudgedNotCrashedOn) {
  Scratch s;
  std::string text = example();
  const std::string versio = "\"versio\": 1";
  ASSERT_NE(text.find(versio), std::string::npos);
  text.replace(text.find(versio), versio.size(), "\"versio\": 1e400");
  const std::string hours = "\"opetus-ja-ohjaus-maara\": 40";
  ASSERT_NE(text.find(hours), std::string::npos);
  text.replace(text.find(hours), hours.size(), "\"opetus-ja-ohjaus-maara\": -1e400");
  const Measured m = run_hoks(s, validate_args(s.write("numbers.json", text)));
  EXPECT_EQ(m.status, 1) << m.err;
  // 1e400 is not an integer eHOKS can hold; -1e400 is negative however far it overflows.
  EXPECT_NE(m.out.find("error[wrong-type]"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("1e400"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("[negative-teaching-hours]"), std::string::npos) << m.out;
  expect_bounded(m, text.size());
}

TEST(Hostile, BadBytesAreSyntaxFindingsWithTheirPositions) {
  Scratch s;
  struct Case {
    std::string name, bytes, position, detail;
  };
  const std::vector<Case> cases = {
      {"utf8.json", "{\n  \"oppija-oid\": \"ab\xff\"\n}", ":2:20:", "invalid UTF-8 byte sequence"},
      {"overlong.json", "{\"a\": \"\xc0\xaf\"}", ":1:8:", "invalid UTF-8 byte sequence"},
      {"surrogate.json", "{\"a\": \"x\\ud800\"}", ":1:9:", "a lone or mismatched UTF-16 surrogate"},
      {"low-surrogate.json", "{\"a\": \"\\udc00\\ud800\"}", ":1:8:", "a lone or mismatched UTF-16 surrogate"},
      {"nul.json", std::string("{\"a\": 1,\0 \"b\": 2}", 17), ":1:9:", "NUL byte in the document"},
      {"nul-string.json", std::string("{\"a\": \"x\0\"}", 11), ":1:9:", "NUL byte in the document"},
      {"utf16le.json", std::string("\xff\xfe{\0}\0", 6), ":1:1:", "the document is UTF-16 encoded"},
      {"utf16be.json", std::string("\xfe\xff\0{\0}", 6), ":1:1:", "the document is UTF-16 encoded"},
      {"empty.json", "", ":1:1:", "the document is empty"},
      {"blank.json", " \n\t\r\n  ", ":3:3:", "the document is empty"},
  };
  for (const Case& c : cases) {
    const Measured m = run_hoks(s, validate_args(s.write(c.name, c.bytes)));
    EXPECT_EQ(m.status, 1) << c.name << ": " << m.err;
    EXPECT_NE(m.out.find(c.name + c.position + " error[syntax]"), std::string::npos) << c.name << ": " << m.out;
    EXPECT_NE(m.out.find(c.detail), std::string::npos) << c.name << ": " << m.out;
    expect_bounded(m, c.bytes.size());
  }
}

TEST(Hostile, AUtf8ByteOrderMarkIsReadLikeTheSameFileWithoutIt) {
  Scratch s;
  const std::string text = "{\"versio\": \"x\",\n \"oppija-oid\": 5}\n";
  const Measured plain = run_hoks(s, validate_args(s.write("doc.json", text)));
  const Measured bom = run_hoks(s, validate_args(s.write("bom.json", "\xEF\xBB\xBF" + text)));
  EXPECT_EQ(plain.status, 1);
  EXPECT_EQ(bom.status, plain.status);
  std::string expected = plain.out;
  for (std::size_t i; (i = expected.find("doc.json")) != std::string::npos;) expected.replace(i, 8, "bom.json");
  EXPECT_EQ(bom.out, expected);
  EXPECT_NE(bom.out.find("bom.json:1:12: error[wrong-type]"), std::string::npos) << bom.out;
}

TEST(Hostile, DuplicateKeysWarnAndTheLastValueCounts) {
  Scratch s;
  std::string text = example();
  const std::string versio = "\"versio\": 1,";
  ASSERT_NE(text.find(versio), std::string::npos);
  text.replace(text.find(versio), versio.size(), "\"versio\": \"one\", \"versio\": 1,");
  const Measured m = run_hoks(s, validate_args(s.write("dup.json", text)));
  EXPECT_EQ(m.status, 0) << m.out;  // a warning: eHOKS keeps the last value, which is valid
  EXPECT_NE(m.out.find("warning[duplicate-key]"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("The key `versio` appears more than once"), std::string::npos) << m.out;
  EXPECT_EQ(m.out.find("[wrong-type]"), std::string::npos) << m.out;
  const Measured strict = run_hoks(s, validate_args(s.write("dup.json", text), {"--fail-on", "warning"}));
  EXPECT_EQ(strict.status, 1);

  // Many repetitions of one key: linear, and reported up to the findings limit.
  std::string many = "{";
  for (int i = 0; i < 300000; ++i) many += "\"versio\": 1, ";
  many += "\"versio\": 1}";
  const Measured lots = run_hoks(s, validate_args(s.write("many.json", many), {"--select", "duplicate-key"}));
  EXPECT_EQ(lots.status, 0);
  EXPECT_EQ(count(lots.out, "warning[duplicate-key]"), 1000u);
  EXPECT_NE(lots.out.find("warning[findings-truncated]"), std::string::npos);
  EXPECT_NE(lots.out.find("299000 more were left out"), std::string::npos);
  expect_bounded(lots, many.size(), 32);
}

TEST(Hostile, GarbageLinesInNdjsonDoNotStopTheOtherDocuments) {
  Scratch s;
  std::string first = example(), third = example();
  for (std::string* doc : {&first, &third}) {
    std::string flat;
    for (char c : *doc)
      if (c != '\n') flat.push_back(c);
    *doc = flat;
  }
  third.replace(third.find("\"versio\": 1"), 11, "\"versio\": \"x\"");
  const std::string text = first + "\n" + "this is not json\x01\xff\n" + "\n" + third + "\n" + "{\"a\":\n";
  const fs::path file = s.write("stream.ndjson", text);
  const Measured m = run_hoks(s, validate_args(file, {"--format", "json"}));
  EXPECT_EQ(m.status, 1) << m.err;
  EXPECT_EQ(count(m.out, "\"index\":"), 4u) << m.out;
  const Measured t = run_hoks(s, validate_args(file));
  EXPECT_NE(t.out.find("stream.ndjson:2:2: error[syntax]"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("error[wrong-type]"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("stream.ndjson:5:6: error[syntax]"), std::string::npos) << t.out;
  // The same stream as a .json file is recognised as NDJSON from its first line.
  const Measured automatic = run_hoks(s, validate_args(s.write("stream.json", text)));
  EXPECT_NE(automatic.out.find("stream.json:2:2: error[syntax]"), std::string::npos) << automatic.out;
  EXPECT_NE(automatic.out.find("error[wrong-type]"), std::string::npos) << automatic.out;
}

TEST(Hostile, LimitOptionsRejectNonsense) {
  Scratch s;
  const fs::path file = s.write("doc.json", "{}");
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"--max-depth", "-1"}, {"--max-depth", "lots"}, {"--max-documents", "99999999999999"},
           {"--max-string-length", "12 parsecs"}, {"--max-findings-per-document", "x"}}) {
    const Measured m = run_hoks(s, validate_args(file, bad));
    EXPECT_EQ(m.status, 2) << bad[0] << " " << bad[1] << ": " << m.out;
    EXPECT_NE(m.err.find(bad[0]), std::string::npos) << m.err;
  }
}

// The model's pattern compiler: repetition counts past the limit are refused without overflowing,
// and nested repetitions that would need millions of states are refused before they are built.
TEST(Hostile, PatternCompilerRefusesExplosiveRepetitions) {
  std::string error;
  EXPECT_FALSE(hoks::Pattern::compile("a{99999999999}", &error));
  EXPECT_EQ(error.rfind("bad repetition count", 0), 0u) << error;
  EXPECT_FALSE(hoks::Pattern::compile("((a{1000}){1000}){1000}", &error));
  EXPECT_EQ(error, "pattern too complex");
  const auto fine = hoks::Pattern::compile("^(ab){3,5}$", &error);
  ASSERT_TRUE(fine) << error;
  EXPECT_TRUE(fine->find("ababab"));
  EXPECT_FALSE(fine->find("abab"));
}

namespace {

// `hoks convert ARGS... FILE` (English messages).
std::vector<std::string> convert_args(const fs::path& file, std::vector<std::string> extra) {
  std::vector<std::string> args{"convert", "--lang", "en"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file.string());
  return args;
}

std::string profile(const std::string& name) { return (hoks::test::source_dir() / "schema/profiles" / name).string(); }

}  // namespace

TEST(Hostile, XmlEntityExpansionAndExternalEntitiesAreRefusedAtTheDoctype) {
  Scratch s;
  // Billion laughs: ten levels of ten references, 3 GB if expanded.
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE hoks [\n <!ENTITY l0 \"lol\">\n";
  for (int i = 1; i <= 10; ++i) {
    laughs += " <!ENTITY l" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) laughs += "&l" + std::to_string(i - 1) + ";";
    laughs += "\">\n";
  }
  laughs += "]>\n<hoks><sahkoposti>&l10;</sahkoposti></hoks>\n";
  const std::string external =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE hoks [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
      "<hoks><oppija-oid>&xxe;</oppija-oid></hoks>\n";
  const std::string parameter =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE hoks [ <!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p; ]>\n<hoks/>\n";
  for (const auto& [name, text] : {std::pair{"laughs.xml", laughs}, {"external.xml", external}, {"parameter.xml", parameter}}) {
    const fs::path file = s.write(name, text);
    for (const auto& from : {std::string("xml"), profile("example-vendor-xml.yaml")}) {
      const Measured m = run_hoks(s, validate_args(file, {"--from", from}));
      EXPECT_EQ(m.status, 1) << name << " --from " << from << ": " << m.err;
      EXPECT_NE(m.out.find(std::string(name) + ":2:1: error[syntax]"), std::string::npos) << name << ": " << m.out;
      EXPECT_NE(m.out.find("the XML contains a DTD (DOCTYPE), which is not allowed"), std::string::npos) << m.out;
      EXPECT_EQ(m.out.find("root:"), std::string::npos) << "the external entity was read";
      EXPECT_EQ(m.out.find("lollol"), std::string::npos) << "an entity was expanded";
      expect_bounded(m, text.size());
    }
    const Measured c = run_hoks(s, convert_args(file, {"--from", "xml", "--to", "json"}));
    EXPECT_EQ(c.status, 1) << name;
    EXPECT_TRUE(c.out.empty()) << "no JSON is written from a refused document: " << c.out;
    EXPECT_NE(c.err.find(std::string(name) + ":2:1: error[syntax]"), std::string::npos) << c.err;
    expect_bounded(c, text.size());
  }
  // Without a DTD an entity reference cannot be defined: it is a finding where it stands.
  const fs::path undefined = s.write("undefined.xml", "<hoks>\n  <sahkoposti>a&nbsp;b</sahkoposti>\n</hoks>\n");
  const Measured u = run_hoks(s, validate_args(undefined, {"--from", "xml"}));
  EXPECT_EQ(u.status, 1);
  EXPECT_NE(u.out.find("undefined.xml:2:16: error[syntax]"), std::string::npos) << u.out;
  EXPECT_NE(u.out.find("undefined entity reference"), std::string::npos) << u.out;
}

TEST(Hostile, DeepAndHugeXmlEndsInFindingsWithinBounds) {
  Scratch s;
  std::string deep = "<hoks>";
  for (int i = 0; i < 200000; ++i) deep += "<a>";
  deep += "x";
  for (int i = 0; i < 200000; ++i) deep += "</a>";
  deep += "</hoks>";
  const Measured d = run_hoks(s, validate_args(s.write("deep.xml", deep), {"--from", "xml"}));
  EXPECT_EQ(d.status, 1) << d.err;
  EXPECT_NE(d.out.find("deep.xml:1:7: error[unknown-key]"), std::string::npos) << d.out.substr(0, 1000);
  EXPECT_NE(d.out.find("warning[unmapped-input]"), std::string::npos) << "the nested content is not dropped silently";
  expect_bounded(d, deep.size(), 64);

  const std::string text = "<hoks>\n<oppija-oid>" + std::string(64 << 20, 'a') + "</oppija-oid></hoks>";
  const Measured m = run_hoks(s, validate_args(s.write("long.xml", text), {"--from", "xml"}));
  EXPECT_EQ(m.status, 2) << m.err;
  EXPECT_NE(m.out.find("a string is too long"), std::string::npos) << m.out.substr(0, 500);
  EXPECT_NE(m.out.find("long.xml:2:1: error[limit-exceeded]"), std::string::npos) << "where the value is: " << m.out.substr(0, 500);
  EXPECT_LT(m.out.size(), 4096u) << "the report must not echo the string";
  // --max-string-length applies to converted input too, at the value's place in the input.
  const std::string tight = "<hoks>\n<sahkoposti>" + std::string(300, 'b') + "@example.fi</sahkoposti>\n</hoks>\n";
  const Measured t = run_hoks(s, validate_args(s.write("tight.xml", tight), {"--from", "xml", "--max-string-length", "100"}));
  EXPECT_EQ(t.status, 2) << t.err;
  EXPECT_NE(t.out.find("tight.xml:2:1: error[limit-exceeded]"), std::string::npos) << t.out.substr(0, 500);
  EXPECT_NE(t.out.find("a string is too long"), std::string::npos) << t.out.substr(0, 500);
  expect_bounded(m, text.size());

  const Measured cut = run_hoks(s, validate_args(s.write("cut.xml", text.substr(0, text.size() - 10)), {"--from", "xml"}));
  EXPECT_EQ(cut.status, 1);
  EXPECT_NE(cut.out.find("the XML is not well-formed"), std::string::npos) << cut.out.substr(0, 500);
  expect_bounded(cut, text.size());
}

TEST(Hostile, UnterminatedCsvQuotesAreFindingsAtTheOpeningQuote) {
  Scratch s;
  // A vendor file (the example profile: ';' delimited, Windows-1252) whose third row opens a quote
  // that never closes: the whole rest of the file would be one field.
  const std::string vendor = hoks::test::read(hoks::test::source_dir() / "fixtures/vendor/opinto.csv");
  const std::size_t second_row = vendor.find('\n', vendor.find('\n') + 1) + 1;
  std::string broken = vendor.substr(0, second_row) + "1.2.246.562.24.44651722625;\"open";
  for (int i = 0; i < 100000; ++i) broken += ";more text\r\n";
  const fs::path file = s.write("opinto.csv", broken);
  const Measured m = run_hoks(s, validate_args(file, {"--from", profile("example-vendor-csv.yaml")}));
  EXPECT_EQ(m.status, 1) << m.err;
  EXPECT_NE(m.out.find("opinto.csv:3:28: error[syntax]"), std::string::npos) << m.out.substr(0, 1000);
  EXPECT_NE(m.out.find("a quoted field is never closed"), std::string::npos) << m.out.substr(0, 1000);
  expect_bounded(m, broken.size());

  std::string plain = "a,b\n1,2\n3,\"open";
  for (int i = 0; i < 100000; ++i) plain += ",more text\r\n";
  const Measured rows = run_hoks(s, convert_args(s.write("rows.csv", plain), {"--from", "csv-rows", "--to", "json"}));
  EXPECT_EQ(rows.status, 1);
  EXPECT_TRUE(rows.out.empty()) << "no JSON is written from a refused file";
  EXPECT_NE(rows.err.find("rows.csv:3:3: error[syntax]"), std::string::npos) << rows.err.substr(0, 1000);
  expect_bounded(rows, plain.size());

  // The canonical CSV directory: the quote opens in the last line of HOKS.csv.
  const fs::path example_json = s.write("example.json", example());
  const fs::path dir = s.dir() / "tables";
  ASSERT_EQ(run_hoks(s, convert_args(example_json, {"--from", "json", "--to", "csv", "-o", dir.string()})).status, 0);
  { std::ofstream(dir / "HOKS.csv", std::ios::binary | std::ios::app) << "\"open,"; }
  const Measured canonical = run_hoks(s, validate_args(dir, {"--from", "csv"}));
  EXPECT_EQ(canonical.status, 1) << canonical.err;
  EXPECT_NE(canonical.out.find("HOKS.csv:3:1: error[syntax]"), std::string::npos) << canonical.out;
  EXPECT_NE(canonical.out.find("a quoted field is never closed"), std::string::npos) << canonical.out;
}
