#include "cib/search.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <thread>

namespace holon_scenarios::cib {

bool ranks_before(const Found &a, const Found &b) {
    if (a.total_impact_score != b.total_impact_score) return a.total_impact_score > b.total_impact_score;
    return a.scenario < b.scenario;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Problem {
    const Matrix &m;
    int n = 0, total = 0, maxm = 0;
    std::vector<std::vector<int>> allowed; // variants each descriptor may take
    std::vector<char> judged;              // descriptors whose consistency counts

    Problem(const Matrix &matrix, const std::vector<int> &fixed, bool fixed_exempt)
        : m(matrix), n(matrix.descriptor_count()), total(matrix.size()), maxm(matrix.max_variants()) {
        if (!fixed.empty() && fixed.size() != static_cast<size_t>(n))
            throw std::invalid_argument("fixed must give one entry per descriptor");
        int64_t max_abs = 0;
        for (int r = 0; r < total; ++r)
            for (int c = 0; c < total; ++c) max_abs = std::max<int64_t>(max_abs, std::llabs(m.at(r, c)));
        if (max_abs * 2 * (n + 1) > std::numeric_limits<int32_t>::max())
            throw std::invalid_argument("cross-impact cells are too large for exact 32-bit balances");
        for (int d = 0; d < n; ++d) {
            const int f = fixed.empty() ? -1 : fixed[static_cast<size_t>(d)];
            if (f >= m.variant_count(d)) throw std::invalid_argument("fixed variant out of range");
            std::vector<int> vs;
            if (f >= 0) {
                vs.push_back(f);
            } else {
                for (int v = 0; v < m.variant_count(d); ++v) vs.push_back(v);
            }
            allowed.push_back(std::move(vs));
            judged.push_back(static_cast<char>(f < 0 || !fixed_exempt));
        }
    }
};

// suffix[((k * total) + offset(j) + a) * maxm + b]: for unassigned descriptors k..n-1, the sum of
// their most favourable contributions to balance(j,a) - balance(j,b).
std::vector<int32_t> suffix_bounds(const Problem &p) {
    const size_t plane = static_cast<size_t>(p.total) * static_cast<size_t>(p.maxm);
    std::vector<int32_t> suffix(static_cast<size_t>(p.n + 1) * plane, 0);
    for (int k = p.n - 1; k >= 0; --k) {
        int32_t *here = suffix.data() + static_cast<size_t>(k) * plane;
        const int32_t *next = here + plane;
        for (int j = 0; j < p.n; ++j)
            for (int a = 0; a < p.m.variant_count(j); ++a)
                for (int b = 0; b < p.m.variant_count(j); ++b) {
                    // k == j is j's self-impact: while j is unassigned its variant, and so the
                    // row it contributes, is still open like any other descriptor's.
                    int32_t best = std::numeric_limits<int32_t>::min();
                    for (int v : p.allowed[static_cast<size_t>(k)])
                        best = std::max(best, p.m.get(k, v, j, a) - p.m.get(k, v, j, b));
                    const size_t at = static_cast<size_t>(p.m.offset(j) + a) * static_cast<size_t>(p.maxm) +
                                      static_cast<size_t>(b);
                    here[at] = next[at] + best;
                }
    }
    return suffix;
}

struct Shared {
    const Problem &p;
    const SearchOptions &o;
    std::vector<int32_t> suffix;
    std::atomic<bool> stop{false};
    std::atomic<int> reason{static_cast<int>(StopReason::none)};
    Clock::time_point deadline;
    bool has_deadline = false;
};

using WorstOnTop = std::priority_queue<Found, std::vector<Found>, bool (*)(const Found &, const Found &)>;

struct Worker {
    Shared &sh;
    const Problem &p;
    std::vector<int32_t> bal;
    Scenario s;
    uint64_t nodes = 0, count = 0;
    WorstOnTop best{&ranks_before};

    explicit Worker(Shared &shared)
        : sh(shared), p(shared.p), bal(static_cast<size_t>(shared.p.total), 0), s(static_cast<size_t>(shared.p.n), 0) {}

    void poll() {
        if (sh.o.cancelled && sh.o.cancelled()) {
            sh.reason = static_cast<int>(StopReason::cancelled);
            sh.stop = true;
        } else if (sh.has_deadline && Clock::now() >= sh.deadline) {
            int none = static_cast<int>(StopReason::none);
            sh.reason.compare_exchange_strong(none, static_cast<int>(StopReason::time_budget));
            sh.stop = true;
        }
    }

    void add_row(int d, int v, int sign) {
        const int32_t *row = p.m.row(p.m.offset(d) + v);
        int32_t *b = bal.data();
        if (sign > 0)
            for (int c = 0; c < p.total; ++c) b[c] += row[c];
        else
            for (int c = 0; c < p.total; ++c) b[c] -= row[c];
    }

    // Descriptors 0..assigned-1 carry variants; can every judged one still hold?
    bool feasible(int assigned) {
        if ((++nodes & 0x3FFFu) == 0) poll();
        const int32_t tol = static_cast<int32_t>(sh.o.tolerance);
        const int32_t *sfx = sh.suffix.data() + static_cast<size_t>(assigned) * static_cast<size_t>(p.total) *
                                                    static_cast<size_t>(p.maxm);
        for (int j = 0; j < assigned; ++j) {
            if (!p.judged[static_cast<size_t>(j)]) continue;
            const int base = p.m.offset(j), a = s[static_cast<size_t>(j)], cnt = p.m.variant_count(j);
            const int32_t own = bal[static_cast<size_t>(base + a)];
            const int32_t *bound = sfx + static_cast<size_t>(base + a) * static_cast<size_t>(p.maxm);
            for (int b = 0; b < cnt; ++b)
                if (b != a && own - bal[static_cast<size_t>(base + b)] + bound[b] < -tol) return false;
        }
        return true;
    }

    void leaf() {
        ++count;
        if (sh.o.cap == 0) return;
        Found f;
        f.min_margin = std::numeric_limits<int64_t>::max();
        bool any = false;
        for (int j = 0; j < p.n; ++j) {
            const int base = p.m.offset(j), a = s[static_cast<size_t>(j)];
            const int64_t own = bal[static_cast<size_t>(base + a)];
            f.total_impact_score += own;
            if (!p.judged[static_cast<size_t>(j)] || p.m.variant_count(j) == 1) continue;
            int64_t rival = std::numeric_limits<int64_t>::min();
            for (int b = 0; b < p.m.variant_count(j); ++b)
                if (b != a) rival = std::max<int64_t>(rival, bal[static_cast<size_t>(base + b)]);
            any = true;
            f.min_margin = std::min(f.min_margin, own - rival);
        }
        if (!any) f.min_margin = 0;
        f.inconsistency = std::max<int64_t>(0, -f.min_margin);
        if (best.size() >= sh.o.cap && f.total_impact_score < best.top().total_impact_score) return;
        f.scenario = s;
        if (best.size() >= sh.o.cap) {
            if (!ranks_before(f, best.top())) return;
            best.push(std::move(f));
            best.pop();
        } else {
            best.push(std::move(f));
        }
    }

    void dfs(int k) {
        if (k == p.n) {
            leaf();
            return;
        }
        for (int v : p.allowed[static_cast<size_t>(k)]) {
            add_row(k, v, +1);
            s[static_cast<size_t>(k)] = v;
            if (feasible(k + 1)) dfs(k + 1);
            add_row(k, v, -1);
            if (sh.stop.load(std::memory_order_relaxed)) return;
        }
    }
};

// How many leading descriptors to split the work over, and the prefixes themselves.
std::vector<Scenario> prefixes(const Problem &p, unsigned threads, int &depth) {
    std::vector<Scenario> out{Scenario{}};
    depth = 0;
    while (depth < p.n && out.size() < static_cast<size_t>(threads) * 16) {
        std::vector<Scenario> next;
        for (const Scenario &pre : out)
            for (int v : p.allowed[static_cast<size_t>(depth)]) {
                Scenario s = pre;
                s.push_back(v);
                next.push_back(std::move(s));
            }
        out = std::move(next);
        ++depth;
    }
    return out;
}

} // namespace

SearchResult search(const Matrix &m, const SearchOptions &options) {
    Problem p(m, options.fixed, options.fixed_exempt);
    Shared sh{p, options, suffix_bounds(p), {}, {}, {}, false};
    if (options.time_budget_seconds > 0) {
        sh.has_deadline = true;
        sh.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(options.time_budget_seconds));
    }
    const unsigned threads = std::max(1u, options.threads);
    int depth = 0;
    const std::vector<Scenario> tasks = prefixes(p, threads, depth);
    std::atomic<size_t> next_task{0};

