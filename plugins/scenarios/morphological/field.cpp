#include "morphological/field.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <stdexcept>

namespace holon_scenarios::morphological {
namespace {

void layout(const std::vector<int> &counts, std::vector<int> &offsets, int &size) {
    for (int c : counts) {
        if (c < 1 || c > 64) throw std::invalid_argument("a parameter needs 1 to 64 values");
        offsets.push_back(size);
        size += c;
    }
}

} // namespace

CrossConsistency::CrossConsistency(std::vector<int> value_counts) : counts_(std::move(value_counts)) {
    layout(counts_, offsets_, size_);
    ok_.assign(static_cast<size_t>(size_) * static_cast<size_t>(size_), 1);
}

size_t CrossConsistency::index(int p, int a, int q, int b) const {
    if (p == q) throw std::invalid_argument("a pair needs two different parameters");
    if (p < 0 || q < 0 || p >= parameter_count() || q >= parameter_count() || a < 0 || b < 0 ||
        a >= counts_[static_cast<size_t>(p)] || b >= counts_[static_cast<size_t>(q)])
        throw std::invalid_argument("value out of range");
    return static_cast<size_t>(offsets_[static_cast<size_t>(p)] + a) * static_cast<size_t>(size_) +
           static_cast<size_t>(offsets_[static_cast<size_t>(q)] + b);
}

void CrossConsistency::judge(int p, int a, int q, int b, bool allowed) {
    if (allowed) return; // intersection: "allowed" never re-admits an excluded pair
    ok_[index(p, a, q, b)] = 0;
    ok_[index(q, b, p, a)] = 0;
}

bool CrossConsistency::allowed(int p, int a, int q, int b) const { return ok_[index(p, a, q, b)] != 0; }

uint64_t CrossConsistency::exclusion_count() const {
    uint64_t n = 0;
    for (int p = 0; p < parameter_count(); ++p)
        for (int q = p + 1; q < parameter_count(); ++q)
            for (int a = 0; a < counts_[static_cast<size_t>(p)]; ++a)
                for (int b = 0; b < counts_[static_cast<size_t>(q)]; ++b) n += allowed(p, a, q, b) ? 0u : 1u;
    return n;
}

namespace {

struct Solver {
    const CrossConsistency &cc;
    const SolveOptions &o;
    SolveResult &r;
    int n;
    // compat[p][a][q]: bit set of the values of q allowed with value a of p.
    std::vector<std::vector<std::vector<uint64_t>>> compat;
    Configuration current;
    uint64_t nodes = 0;
    bool stop = false;
    std::chrono::steady_clock::time_point deadline;

    Solver(const CrossConsistency &c, const SolveOptions &opt, SolveResult &res)
        : cc(c), o(opt), r(res), n(c.parameter_count()), current(static_cast<size_t>(n), 0) {
        const auto &counts = cc.value_counts();
        compat.resize(static_cast<size_t>(n));
        for (int p = 0; p < n; ++p) {
            compat[static_cast<size_t>(p)].resize(static_cast<size_t>(counts[static_cast<size_t>(p)]));
            for (int a = 0; a < counts[static_cast<size_t>(p)]; ++a) {
                auto &row = compat[static_cast<size_t>(p)][static_cast<size_t>(a)];
                row.assign(static_cast<size_t>(n), 0);
                for (int q = 0; q < n; ++q)
                    for (int b = 0; b < counts[static_cast<size_t>(q)]; ++b)
                        if (q == p || cc.allowed(p, a, q, b)) row[static_cast<size_t>(q)] |= uint64_t{1} << b;
            }
        }
        r.survival.resize(static_cast<size_t>(n));
        for (int p = 0; p < n; ++p) r.survival[static_cast<size_t>(p)].assign(static_cast<size_t>(counts[static_cast<size_t>(p)]), 0);
        if (o.time_budget_seconds > 0)
            deadline = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(o.time_budget_seconds));
    }

    void poll() {
        if (o.cancelled && o.cancelled()) {
            stop = true;
            r.cancelled = true;
        } else if (o.time_budget_seconds > 0 && std::chrono::steady_clock::now() >= deadline) {
            stop = true;
        }
    }

