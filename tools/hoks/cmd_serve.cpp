// hoks serve (the program hoks-serve, which `hoks serve` runs): a local eHOKS-compatible sandbox
// over HTTP. Parses options and prints; the logic is in libvalidate/src/serve. A program of its own,
// so that hoks itself does not load the HTTP library and OpenSSL on every run.
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

#include "common.hpp"
#include "hoks/batch/engine.hpp"
#include "hoks/report/report.hpp"
#include "hoks/serve/sandbox.hpp"

namespace hoks::cli {
namespace {

struct ServeArgs {
  serve::SandboxOptions sandbox;
  serve::ServerOptions server;
  std::string today, ticket, clerk_ticket, seed;
  int timeout = 10;
};

std::string timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Preloads the documents of `dir`; false when one is rejected. A study right that already has a
// HOKS (a store kept from an earlier run) is skipped.
bool seed(serve::Sandbox& sandbox, const std::string& dir) {
  std::vector<serve::Sandbox::Seeded> seeded;
  try {
    seeded = sandbox.seed(dir);
  } catch (const std::runtime_error& e) {
    throw ToolError{std::string("--seed ") + e.what()};
  }
  bool ok = true;
  for (auto& s : seeded) {
    const serve::Response& res = s.response;
    if (res.status == 200) {
      const auto id = res.body.find("\"id\":");
      std::cerr << "hoks serve: seed " << s.file << ": stored as HOKS "
                << res.body.substr(id + 5, res.body.find('}', id) - id - 5) << "\n";
    } else if (res.body == R"({"error":"HOKS with the same opiskeluoikeus-oid already exists"})") {
      std::cerr << "hoks serve: seed " << s.file << ": skipped, its study right already has a HOKS\n";
      continue;
    } else {
      ok = false;
      std::cerr << "hoks serve: seed " << s.file << ": rejected with " << res.status << " " << res.body << "\n";
    }
    if (s.findings.empty()) continue;
    DocumentReport doc;
    doc.source = s.file;
    doc.findings = std::move(s.findings);
    ReportOptions options;
    options.hints = HintMode::none;
    std::cerr << render_report(ReportFormat::concise, {doc}, Catalog::builtin(), options);
  }
  return ok;
}

int run_serve(ServeArgs& a) {
  if (!a.today.empty()) {
    const auto d = ::hoks::parse_date(a.today);
    if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + a.today + "'"};
    a.sandbox.today = *d;
  }
  if (!a.ticket.empty()) a.sandbox.ticket = a.ticket;
  if (!a.clerk_ticket.empty()) a.sandbox.clerk_ticket = a.clerk_ticket;
  a.server.read_timeout_seconds = a.server.write_timeout_seconds = a.timeout;

  // SIGINT and SIGTERM are taken by one thread (sigwait), which stops the server cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<serve::Sandbox> sandbox;
  try {
    sandbox = std::make_unique<serve::Sandbox>(a.sandbox);
  } catch (const std::runtime_error& e) {
    throw ToolError{e.what()};
  }
  if (!a.seed.empty() && !seed(*sandbox, a.seed))
    throw ToolError{"--seed " + a.seed + ": a seed document was rejected (see above); not starting"};
  std::mutex log_mutex;
  serve::Server server(*sandbox, a.server, [&](const std::string& line) {
    std::lock_guard lock(log_mutex);
    const std::string out = timestamp() + " " + line + "\n";
    std::cerr.write(out.data(), static_cast<std::streamsize>(out.size()));  // one write per line
  });
  int port = 0;
  try {
    port = server.bind();
  } catch (const std::runtime_error& e) {
    throw ToolError{e.what()};
  }
  std::cout << "hoks serve: listening on http://" << a.server.host << ":" << port << serve::base_path << std::endl;
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    {
      std::lock_guard lock(log_mutex);
      std::cerr << timestamp() << " stopping (" << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
    }
    server.stop();
  });
  server.run();
  stopper.join();
  return exit_ok;
}

}  // namespace
}  // namespace hoks::cli

int main(int argc, char** argv) {
  using namespace hoks::cli;
  // Two malloc heaps per core this process may run on, at most eight, for all the worker threads
  // (glibc's default: up to eight per core of the machine). A connection keeps its worker for up
  // to --keep-alive-requests requests, so over time every one of the --threads workers serves
  // some, and a heap keeps what its threads left in it between the idle trims (http.cpp): over
  // 20,000 requests RssAnon grew 0.5 MB with 4 heaps, 2 MB with 8, 8 MB with 128 (ServeMemory).
  mallopt(M_ARENA_MAX, static_cast<int>(std::min(8u, 2 * hoks::usable_cores())));
  CLI::App app{"hoks serve: a local eHOKS-compatible sandbox (HTTP) for integration tests", "hoks serve"};
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = &app;
  cmd->add_option("--host", a->server.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", a->server.port, "Port (0: any free port, printed at start)")->capture_default_str();
  cmd->add_option("--db", a->sandbox.db, "SQLite file of the store (:memory: for none)")->capture_default_str();
  cmd->add_flag("--durable", a->sandbox.durable,
                "An answered write survives a crash of the machine too: an fsync per write (default: of the server)");
  cmd->add_option("--opiskeluoikeudet", a->sandbox.study_rights,
                  "Folder of KOSKI study rights, one JSON file each (re-read when it changes)");
  cmd->add_option("--today", a->today, "The date of date-relative rules (YYYY-MM-DD; default: the system's date)");
  cmd->add_option("--ticket", a->ticket, "Accept only this CAS ticket (default: any)");
  cmd->add_option("--clerk-ticket", a->clerk_ticket, "A ticket of a non-PALVELU user: answered 403");
  cmd->add_flag("--strict-body-id", a->sandbox.strict_body_id,
                "PUT/PATCH: reject a body id that differs from the path id (eHOKS writes the body id's HOKS)");
  cmd->add_option("--max-document-size", a->server.max_document_size, "Largest request body in bytes (413 past it)")
      ->capture_default_str();
  cmd->add_option("--timeout", a->timeout, "Seconds a client may stay silent while sending or receiving")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "Folder of HOKS documents (*.json) POSTed at start; one rejected: exit 2");
  cmd->add_option("--keep-requests", a->sandbox.keep_requests, "Requests kept for /_sandbox/requests (0: none)")
      ->capture_default_str();
  cmd->add_option("--threads", a->server.threads, "Worker threads: connections served at once (others wait their turn)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--keep-alive-requests", a->server.keep_alive_requests,
                  "Requests answered on one keep-alive connection before it is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_tool;
  }
  try {
    return run_serve(*a);
  } catch (const ToolError& e) {
    std::cerr << "hoks serve: " << e.message << "\n";
    return exit_tool;
  } catch (const std::exception& e) {
    std::cerr << "hoks serve: internal error: " << e.what() << "\n";
    return exit_tool;
  }
}