    std::vector<Worker> workers;
    workers.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back(sh);
    auto work = [&](Worker &w) {
        for (size_t t = next_task++; t < tasks.size() && !sh.stop; t = next_task++) {
            for (int d = 0; d < depth; ++d) {
                w.s[static_cast<size_t>(d)] = tasks[t][static_cast<size_t>(d)];
                w.add_row(d, w.s[static_cast<size_t>(d)], +1);
            }
            if (w.feasible(depth)) w.dfs(depth);
            for (int d = 0; d < depth; ++d) w.add_row(d, w.s[static_cast<size_t>(d)], -1);
        }
    };
    if (threads == 1 || tasks.size() == 1) {
        work(workers.front());
    } else {
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(workers[t]));
        work(workers.front());
        for (std::thread &t : pool) t.join();
    }

    SearchResult r;
    for (Worker &w : workers) {
        r.count += w.count;
        r.nodes += w.nodes;
        while (!w.best.empty()) {
            r.scenarios.push_back(w.best.top());
            w.best.pop();
        }
    }
    std::sort(r.scenarios.begin(), r.scenarios.end(), ranks_before);
    if (r.scenarios.size() > options.cap) r.scenarios.resize(static_cast<size_t>(options.cap));
    r.stopped = static_cast<StopReason>(sh.reason.load());
    r.complete = !sh.stop;
    return r;
}

