#include "cib/monte_carlo.hpp"

#include "cib/balance.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

namespace holon_scenarios::cib {

SearchResult monte_carlo(const Matrix &m, const SearchOptions &options, const MonteCarloOptions &mc) {
    using Clock = std::chrono::steady_clock;
    const auto start_time = Clock::now();
    std::vector<bool> exempt(static_cast<size_t>(m.descriptor_count()), false);
    for (size_t d = 0; d < options.fixed.size(); ++d) exempt[d] = options.fixed[d] >= 0 && options.fixed_exempt;
    SuccessionOptions so = mc.succession;
    so.fixed = options.fixed;

    std::mt19937_64 rng(mc.seed);
    std::set<Scenario> seen;
    SearchResult r;
    r.complete = false;
    auto consider = [&](const Scenario &s) {
        if (seen.count(s)) return;
        const Evaluation e = evaluate(m, s, exempt);
        if (e.inconsistency > options.tolerance) return;
        seen.insert(s);
        r.scenarios.push_back(Found{s, e.total_impact_score, e.inconsistency, e.min_margin});
    };
    for (uint64_t k = 0; k < mc.samples; ++k) {
        if ((k & 0xFFu) == 0) {
            if (options.cancelled && options.cancelled()) {
                r.stopped = StopReason::cancelled;
                break;
            }
            if (options.time_budget_seconds > 0 &&
                std::chrono::duration<double>(Clock::now() - start_time).count() > options.time_budget_seconds) {
                r.stopped = StopReason::time_budget;
                break;
            }
        }
        Scenario s(static_cast<size_t>(m.descriptor_count()));
        for (int d = 0; d < m.descriptor_count(); ++d) {
            const int f = options.fixed.empty() ? -1 : options.fixed[static_cast<size_t>(d)];
            s[static_cast<size_t>(d)] = f >= 0 ? f : std::uniform_int_distribution<int>(0, m.variant_count(d) - 1)(rng);
        }
        consider(s);
        const Trajectory t = follow(m, s, so);
        if (t.fixed_point()) consider(t.path.back());
        ++r.nodes;
    }
    r.count = r.scenarios.size();
    std::sort(r.scenarios.begin(), r.scenarios.end(), ranks_before);
    if (r.scenarios.size() > options.cap) r.scenarios.resize(static_cast<size_t>(options.cap));
    return r;
}

} // namespace holon_scenarios::cib