    // domains[q] for q >= k: the values still compatible with everything assigned.
    void walk(int k, std::vector<uint64_t> &domains) {
        if ((++nodes & 0xFFFu) == 0) poll();
        if (stop) return;
        const uint64_t dom = domains[static_cast<size_t>(k)];
        if (k == n - 1) {
            // The last parameter: every remaining value completes a configuration.
            const uint64_t completions = static_cast<uint64_t>(std::popcount(dom));
            r.count += completions;
            for (int p = 0; p < k; ++p) r.survival[static_cast<size_t>(p)][static_cast<size_t>(current[static_cast<size_t>(p)])] += completions;
            for (uint64_t bits = dom; bits; bits &= bits - 1) {
                const int v = std::countr_zero(bits);
                ++r.survival[static_cast<size_t>(k)][static_cast<size_t>(v)];
                if (r.listed.size() < o.cap) {
                    current[static_cast<size_t>(k)] = v;
                    r.listed.push_back(current);
                }
            }
            return;
        }
        std::vector<uint64_t> next(domains.size());
        for (uint64_t bits = dom; bits; bits &= bits - 1) {
            const int v = std::countr_zero(bits);
            current[static_cast<size_t>(k)] = v;
            const auto &row = compat[static_cast<size_t>(k)][static_cast<size_t>(v)];
            bool wiped = false;
            for (int q = k + 1; q < n; ++q) {
                next[static_cast<size_t>(q)] = domains[static_cast<size_t>(q)] & row[static_cast<size_t>(q)];
                if (next[static_cast<size_t>(q)] == 0) {
                    wiped = true;
                    break;
                }
            }
            if (!wiped) walk(k + 1, next);
            if (stop) return;
        }
    }
};

} // namespace

SolveResult solve(const CrossConsistency &cc, const SolveOptions &options) {
    SolveResult r;
    const int n = cc.parameter_count();
    if (!options.fixed.empty() && options.fixed.size() != static_cast<size_t>(n))
        throw std::invalid_argument("fixed must give one entry per parameter");
    Solver s(cc, options, r);
    if (n == 0) return r;
    std::vector<uint64_t> domains(static_cast<size_t>(n));
    for (int p = 0; p < n; ++p) {
        const int count = cc.value_counts()[static_cast<size_t>(p)];
        const int f = options.fixed.empty() ? -1 : options.fixed[static_cast<size_t>(p)];
        if (f >= count) throw std::invalid_argument("fixed value out of range");
        domains[static_cast<size_t>(p)] = f >= 0 ? uint64_t{1} << f : (count == 64 ? ~uint64_t{0} : (uint64_t{1} << count) - 1);
    }
    s.walk(0, domains);
    r.complete = !s.stop;
    return r;
}

ConsistencyRatings::ConsistencyRatings(std::vector<int> value_counts, int unrated) : counts_(std::move(value_counts)) {
    layout(counts_, offsets_, size_);
    r_.assign(static_cast<size_t>(size_) * static_cast<size_t>(size_), unrated);
}

size_t ConsistencyRatings::index(int p, int a, int q, int b) const {
    if (p == q) throw std::invalid_argument("a pair needs two different parameters");
    return static_cast<size_t>(offsets_[static_cast<size_t>(p)] + a) * static_cast<size_t>(size_) +
           static_cast<size_t>(offsets_[static_cast<size_t>(q)] + b);
}

void ConsistencyRatings::rate(int p, int a, int q, int b, int rating) {
    if (rating < 1 || rating > 5) throw std::invalid_argument("consistency ratings run from 1 to 5");
    int &x = r_[index(p, a, q, b)];
    int &y = r_[index(q, b, p, a)];
    // Several judgements of one pair: the most critical wins, so an exclusion is never undone.
    const bool first = rated_.insert(index(std::min(p, q), p < q ? a : b, std::max(p, q), p < q ? b : a)).second;
    x = y = first ? rating : std::min(x, rating);
}

int ConsistencyRatings::rating(int p, int a, int q, int b) const { return r_[index(p, a, q, b)]; }

CrossConsistency ConsistencyRatings::exclusions() const {
    CrossConsistency cc(counts_);
    for (size_t p = 0; p < counts_.size(); ++p)
        for (size_t q = p + 1; q < counts_.size(); ++q)
            for (int a = 0; a < counts_[p]; ++a)
                for (int b = 0; b < counts_[q]; ++b)
                    if (rating(static_cast<int>(p), a, static_cast<int>(q), b) <= 1)
                        cc.judge(static_cast<int>(p), a, static_cast<int>(q), b, false);
    return cc;
}

RankResult rank_bundles(const ConsistencyRatings &ratings, uint64_t top, const SolveOptions &options) {
    SolveOptions all = options;
    all.cap = UINT64_MAX;
    const SolveResult s = solve(ratings.exclusions(), all);
    RankResult r;
    r.count = s.count;
    r.complete = s.complete;
    const int n = static_cast<int>(ratings.value_counts().size());
    for (const Configuration &c : s.listed) {
        RankedBundle b{c, 0, 5};
        for (int p = 0; p < n; ++p)
            for (int q = p + 1; q < n; ++q) {
                const int x = ratings.rating(p, c[static_cast<size_t>(p)], q, c[static_cast<size_t>(q)]);
                b.sum += x;
                b.min = std::min(b.min, x);
            }
        r.bundles.push_back(std::move(b));
    }
    std::sort(r.bundles.begin(), r.bundles.end(), [](const RankedBundle &a, const RankedBundle &b) {
        if (a.sum != b.sum) return a.sum > b.sum;
        if (a.min != b.min) return a.min > b.min;
        return a.configuration < b.configuration;
    });
    if (r.bundles.size() > top) r.bundles.resize(static_cast<size_t>(top));
    return r;
}

} // namespace holon_scenarios::morphological
