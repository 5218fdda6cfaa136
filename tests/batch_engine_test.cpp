// The batch engine (hoks/batch/engine.hpp) on its own: sources, input order, jobs, limits,
// cancellation, progress; and a file truncated while it is read.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "hoks/batch/engine.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/batch/report_sink.hpp"
#include "report/finding_pool.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

std::string example() { return test::read(test::source_dir() / "fixtures" / "examples" / "hoks-example.json"); }

// One line of JSON per document: the example with its line breaks taken out.
std::string example_line() {
  std::string s = example();
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

// Collects what the sink is given, in the order it is given.
struct Collect : BatchSink {
  std::vector<std::string> order;  // "source#index@line rule,rule"
  std::atomic<int> processed{0};
  bool text_seen = true;
  void process(BatchUnit& u) override {
    ++processed;
    if (u.text.empty()) text_seen = false;
  }
  void write(BatchUnit& u) override {
    for (const auto& d : u.documents) {
      std::string s = d.source + "#" + std::to_string(d.index) + "@" + std::to_string(d.line);
      for (const auto& f : d.findings) s += " " + f.rule + ":" + std::to_string(f.location.line);
      order.push_back(s);
    }
  }
};

BatchOptions options(unsigned jobs) {
  BatchOptions o;
  o.validation.today = {2026, 11, 28};
  o.jobs = jobs;
  return o;
}

// A stream of n documents, every seventh with an unknown key, every 13th not well-formed.
std::string ndjson(int n) {
  const std::string line = example_line();
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i % 13 == 5) out += "{\"a\":\n";
    else if (i % 7 == 3) out += "{\"tuntematon\": 1, " + line.substr(line.find('{') + 1) + "\n";
    else out += line + "\n";
  }
  return out;
}

// Every field of a finding, for comparing two of them whole.
std::string everything(const Finding& f) {
  std::string s = f.rule + "|" + std::string(to_string(f.severity)) + "|" + f.path + "|" +
                  std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + "|" + f.location.header +
                  "|" + f.location.file + "|" + std::to_string(f.offset);
  for (const auto& [name, value] : f.args) s += "|" + name + "=" + value;
  return s;
}

// Keeps every finding of every document, whole.
struct KeepAll : BatchSink {
  std::vector<std::vector<std::string>> documents;
  std::vector<std::string> identities;  // each document's report, but for its findings
  void write(BatchUnit& u) override {
    for (const auto& d : u.documents) {
      auto& out = documents.emplace_back();
      identities.push_back(d.source + "|" + std::to_string(d.index) + "|" + std::to_string(d.line) + "|" +
                           std::string(to_string(d.operation)) + "|" + std::to_string(d.not_checked) + "|" + d.id + "|" +
                           d.opiskeluoikeus_oid + "|" + d.oppija_oid);
      for (const auto& f : d.findings) out.push_back(everything(f));
    }
  }
};

}  // namespace

