#include "report/finding_pool.hpp"

#include <utility>

namespace hoks::detail {
namespace {

// Enough for the findings of the units a thread has in flight; a document with thousands of
// findings does not keep them all.
constexpr std::size_t pool_cap = 1024;

std::vector<Finding>& pool() {
  thread_local std::vector<Finding> findings;
  return findings;
}

}  // namespace

Finding take_finding() {
  std::vector<Finding>& p = pool();
  if (p.empty()) return Finding{};
  Finding f = std::move(p.back());
  p.pop_back();
  return f;
}

void recycle_findings(std::vector<DocumentReport>& reports) {
  std::vector<Finding>& p = pool();
  for (DocumentReport& r : reports) {
    if (p.capacity() == 0) p.reserve(pool_cap);
    for (Finding& f : r.findings) {
      if (p.size() == pool_cap) break;
      p.push_back(std::move(f));
    }
    r.findings.clear();
  }
}

}  // namespace hoks::detail
