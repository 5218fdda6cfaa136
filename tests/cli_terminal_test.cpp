// Issue 17.5 and 17.6: colour and the progress line on terminals only (run under pseudo-terminals
// by tests/tools/pty_run.py), standard input read from a terminal, and input without documents.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

namespace fs = std::filesystem;
using hoks::test::run;

namespace {

struct Terminal {
  int status = -1;
  std::string out, err;
};

// Runs `hoks ARGS` with standard input, output and error each a pty or a pipe (pty_run.py's options).
Terminal under_pty(const std::string& how, const std::string& args) {
  const std::string script = (hoks::test::source_dir() / "tests" / "tools" / "pty_run.py").string();
  const auto r = run("python3 " + script + " " + how + " -- " + hoks::test::hoks_binary() + " " + args);
  Terminal t;
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (j.is_discarded()) {
    t.err = "pty_run.py: " + r.out;
    return t;
  }
  t.status = j["status"].get<int>();
  t.out = j["stdout"].get<std::string>();
  t.err = j["stderr"].get<std::string>();
  return t;
}

bool has_escape(const std::string& s) { return s.find("\033[") != std::string::npos; }

std::string example() { return (hoks::test::source_dir() / "fixtures" / "examples" / "hoks-with-findings.json").string(); }

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("hoks-terminal-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
};

}  // namespace

TEST(CliTerminal, ColorAutoColoursATerminalButNotAPipeACiLogOrNoColor) {
  const std::string args = "validate --today 2026-11-28 " + example();
  const Terminal tty = under_pty("--stdout pty", args);
  EXPECT_EQ(tty.status, 1) << tty.err;
  EXPECT_TRUE(has_escape(tty.out)) << tty.out;
  EXPECT_NE(tty.out.find("[oht-tunniste]"), std::string::npos) << tty.out;
  const Terminal pipe = under_pty("--stdout pipe", args);
  EXPECT_EQ(pipe.status, 1);
  EXPECT_FALSE(has_escape(pipe.out)) << pipe.out;
  EXPECT_NE(pipe.out.find("[oht-tunniste]"), std::string::npos);
  // A terminal in CI (the job's log) or with NO_COLOR set: no colour, unless asked for.
  for (const char* env : {"CI=true", "GITHUB_ACTIONS=true", "NO_COLOR=1", "TERM=dumb"}) {
    const Terminal t = under_pty(std::string("--stdout pty --env ") + env, args);
    EXPECT_EQ(t.status, 1) << env;
    EXPECT_FALSE(has_escape(t.out)) << env << ": " << t.out;
  }
  EXPECT_TRUE(has_escape(under_pty("--stdout pty --env NO_COLOR=", args).out)) << "an empty NO_COLOR is not set";
  EXPECT_TRUE(has_escape(under_pty("--stdout pty --env NO_COLOR=1", "validate --color always " + example()).out));
  EXPECT_FALSE(has_escape(under_pty("--stdout pty", "validate --color never " + example()).out));
  EXPECT_TRUE(has_escape(under_pty("--stdout pipe", "validate --color always " + example()).out));
}

