// hoks serve: a local eHOKS-compatible sandbox (ehoks-model.md §4) over SQLite storage.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "hoks/check/checks.hpp"
#include "hoks/report/finding.hpp"

namespace hoks::serve {

// One HTTP request as the handler sees it; header names in lower case.
struct Request {
  std::string method;
  std::string path;                                // without the query string
  std::multimap<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> headers;
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::string log;  // a note for the server log ("" if none), e.g. the body-id quirk of §4.4
};

struct SandboxOptions {
  std::string db = "hoks-sandbox.db";    // SQLite file, or ":memory:"
  // true: an answered write survives an OS crash or power loss too (an fsync per write); false: it
  // survives the server's crash or kill (the write is in the OS before the answer), no fsync.
  bool durable = false;
  std::string study_rights;              // folder of KOSKI study rights (one JSON file each), "" for none
  std::optional<Date> today;             // date of date-relative rules (default: the system's date)
  std::optional<std::string> ticket;     // the only accepted `ticket` (default: any)
  std::optional<std::string> clerk_ticket;  // a ticket of a non-PALVELU user (403), for testing clients
  bool strict_body_id = false;           // PUT/PATCH: 400 when the body id differs from the path id
  std::size_t keep_requests = 1000;      // requests kept for /_sandbox/requests (0: none)
};

// The request handler: a pure function of the request and the store. Thread-safe.
class Sandbox {
 public:
  // Opens (and creates or migrates) the store; throws std::runtime_error with a message on failure.
  explicit Sandbox(SandboxOptions options);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Answers one request as eHOKS would (and the /_sandbox routes); keeps it for /_sandbox/requests.
  Response handle(const Request& request);

  // Keeps a request that the HTTP layer answered by itself (413, an unreadable request) for
  // /_sandbox/requests, as handle() keeps the others.
  void keep(const Request& request, const Response& response);

  struct Seeded {
    std::string file;
    Response response;
    std::vector<Finding> findings;  // hokskit's findings of the file, with line:column in it
  };
  // POSTs each *.json file of `dir` (by name) through handle(), as a client would; throws
  // std::runtime_error when `dir` is not a folder or a file cannot be read.
  std::vector<Seeded> seed(const std::string& dir);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The base path of every eHOKS route.
inline constexpr std::string_view base_path = "/ehoks-virkailija-backend/api/v1";

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                              // 0: any free port
  std::size_t max_document_size = 10u << 20;    // bytes of a request body (413 past it)
  int read_timeout_seconds = 10;                // a client that sends nothing for this long is dropped
  int write_timeout_seconds = 10;
  // A connection holds a worker thread for as long as it is kept alive, so `threads` is how many
  // connections are served at once; more wait until one closes. 32: twice the benchmark's 16.
  int threads = 32;
  // Requests answered on one keep-alive connection before it is closed (httplib's default is 5).
  // A bound, so that connections past `threads` wait for a turn, not for an idle timeout.
  int keep_alive_requests = 100;
};

// Serves `sandbox` over HTTP until stop() is called (from any thread).
class Server {
 public:
  using Log = std::function<void(const std::string& line)>;
  Server(Sandbox& sandbox, ServerOptions options, Log log);
  ~Server();
  // Binds; returns the port (the chosen one for port 0); throws std::runtime_error when it cannot.
  int bind();
  // Accepts requests until stop(); returns after in-flight requests are answered.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoks::serve