// Findings and document reports are written into ones that earlier documents had (their strings
// keep their memory); nothing of those may show. The thread's pools are filled with a report and
// findings whose every field is set, then a stream whose documents have different findings (one, three or no arguments,
// short and long paths) must give, document by document, what each gives alone on a fresh thread.
TEST(BatchEngine, RecycledFindingsCarryNothingOfTheirLastDocument) {
  const std::string early = test::run(test::hoks_binary() + " gen --profile early --seed 11 --count 60").out;
  ASSERT_GT(early.size(), 10000u);
  std::string stream = ndjson(40) + early;
  std::vector<std::string> lines;
  for (std::size_t p = 0, e; p < stream.size(); p = e + 1) {
    e = stream.find('\n', p);
    lines.push_back(stream.substr(p, e - p));
  }
  std::vector<std::vector<std::string>> alone(lines.size());
  std::vector<std::string> identities(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::thread([&] {  // an empty pool
      std::vector<DocumentReport> reports;
      validate_text(Validator(), "s.ndjson", lines[i], options(1).validation, reports, InputLayout::single);
      const DocumentReport& d = reports.at(0);
      for (const auto& f : d.findings) alone[i].push_back(everything(f));
      identities[i] = d.source + "|" + std::to_string(i) + "|" + std::to_string(i + 1) + "|" +
                      std::string(to_string(d.operation)) + "|0|" + d.id + "|" + d.opiskeluoikeus_oid + "|" + d.oppija_oid;
    }).join();
  }
  for (unsigned jobs : {1u, 2u}) {
    std::vector<DocumentReport> stale(1);
    stale[0].source = "stale-source-with-a-long-name.ndjson";
    stale[0].index = 77;
    stale[0].line = 78;
    stale[0].operation = Operation::update;
    stale[0].not_checked = 5;
    stale[0].id = "12345";
    stale[0].opiskeluoikeus_oid = "1.2.246.562.15.00000000000";
    stale[0].oppija_oid = "1.2.246.562.24.00000000000";
    for (int k = 0; k < 500; ++k) {
      Finding f;
      f.rule = "stale-rule-with-a-long-name";
      f.severity = Severity::error;
      f.path = "/stale/path/" + std::string(200, 'x');
      f.location = {99, 98, "stale header", "stale-file.csv"};
      f.offset = 12345;
      f.args = {{"value", std::string(300, 'v')}, {"koodisto", "stale"}, {"snapshot", "stale"}, {"extra", "stale"}};
      stale[0].findings.push_back(f);
    }
    detail::recycle_findings(stale);
    KeepAll sink;
    ASSERT_TRUE(run_batch(Validator(), {BatchSource::bytes("s.ndjson", stream)}, options(jobs), sink));
    ASSERT_EQ(sink.documents.size(), lines.size());
    EXPECT_EQ(sink.identities, identities) << "jobs " << jobs;
    std::size_t findings = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto expected = alone[i];
      auto got = sink.documents[i];
      // A run says context-missing once (the engine keeps a unit's first, the report the run's).
      const auto drop_note = [](std::vector<std::string>& v) {
        v.erase(std::remove_if(v.begin(), v.end(), [](const std::string& s) { return s.rfind("context-missing|", 0) == 0; }),
                v.end());
      };
      if (i > 0) drop_note(expected), drop_note(got);
      // The line numbers: the stream's, not line 1.
      for (auto& s : expected) {
        const auto bar = s.find('|', s.find('|', s.find('|') + 1) + 1);
        s.replace(bar + 1, s.find(':', bar) - bar - 1, std::to_string(i + 1));
      }
      EXPECT_EQ(got, expected) << "jobs " << jobs << ", document " << i;
      findings += got.size();
    }
    EXPECT_GT(findings, 500u);  // more than the pool held: recycled and new findings both
  }
}

TEST(BatchEngine, UnitsReachTheSinkInInputOrderForAnyJobs) {
  const std::string stream = ndjson(3000);  // megabytes: many units
  std::vector<std::string> reference;
  for (unsigned jobs : {1u, 2u, 4u}) {
    std::vector<BatchSource> sources;
    sources.push_back(BatchSource::bytes("one.json", example()));
    sources.push_back(BatchSource::bytes("many.ndjson", stream));
    sources.push_back(BatchSource::bytes("array.json", "[" + example() + "," + example() + "]"));
    Collect sink;
    ASSERT_TRUE(run_batch(Validator(), sources, options(jobs), sink));
    ASSERT_EQ(sink.order.size(), 1u + 3000u + 2u) << jobs;
    EXPECT_GT(sink.processed.load(), 3);  // the stream is cut into units
    EXPECT_TRUE(sink.text_seen);
    EXPECT_EQ(sink.order[0].rfind("one.json#0@1", 0), 0u);
    EXPECT_EQ(sink.order[1 + 2999].rfind("many.ndjson#2999@3000", 0), 0u) << sink.order[3000];
    EXPECT_NE(sink.order[1 + 3].find(" unknown-key:4"), std::string::npos) << sink.order[4];
    EXPECT_NE(sink.order[1 + 5].find(" syntax:6"), std::string::npos) << sink.order[6];
    EXPECT_EQ(sink.order[3002].rfind("array.json#1@", 0), 0u);
    if (reference.empty()) reference = sink.order;
    EXPECT_EQ(sink.order, reference) << "jobs " << jobs;
  }
}

