#include "report/finding_pool.hpp"

#include <utility>

namespace hoks::detail {
namespace {

// Enough for the findings of the units a thread has in flight; a document with thousands of
// findings does not keep them all.
constexpr std::size_t pool_cap = 1024;
constexpr std::size_t report_cap = 256, report_findings_cap = 16;  // reports, and the room each keeps (under 1 MB in all)

std::vector<Finding>& pool() {
  thread_local std::vector<Finding> findings;
  return findings;
}

std::vector<DocumentReport>& report_pool() {
  thread_local std::vector<DocumentReport> reports;
  return reports;
}

}  // namespace

Finding& add_pooled_finding(std::vector<Finding>& out) {
  std::vector<Finding>& p = pool();
  if (p.empty()) return out.emplace_back();
  Finding& f = out.emplace_back(std::move(p.back()));
  p.pop_back();
  return f;
}

DocumentReport take_report() {
  std::vector<DocumentReport>& p = report_pool();
  if (p.empty()) return DocumentReport{};
  DocumentReport r = std::move(p.back());
  p.pop_back();
  return r;
}

void recycle_findings(std::vector<DocumentReport>& reports) {
  std::vector<Finding>& p = pool();
  std::vector<DocumentReport>& rp = report_pool();
  for (DocumentReport& r : reports) {
    if (p.capacity() == 0) p.reserve(pool_cap);
    for (Finding& f : r.findings) {
      if (p.size() == pool_cap) break;
      p.push_back(std::move(f));
    }
    r.findings.clear();
    if (rp.size() == report_cap) continue;
    if (r.findings.capacity() > report_findings_cap) std::vector<Finding>().swap(r.findings);
    rp.push_back(std::move(r));
  }
  reports.clear();
}

}  // namespace hoks::detail
