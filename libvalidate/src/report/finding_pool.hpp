// Internal: findings kept with their strings' capacity, so that a thread's next findings are
// written into memory it already has (no allocation per finding once the pool is warm).
#pragma once

#include <vector>

#include "hoks/report/finding.hpp"

namespace hoks::detail {

// Appends a finding from this thread's pool to `out`, or a new one; returns it. Its fields hold
// stale values: assign them all.
Finding& add_pooled_finding(std::vector<Finding>& out);
// A document report from this thread's pool (its findings empty, with room), or a new one.
// Its other fields hold stale values: assign them all.
DocumentReport take_report();
// Moves `reports` and their findings into this thread's pools (up to their caps) and clears it.
void recycle_findings(std::vector<DocumentReport>& reports);

}  // namespace hoks::detail