TEST(BatchEngine, FilesStreamsAndBytesGiveTheSameReports) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-batch-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  const std::string text = ndjson(40);
  std::ofstream(dir / "sub" / "b.ndjson", std::ios::binary) << text;
  std::ofstream(dir / "a.json", std::ios::binary) << example();
  std::ofstream(dir / "notes.txt", std::ios::binary) << "not taken from a folder";
  const auto files = collect_sources({dir.string()});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, (dir / "a.json").string());
  EXPECT_EQ(files[1].size, text.size());
  Collect from_files, from_stream, from_bytes;
  run_batch(Validator(), files, options(2), from_files);
  std::istringstream in(example()), in2(text);
  run_batch(Validator(), {BatchSource::from_stream(files[0].name, in), BatchSource::from_stream(files[1].name, in2)},
            options(2), from_stream);
  run_batch(Validator(), {BatchSource::bytes(files[0].name, example()), BatchSource::bytes(files[1].name, text)},
            options(2), from_bytes);
  EXPECT_EQ(from_files.order.size(), 41u);
  EXPECT_EQ(from_stream.order, from_files.order);
  EXPECT_EQ(from_bytes.order, from_files.order);
  EXPECT_THROW(collect_sources({(dir / "missing.json").string()}), BatchError);
  fs::remove_all(dir);
}

TEST(BatchEngine, TheDocumentLimitEndsAnInputWithOneReport) {
  BatchOptions o = options(2);
  o.limits.max_documents = 2500;
  o.limit_stream_documents = true;  // streams are not counted unless asked (issue 17.2)
  Collect sink;
  run_batch(Validator(), {BatchSource::bytes("many.ndjson", ndjson(3000)), BatchSource::bytes("next.json", example())}, o, sink);
  ASSERT_EQ(sink.order.size(), 2500u + 1u + 1u);
  EXPECT_EQ(sink.order[2500], "many.ndjson#2500@2501 limit-exceeded:2501");  // a limit, not a syntax error (issue 17.7)
  EXPECT_EQ(sink.order[2501].rfind("next.json#0@1", 0), 0u);
}

TEST(BatchEngine, CancellationStopsBeforeTheNextUnitAndProgressCounts) {
  std::atomic<bool> cancel{false};
  BatchOptions o = options(1);
  o.cancel = &cancel;
  std::vector<BatchProgress> seen;
  o.progress = [&](const BatchProgress& p) {
    seen.push_back(p);
    cancel = true;  // after the first unit
  };
  Collect sink;
  const std::string text = ndjson(3000);
  EXPECT_FALSE(run_batch(Validator(), {BatchSource::bytes("many.ndjson", text)}, o, sink));
  ASSERT_FALSE(seen.empty());
  EXPECT_LT(sink.order.size(), 3000u);
  EXPECT_EQ(seen.back().documents, sink.order.size());
  EXPECT_EQ(seen.front().total_bytes, text.size());
  EXPECT_GT(seen.front().bytes, 0u);
  // Not cancelled: the progress ends at every byte and input.
  o.cancel = nullptr;
  seen.clear();
  Collect all;
  EXPECT_TRUE(run_batch(Validator(), {BatchSource::bytes("many.ndjson", text)}, o, all));
  EXPECT_EQ(seen.back().bytes, text.size());
  EXPECT_EQ(seen.back().inputs, 1u);
  EXPECT_EQ(seen.back().documents, 3000u);
}

TEST(BatchEngine, ASinkFailureStopsTheRunAndIsThrown) {
  struct Failing : BatchSink {
    void write(BatchUnit&) override { throw std::runtime_error("disk full"); }
  } sink;
  EXPECT_THROW(run_batch(Validator(), {BatchSource::bytes("many.ndjson", ndjson(3000))}, options(2), sink),
               std::runtime_error);
}

