// Internal: the requests the sandbox answered, with hokskit's findings, for /_sandbox/requests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "hoks/model/catalog.hpp"
#include "hoks/report/finding.hpp"

namespace hoks::serve {

struct KeptRequest {
  std::uint64_t seq = 0;  // 1, 2, ... in the order the answers were given
  std::string time;       // ISO-8601 UTC instant the request arrived
  std::string method, path, query;
  int status = 0;
  std::string body;       // the request body (cut at max_body bytes)
  std::size_t body_bytes = 0;
  std::string response;   // the answer's body (cut at max_body bytes)
  std::vector<Finding> findings;  // with line:column in `body`
};

// The last `max_requests` requests (fewer when their bodies pass max_bytes together). Thread-safe.
class RequestLog {
 public:
  static constexpr std::size_t max_body = 256u << 10;
  static constexpr std::size_t max_bytes = 32u << 20;
  explicit RequestLog(std::size_t max_requests) : max_requests_(max_requests) {}

  // Keeps `r` (its seq is given here), dropping the oldest past the bounds.
  void add(KeptRequest r);
  // JSON of the kept requests with seq > after, oldest first, at most `limit`; bodies when asked.
  std::string json(std::uint64_t after, std::size_t limit, bool bodies) const;
  // An html page of the newest `limit` requests (oldest first) in the style of the html report.
  std::string html(std::size_t limit, Lang lang) const;
  void clear();

 private:
  std::size_t max_requests_;
  mutable std::mutex mutex_;
  std::deque<KeptRequest> kept_;
  std::size_t bytes_ = 0;
  std::uint64_t next_ = 1, dropped_ = 0;
};

}  // namespace hoks::serve
