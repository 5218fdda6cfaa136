// The HTTP front of the sandbox: cpp-httplib (Debian's libcpp-httplib-dev), one log line per request.
#include <httplib.h>

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <stdexcept>

#include "hoks/serve/sandbox.hpp"

namespace hoks::serve {

struct Server::Impl {
  Sandbox& sandbox;
  ServerOptions options;
  Log log;
  httplib::Server http;
  int socket_port = -1;
  socket_t listen_socket = INVALID_SOCKET;
  // The heaps' free pages go back to the system when no request has come for half a second (a
  // heap keeps the most its threads ever held; with a heap per worker, on a machine of many
  // cores, RssAnon grew 35 MB over 20,000 requests). Trimming by count, every 1,024 requests, cost
  // a GET's p99 2 -> 20 ms: the returned pages were faulted in again at once.
  std::atomic<bool> dirty{false};
  std::atomic<std::int64_t> last_request{0};  // steady_clock ticks
  std::mutex trim_mutex;
  std::condition_variable trim_wake;
  bool stopping = false;  // under trim_mutex
  std::thread trimmer;

  void trim_when_idle() {
    using namespace std::chrono;
    std::unique_lock lock(trim_mutex);
    while (!trim_wake.wait_for(lock, milliseconds(100), [&] { return stopping; })) {
      const auto idle = steady_clock::now().time_since_epoch().count() - last_request.load();
      if (dirty.load() && idle >= duration_cast<steady_clock::duration>(milliseconds(500)).count()) {
        dirty = false;
        malloc_trim(0);
      }
    }
  }

  Impl(Sandbox& s, ServerOptions o, Log l) : sandbox(s), options(std::move(o)), log(std::move(l)) {}

  // The request as the sandbox sees it: header names in lower case, no socket pseudo-headers.
  static Request request(const httplib::Request& in) {
    Request req;
    req.method = in.method;
    req.path = in.path;
    for (const auto& [k, v] : in.params) req.query.emplace(k, v);
    for (const auto& [k, v] : in.headers) {
      if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
      std::string name = k;
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers[name] = v;
    }
    req.body = in.body;
    return req;
  }

  void serve(const httplib::Request& in, httplib::Response& out) {
    const auto start = std::chrono::steady_clock::now();
    const Request req = request(in);
    Response res = sandbox.handle(req);
    out.status = res.status;
    if (!res.body.empty()) out.set_content(res.body, res.content_type.c_str());
    if (log) {
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", ms);
      std::string line = in.method + " " + in.path + " " + std::to_string(res.status) + " " + buf + "ms " +
                         std::to_string(in.body.size()) + "B";
      if (!res.log.empty()) line += " " + res.log;
      log(line);
    }
    last_request = std::chrono::steady_clock::now().time_since_epoch().count();
    dirty = true;
  }
};

Server::Server(Sandbox& sandbox, ServerOptions options, Log log)
    : impl_(std::make_unique<Impl>(sandbox, std::move(options), std::move(log))) {
  auto& http = impl_->http;
  const int threads = impl_->options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  http.set_payload_max_length(impl_->options.max_document_size);
  http.set_read_timeout(impl_->options.read_timeout_seconds, 0);
  http.set_write_timeout(impl_->options.write_timeout_seconds, 0);
  http.set_keep_alive_timeout(5);
  http.set_keep_alive_max_count(static_cast<std::size_t>(impl_->options.keep_alive_requests));
  http.set_tcp_nodelay(true);  // small answers go out at once (no delayed-ACK stalls)
  http.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    impl_->listen_socket = sock;  // the listening socket: bind() widens its queue
  });
  auto handler = [this](const httplib::Request& in, httplib::Response& out) { impl_->serve(in, out); };
  for (const char* pattern : {"/.*"}) {
    http.Get(pattern, handler);
    http.Post(pattern, handler);
    http.Put(pattern, handler);
    http.Patch(pattern, handler);
    http.Delete(pattern, handler);
    http.Options(pattern, handler);
  }
  // Answers httplib gives by itself (413 past --max-document-size, 400 for a broken request line).
  http.set_error_handler([this](const httplib::Request& in, httplib::Response& out) {
    if (!out.body.empty()) return;
    if (out.status == 413) {
      out.set_content(R"x({"error":"Request body is larger than the limit (--max-document-size)"})x",
                      "application/json; charset=utf-8");
    } else if (out.status == 404) {
      out.set_content(R"({"reason":"Route not found"})", "application/json; charset=utf-8");
    }
    Response kept;
    kept.status = out.status;
    kept.body = out.body;
    impl_->sandbox.keep(Impl::request(in), kept);
    if (impl_->log) impl_->log(in.method + " " + in.path + " " + std::to_string(out.status));
  });
}

Server::~Server() = default;

int Server::bind() {
  auto& o = impl_->options;
  if (o.port == 0) impl_->socket_port = impl_->http.bind_to_any_port(o.host);
  else impl_->socket_port = impl_->http.bind_to_port(o.host, o.port) ? o.port : -1;
  if (impl_->socket_port < 0)
    throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port));
  // Debian's httplib listens with a queue of 5 connections: past that, a connection made while
  // the workers are busy could be dropped before its first answer (32 clients at once lost one
  // POST with no answer). The system's maximum instead.
  ::listen(impl_->listen_socket, SOMAXCONN);
  return impl_->socket_port;
}

void Server::run() {
  impl_->trimmer = std::thread([this] { impl_->trim_when_idle(); });
  struct StopTrimmer {
    Impl& impl;
    ~StopTrimmer() {
      {
        std::lock_guard lock(impl.trim_mutex);
        impl.stopping = true;
      }
      impl.trim_wake.notify_all();
      impl.trimmer.join();
    }
  } stop_trimmer{*impl_};
  impl_->http.listen_after_bind();
}

void Server::stop() { impl_->http.stop(); }

}  // namespace hoks::serve