// A file cut short while `hoks validate` and `hoks convert` read it: a finding or exit 2, never a
// signal (a mapped file gave SIGBUS). The truncation races with the reading, at several delays; the
// outcome must be an exit status each time, whenever the cut falls.
TEST(BatchEngine, AFileTruncatedWhileReadIsNotACrash) {
  const fs::path file = fs::temp_directory_path() / ("hoks-truncate-" + std::to_string(::getpid()) + ".json");
  const std::string doc = example();
  std::string big = "[";
  for (int i = 0; i < 6000; ++i) big += (i ? "," : "") + doc;  // tens of megabytes
  big += "]";
  for (const char* command : {"convert --from json --to xml", "validate --today 2026-11-28 --jobs 2"}) {
    for (int delay_ms : {0, 2, 10, 40}) {
      std::ofstream(file, std::ios::binary | std::ios::trunc) << big;
      const pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        const std::string cmd = test::hoks_binary() + " " + command + " " + file.string() + " >/dev/null 2>&1";
        ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      ASSERT_EQ(::truncate(file.c_str(), static_cast<off_t>(big.size() / 3)), 0);
      int status = 0;
      ASSERT_EQ(::waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFEXITED(status)) << command << " after " << delay_ms << " ms: signal " << WTERMSIG(status);
      if (WIFEXITED(status)) EXPECT_LE(WEXITSTATUS(status), 2) << command;
    }
  }
  fs::remove(file);
}

// A unit's results are freed by the thread that processed it, whichever thread wrote it (freed by
// the writing thread, each block went back to another thread's heap under its lock), and each
// unit is written once, in order, for any jobs.
TEST(BatchEngine, AUnitIsFreedByTheThreadThatProcessedIt) {
  struct Marked : BatchUnit::Extra {
    std::thread::id made = std::this_thread::get_id();
    std::atomic<int>* wrong;
    std::atomic<int>* freed;
    Marked(std::atomic<int>* w, std::atomic<int>* f) : wrong(w), freed(f) {}
    ~Marked() override {
      if (std::this_thread::get_id() != made) ++*wrong;
      ++*freed;
    }
  };
  struct Sink : BatchSink {
    std::atomic<int> wrong{0}, freed{0}, made{0};
    std::vector<std::size_t> order;
    void process(BatchUnit& u) override {
      u.extra = std::make_unique<Marked>(&wrong, &freed);
      ++made;
    }
    void write(BatchUnit& u) override { order.push_back(u.seq); }
  };
  for (unsigned jobs : {1u, 2u, 4u}) {
    Sink sink;
    ASSERT_TRUE(run_batch(Validator(), {BatchSource::bytes("many.ndjson", ndjson(3000))}, options(jobs), sink));
    EXPECT_GT(sink.made.load(), 8) << jobs;
    EXPECT_EQ(sink.freed.load(), sink.made.load()) << jobs;
    EXPECT_EQ(sink.wrong.load(), 0) << "jobs " << jobs;
    ASSERT_EQ(sink.order.size(), static_cast<std::size_t>(sink.made.load()));
    for (std::size_t i = 0; i < sink.order.size(); ++i) EXPECT_EQ(sink.order[i], i) << jobs;
  }
}

