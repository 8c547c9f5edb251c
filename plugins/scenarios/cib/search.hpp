// Exhaustive CIB search by branch and bound, and plain enumeration for histograms and as the
// reference the benchmark compares against.
//
// Branch and bound: descriptors are assigned in order while the impact balances of all columns
// are kept incrementally. An assigned descriptor j (variant a) can still hold against rival b only
// if (balance_a - balance_b) plus, for every unassigned descriptor, its most favourable
// contribution to that difference is >= -tolerance; otherwise the subtree is cut. At a leaf the
// test is exact. Work is split over the variants of the first descriptors and shared by threads.
#pragma once

#include "cib/matrix.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace holon_scenarios::cib {

struct SearchOptions {
    int64_t tolerance = 0;      // accept a scenario whose inconsistency is <= tolerance
    std::vector<int> fixed;     // per descriptor: -1 free, else the variant it is fixed to; empty: all free
    bool fixed_exempt = true;   // true: fixed descriptors are interventions and need not be
                                // consistent themselves; false: a filter (they must be)
    uint64_t cap = 10000;       // at most this many scenarios are listed (the best by TIS)
    double time_budget_seconds = 0; // 0: no budget
    std::function<bool()> cancelled; // polled from the worker threads about every 16k nodes
    unsigned threads = 2;
};

struct Found {
    Scenario scenario;
    int64_t total_impact_score = 0;
    int64_t inconsistency = 0;
    int64_t min_margin = 0;
};

// The listing order: higher total impact score first, then lexicographically smaller scenario.
bool ranks_before(const Found &a, const Found &b);

enum class StopReason { none, time_budget, cancelled };

struct SearchResult {
    std::vector<Found> scenarios;     // the best `cap` accepted scenarios, in listing order
    uint64_t count = 0;               // accepted scenarios found (all of them when complete)
    bool complete = true;             // the whole space was searched
    StopReason stopped = StopReason::none;
    uint64_t nodes = 0;               // search-tree nodes visited
    bool truncated() const { return !complete || count > scenarios.size(); }
};

// Throws std::invalid_argument for a malformed `fixed` or cells so large that balances could
// overflow 32 bits.
SearchResult search(const Matrix &m, const SearchOptions &options);

// Every scenario (honouring `fixed`), one at a time, with incremental balances, no pruning.
// visit(scenario, inconsistency, total_impact_score); exempt descriptors as in SearchOptions.
void enumerate(const Matrix &m, const std::vector<int> &fixed, bool fixed_exempt,
               const std::function<void(const Scenario &, int64_t, int64_t)> &visit);

// Inconsistency -> number of scenarios, over the whole space.
std::map<int64_t, uint64_t> inconsistency_histogram(const Matrix &m, const std::vector<int> &fixed = {},
                                                    bool fixed_exempt = true);

} // namespace holon_scenarios::cib