TEST(CliTerminal, TheProgressLineGoesToATerminalsStandardErrorOnly) {
  // Standard input that takes 1.5 s to arrive: the run lasts longer than the progress line's 1 s delay.
  Scratch s;
  const fs::path input = s.dir / "one.ndjson";
  std::ofstream(input) << nlohmann::json::parse(hoks::test::read(example())).dump() << "\n";
  const std::string slow = "--stdin slow --slow-delay 1.5 --slow-file " + input.string();
  const std::string args = "validate --today 2026-11-28 -";
  // Standard error a terminal, the report redirected: the line on standard error, and cleared.
  const Terminal progress = under_pty(slow + " --stdout pipe --stderr pty", args);
  EXPECT_EQ(progress.status, 1) << progress.err;
  EXPECT_NE(progress.err.find(" files, 1 documents\033[K"), std::string::npos) << progress.err;
  EXPECT_NE(progress.err.find("\r\033[K"), std::string::npos) << progress.err;
  EXPECT_EQ(progress.out.find('\r'), std::string::npos) << progress.out;
  EXPECT_FALSE(has_escape(progress.out)) << progress.out;
  EXPECT_NE(progress.out.find("[oht-tunniste]"), std::string::npos) << progress.out;
  // Standard error redirected (a log file): no progress line at all, on either stream.
  const Terminal quiet = under_pty(slow + " --stdout pty --stderr pipe", args);
  EXPECT_EQ(quiet.status, 1);
  EXPECT_EQ(quiet.err.find("documents"), std::string::npos) << quiet.err;
  EXPECT_EQ(quiet.out.find("files, "), std::string::npos) << quiet.out;
  // In CI, a terminal's standard error gets none either (its log keeps every carriage return).
  const Terminal ci = under_pty(slow + " --stdout pipe --stderr pty --env CI=1", args);
  EXPECT_EQ(ci.err.find("documents"), std::string::npos) << ci.err;
}

TEST(CliTerminal, StandardInputFromATerminalIsAnnounced) {
  // `hoks validate` with no path on a terminal says it reads standard input; Ctrl-D ends it.
  const Terminal t = under_pty("--stdin pty --eof-delay 0.5 --stdout pipe --stderr pipe", "validate");
  EXPECT_NE(t.err.find("hoks: reading HOKS documents from standard input (end with Ctrl-D"), std::string::npos) << t.err;
  EXPECT_EQ(t.status, 2) << t.err;  // nothing was typed: no documents
  EXPECT_NE(t.err.find("hoks: no documents in the input"), std::string::npos) << t.err;
  // A path given, or standard input redirected: no such line.
  const Terminal file = under_pty("--stdin pty --eof-delay 0 --stdout pipe --stderr pipe", "validate " + example());
  EXPECT_EQ(file.err.find("standard input"), std::string::npos) << file.err;
  const auto piped = run("echo '{}' | " + hoks::test::hoks_binary() + " validate --select syntax 2>&1");
  EXPECT_EQ(piped.out.find("standard input"), std::string::npos) << piped.out;
}

TEST(CliTerminal, NoDocumentsAtAllIsExit2UnlessAllowed) {
  Scratch s;
  fs::create_directories(s.dir / "empty");
  std::ofstream(s.dir / "empty.ndjson").close();
  std::ofstream(s.dir / "blank.ndjson") << "\n  \n";
  const std::string hoks = hoks::test::hoks_binary() + " validate --lang en ";
  for (const std::string input : {(s.dir / "empty").string(), (s.dir / "empty.ndjson").string(),
                                  (s.dir / "blank.ndjson").string(), std::string("- < /dev/null"),
                                  std::string("- <<< ''")}) {
    const auto r = run("bash -c \"" + hoks + input + " 2>&1\"");
    EXPECT_EQ(r.status, 2) << input << ": " << r.out;
    EXPECT_NE(r.out.find("0 documents: valid 0, errors 0"), std::string::npos) << input << ": " << r.out;
    EXPECT_NE(r.out.find("hoks: no documents in the input (an empty folder, file or standard input); give --allow-empty"),
              std::string::npos)
        << input << ": " << r.out;
    const auto allowed = run("bash -c \"" + hoks + "--allow-empty " + input + " 2>&1\"");
    EXPECT_EQ(allowed.status, 0) << input << ": " << allowed.out;
    EXPECT_EQ(allowed.out.find("no documents in the input"), std::string::npos) << allowed.out;
  }
  // An empty .json file is one document that is empty (a syntax finding), not "no documents".
  std::ofstream(s.dir / "empty.json").close();
  const auto file = run(hoks + (s.dir / "empty.json").string() + " 2>&1");
  EXPECT_EQ(file.status, 1) << file.out;
  EXPECT_NE(file.out.find("the document is empty"), std::string::npos) << file.out;
}