// A file or bytes in memory are cut by position, each thread reading its own block of 128 KiB
// (the engine's chunk_size); a stream is read in turn. Both must cut the same units (a unit's
// first document keeps context-missing, and a baseline records it there) and give the report that
// validating the whole text gives: block boundaries right before, on and after a line break, between
// the CR and LF of a CRLF, inside a line longer than two blocks, in a run of blank lines, and at the
// end of the input with and without its last line break.
TEST(BatchEngine, InputsCutByPositionGiveTheUnitsAndReportOfAStreamForAnyJobs) {
  constexpr std::size_t block = std::size_t{128} << 10;
  const std::string line = example_line();
  // A document of exactly n bytes (without its line break): the example with an unknown key.
  const auto doc_of = [&](std::size_t n) {
    const std::string head = "{\"tuntematon\": \"";
    const std::string tail = "\", " + line.substr(line.find('{') + 1);
    return head + std::string(n > head.size() + tail.size() ? n - head.size() - tail.size() : 0, 'x') + tail;
  };
  std::vector<std::pair<std::string, std::string>> cases;
  for (const std::string eol : {"\n", "\r\n"}) {
    for (int shift = -2; shift <= 2; ++shift) {
      std::string s = doc_of(block - 1 + shift) + eol;  // its line break around the first boundary
      while (s.size() < block + block / 2) s += line + eol;
      s += std::string(block / 2, ' ') + eol;  // blanks across the second boundary
      for (int i = 0; i < 4; ++i) s += eol;
      s += doc_of(2 * block + 999) + eol;  // a line over two boundaries, starting inside a block
      for (int i = 0; i < 7; ++i) s += line + eol;
      // The end: at a boundary after a line break, at one without it, one byte past one.
      const std::size_t to = (s.size() / block + 2) * block;
      const std::string name = "eol " + std::to_string(eol.size()) + " shift " + std::to_string(shift);
      cases.push_back({name + " end on a boundary", s + doc_of(to - s.size() - eol.size()) + eol});
      cases.push_back({name + " end on a boundary without a line break", s + doc_of(to - s.size())});
      cases.push_back({name + " end past a boundary", s + doc_of(to - s.size() + 1 - eol.size()) + eol});
    }
  }
  // The last block's unit ends at the end when it is less than a block long, else at the block's
  // last line break (and the rest is one more unit): a unit of a block, give or take a byte.
  for (const std::string eol : {"\n", "\r\n"}) {
    for (int d = -1; d <= 1; ++d) {
      const std::string start = doc_of(block + block / 2 - eol.size()) + eol;
      const std::string last = line + "  ";
      const std::string rest = doc_of(block + d - eol.size() - last.size()) + eol;
      cases.push_back({"eol " + std::to_string(eol.size()) + " a last unit of a block " + std::to_string(d), start + rest + last});
      cases.push_back({"eol " + std::to_string(eol.size()) + " a last unit of a block, a line break " + std::to_string(d),
                       start + rest + last.substr(0, last.size() - eol.size()) + eol});
    }
  }
  cases.push_back({"shorter than a block", line + "\n" + line});
  cases.push_back({"one long line", doc_of(3 * block + 5)});
  const auto report = [](unsigned jobs, const BatchSource& source, bool excerpts) {
    std::ostringstream out;
    ReportWriter writer(excerpts ? ReportFormat::full : ReportFormat::json, out, Catalog::builtin(), ReportOptions{});
    ReportSink::Options so;
    so.excerpts = excerpts;
    ReportSink sink(writer, Model::builtin(), Catalog::builtin(), so);
    run_batch(Validator(), {source}, options(jobs), sink);
    writer.finish();
    return out.str();
  };
  for (const auto& [name, text] : cases) {
    std::vector<DocumentReport> docs;
    validate_text(Validator(), "s.ndjson", text, options(1).validation, docs, InputLayout::ndjson);
    const std::string whole = render_report(ReportFormat::json, docs, Catalog::builtin(), ReportOptions{});
    std::istringstream in(text);
    Collect streamed;
    run_batch(Validator(), {BatchSource::from_stream("s.ndjson", in)}, options(1), streamed);
    std::istringstream in_full(text);
    const std::string full = report(1, BatchSource::from_stream("s.ndjson", in_full), true);
    for (unsigned jobs : {1u, 2u, 4u}) {
      Collect cut;
      run_batch(Validator(), {BatchSource::bytes("s.ndjson", text)}, options(jobs), cut);
      EXPECT_EQ(cut.order, streamed.order) << name << ", jobs " << jobs;  // context-missing: the same units
      EXPECT_EQ(report(jobs, BatchSource::bytes("s.ndjson", text), false), whole) << name << ", jobs " << jobs;
      EXPECT_EQ(report(jobs, BatchSource::bytes("s.ndjson", text), true), full) << name << ", jobs " << jobs;
    }
  }
}

