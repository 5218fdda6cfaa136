// Internal: findings kept with their strings' capacity, so that a thread's next findings are
// written into memory it already has (no allocation per finding once the pool is warm).
#pragma once

#include <vector>

#include "hoks/report/finding.hpp"

namespace hoks::detail {

// A finding from this thread's pool, or a new one. Its fields hold stale values: assign them all.
Finding take_finding();
// Moves the findings of `reports` into this thread's pool (up to its cap) and clears them.
void recycle_findings(std::vector<DocumentReport>& reports);

}  // namespace hoks::detail
