// General morphological analysis: a field of parameters with values, cross-consistency
// assessment (pairwise exclusions) and the solution space as a binary constraint problem.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <vector>

namespace holon_scenarios::morphological {

using Configuration = std::vector<int>; // one value index per parameter

// Which value pairs may co-occur. Judgements are intersected: once a pair is excluded by any
// judgement, no later judgement re-admits it.
class CrossConsistency {
public:
    explicit CrossConsistency(std::vector<int> value_counts);
    const std::vector<int> &value_counts() const { return counts_; }
    int parameter_count() const { return static_cast<int>(counts_.size()); }
    // allowed == false excludes the pair for good; allowed == true leaves it as it is.
    void judge(int p, int a, int q, int b, bool allowed);
    bool allowed(int p, int a, int q, int b) const;
    uint64_t exclusion_count() const;

private:
    size_t index(int p, int a, int q, int b) const;
    std::vector<int> counts_, offsets_;
    int size_ = 0;
    std::vector<char> ok_;
};

struct SolveOptions {
    std::vector<int> fixed;  // per parameter: -1 free, else the value it is fixed to (inference)
    uint64_t cap = 1000;     // configurations listed
    double time_budget_seconds = 0;
    std::function<bool()> cancelled;
};

struct SolveResult {
    uint64_t count = 0;                          // consistent configurations (exact when complete)
    std::vector<Configuration> listed;           // the first `cap`, in lexicographic order
    std::vector<std::vector<uint64_t>> survival; // [p][v]: configurations containing value v of p
    bool complete = true;
    bool cancelled = false;
    bool truncated() const { return !complete || count > listed.size(); }
};

// Backtracking with forward checking over bit-set domains (at most 64 values per parameter).
SolveResult solve(const CrossConsistency &cc, const SolveOptions &options = {});

// Von Reibnitz consistency ratings: symmetric 1..5 per value pair, 1 excludes the pair. Several
// ratings of one pair keep the lowest.
class ConsistencyRatings {
public:
    ConsistencyRatings(std::vector<int> value_counts, int unrated);
    void rate(int p, int a, int q, int b, int rating);
    int rating(int p, int a, int q, int b) const;
    const std::vector<int> &value_counts() const { return counts_; }
    // The exclusions implied by rating 1.
    CrossConsistency exclusions() const;

private:
    size_t index(int p, int a, int q, int b) const;
    std::vector<int> counts_, offsets_;
    int size_ = 0;
    std::vector<int> r_;
    std::set<size_t> rated_; // pairs judged at least once
};

struct RankedBundle {
    Configuration configuration;
    int64_t sum = 0; // sum of the ratings of all pairs
    int min = 0;     // the weakest pair
};

struct RankResult {
    std::vector<RankedBundle> bundles; // best `top` by sum, then by min, then lexicographic
    uint64_t count = 0;                // bundles without a pair rated 1
    bool complete = true;
};
RankResult rank_bundles(const ConsistencyRatings &ratings, uint64_t top, const SolveOptions &options = {});

} // namespace holon_scenarios::morphological