// A stream keeps memory flat, so by default its documents are not counted against the limit.
TEST(BatchEngine, StreamsHaveNoDocumentLimitUnlessAsked) {
  BatchOptions o = options(2);
  o.limits.max_documents = 2500;
  Collect sink;
  run_batch(Validator(), {BatchSource::bytes("many.ndjson", ndjson(3000))}, o, sink);
  EXPECT_EQ(sink.order.size(), 3000u);
}

// The report of a batch made by ReportSink is the report of the same documents made at once,
// for any jobs; with redaction the personal values of the input do not appear in it.
TEST(ReportSink, GivesTheWholeReportInInputOrderForAnyJobs) {
  std::string text = ndjson(300);
  const std::string oid = "1.2.246.562.24.44651722625";
  const std::size_t at = text.find(oid + "\"");
  ASSERT_NE(at, std::string::npos);
  text.insert(at + oid.size(), " ");  // a blank after the learner's OID: echoed in a pattern-mismatch finding
  auto report = [&](unsigned jobs, bool redact) {
    std::ostringstream out;
    ReportOptions ro;
    ro.redact = redact;
    ReportWriter writer(ReportFormat::json, out, Catalog::builtin(), ro);
    ReportSink sink(writer, Model::builtin(), Catalog::builtin(), {});
    BatchOptions o = options(jobs);
    run_batch(Validator(), {BatchSource::bytes("many.ndjson", text), BatchSource::bytes("one.json", example())}, o, sink);
    writer.finish();
    return out.str();
  };
  std::vector<DocumentReport> docs;
  ValidationOptions vo = options(1).validation;
  validate_text(Validator(), "many.ndjson", text, vo, docs, InputLayout::ndjson);
  validate_text(Validator(), "one.json", example(), vo, docs);
  const std::string whole = render_report(ReportFormat::json, docs, Catalog::builtin(), ReportOptions{});
  EXPECT_EQ(report(1, false), whole);
  EXPECT_EQ(report(2, false), whole);
  EXPECT_NE(whole.find(oid + " `"), std::string::npos) << "the test needs a finding that echoes the OID";
  const std::string redacted = report(2, true);
  EXPECT_EQ(redacted.find(oid), std::string::npos);
  EXPECT_EQ(redacted, report(1, true));
}

// context-missing is said once in a run: a unit's documents leave it out when an earlier unit
// keeps one, whichever unit is processed first; the report is that of the documents at once.
TEST(ReportSink, SaysContextMissingOnceWhateverOrderItsUnitsAreProcessedIn) {
  auto doc = [](std::uint32_t index) {
    DocumentReport r;
    r.source = "s.ndjson";
    r.index = index;
    r.line = index + 1;
    Finding note;
    note.rule = "context-missing";
    note.severity = Severity::info;
    note.location.line = index + 1;
    note.location.column = 1;
    note.args = {{"count", "3"}};
    Finding code = note;
    code.rule = "unknown-code";
    code.severity = Severity::warning;
    code.path = "/koodi";
    code.location.column = 9;
    code.args = {{"value", "x_1"}, {"koodisto", "x"}, {"snapshot", "2026-01-01"}};
    r.findings = {note, code};
    return r;
  };
  const std::vector<DocumentReport> all = {doc(0), doc(1), doc(2)};
  const std::string whole = render_report(ReportFormat::json, all, Catalog::builtin(), ReportOptions{});
  for (const std::vector<std::size_t>& order : {std::vector<std::size_t>{0, 1, 2}, {2, 1, 0}, {1, 2, 0}}) {
    std::ostringstream out;
    ReportWriter writer(ReportFormat::json, out, Catalog::builtin(), ReportOptions{});
    ReportSink sink(writer, Model::builtin(), Catalog::builtin(), {});
    std::vector<BatchUnit> units(3);
    for (std::size_t s = 0; s < 3; ++s) {
      units[s].source = "s.ndjson";
      units[s].ndjson = true;
      units[s].seq = s;
      units[s].documents = {all[s]};
    }
    for (std::size_t s : order) sink.process(units[s]);
    for (BatchUnit& u : units) sink.write(u);
    writer.finish();
    EXPECT_EQ(out.str(), whole) << order[0] << order[1] << order[2];
  }
}