void enumerate(const Matrix &m, const std::vector<int> &fixed, bool fixed_exempt,
               const std::function<void(const Scenario &, int64_t, int64_t)> &visit) {
    Problem p(m, fixed, fixed_exempt);
    std::vector<int64_t> bal(static_cast<size_t>(p.total), 0);
    Scenario s(static_cast<size_t>(p.n), 0);
    std::function<void(int)> walk = [&](int k) {
        if (k == p.n) {
            int64_t ic = 0, tis = 0;
            for (int j = 0; j < p.n; ++j) {
                const int base = m.offset(j);
                const int64_t own = bal[static_cast<size_t>(base + s[static_cast<size_t>(j)])];
                tis += own;
                if (!p.judged[static_cast<size_t>(j)]) continue;
                for (int b = 0; b < m.variant_count(j); ++b) ic = std::max(ic, bal[static_cast<size_t>(base + b)] - own);
            }
            visit(s, ic, tis);
            return;
        }
        for (int v : p.allowed[static_cast<size_t>(k)]) {
            const int32_t *row = m.row(m.offset(k) + v);
            for (int c = 0; c < p.total; ++c) bal[static_cast<size_t>(c)] += row[c];
            s[static_cast<size_t>(k)] = v;
            walk(k + 1);
            for (int c = 0; c < p.total; ++c) bal[static_cast<size_t>(c)] -= row[c];
        }
    };
    walk(0);
}

std::map<int64_t, uint64_t> inconsistency_histogram(const Matrix &m, const std::vector<int> &fixed, bool fixed_exempt) {
    std::map<int64_t, uint64_t> h;
    enumerate(m, fixed, fixed_exempt, [&](const Scenario &, int64_t ic, int64_t) { ++h[ic]; });
    return h;
}

} // namespace holon_scenarios::cib
