// Fuzzes the sandbox's request handler (hoks serve): method, path and body, against an in-memory
// store that keeps what earlier inputs created, so PUT/PATCH/GET meet stored HOKSes too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoks/serve/sandbox.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hoks::serve::Sandbox sandbox = [] {
    hoks::serve::SandboxOptions o;
    o.db = ":memory:";
    o.today = hoks::Date{2026, 11, 28};
    o.clerk_ticket = "clerk";
    return hoks::serve::Sandbox(std::move(o));
  }();
  if (size == 0) return 0;
  // The first byte picks the method and headers; then the path up to a newline; the rest is the body.
  static const char* const methods[] = {"GET", "POST", "PUT", "PATCH"};
  const std::uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nl = rest.find('\n');
  hoks::serve::Request req;
  req.method = methods[mode & 3];
  req.path = std::string(hoks::serve::base_path) + std::string(rest.substr(0, nl));
  if (mode & 4) req.path = std::string(rest.substr(0, nl));  // outside the base path too
  if (nl != std::string_view::npos) req.body = std::string(rest.substr(nl + 1));
  if (!(mode & 8)) req.headers["caller-id"] = "fuzz";
  req.headers["ticket"] = (mode & 16) ? "clerk" : "ST-1";
  if (!(mode & 32)) req.headers["content-type"] = "application/json";
  if (mode & 64) req.query.emplace("amount", std::string(rest.substr(0, nl)));
  const hoks::serve::Response res = sandbox.handle(req);
  if (res.status < 200 || res.status > 599) __builtin_trap();
  if (res.status == 500) __builtin_trap();  // the handler never fails on input
  return 0;
}
