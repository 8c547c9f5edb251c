#include "cib/succession.hpp"

#include "cib/balance.hpp"

#include <algorithm>
#include <limits>
#include <random>
#include <stdexcept>
#include <unordered_map>

namespace holon_scenarios::cib {

std::optional<TieRule> tie_rule_from_name(std::string_view name) {
    if (name == "keep-else-first") return TieRule::keep_else_first;
    if (name == "first") return TieRule::first;
    if (name == "last") return TieRule::last;
    return std::nullopt;
}

const char *name_of(TieRule rule) {
    switch (rule) {
    case TieRule::keep_else_first: return "keep-else-first";
    case TieRule::first: return "first";
    case TieRule::last: return "last";
    }
    return "?";
}

std::optional<SuccessionMode> succession_mode_from_name(std::string_view name) {
    if (name == "global") return SuccessionMode::global;
    if (name == "adiabatic" || name == "adiabatic-first") return SuccessionMode::adiabatic_first;
    if (name == "adiabatic-max-gap") return SuccessionMode::adiabatic_max_gap;
    return std::nullopt;
}

const char *name_of(SuccessionMode mode) {
    switch (mode) {
    case SuccessionMode::global: return "global";
    case SuccessionMode::adiabatic_first: return "adiabatic-first";
    case SuccessionMode::adiabatic_max_gap: return "adiabatic-max-gap";
    }
    return "?";
}

namespace {

int choose(const std::vector<int64_t> &row, int current, TieRule tie) {
    const int64_t best = *std::max_element(row.begin(), row.end());
    if (tie == TieRule::keep_else_first && row[static_cast<size_t>(current)] == best) return current;
    if (tie == TieRule::last) {
        for (size_t b = row.size(); b-- > 0;)
            if (row[b] == best) return static_cast<int>(b);
    }
    for (size_t b = 0; b < row.size(); ++b)
        if (row[b] == best) return static_cast<int>(b);
    return current;
}

bool is_fixed(const SuccessionOptions &o, size_t d) { return !o.fixed.empty() && o.fixed[d] >= 0; }

} // namespace

Scenario succession_step(const Matrix &m, const Scenario &s, const SuccessionOptions &o) {
    const auto balances = impact_balances(m, s);
    Scenario next = s;
    int64_t widest = -1;
    int mover = -1;
    for (size_t j = 0; j < s.size(); ++j) {
        if (is_fixed(o, j)) continue;
        const int to = choose(balances[j], s[j], o.tie);
        if (to == s[j]) continue;
        if (o.mode == SuccessionMode::global) {
            next[j] = to;
            continue;
        }
        const int64_t gap = balances[j][static_cast<size_t>(to)] - balances[j][static_cast<size_t>(s[j])];
        if (mover < 0 || (o.mode == SuccessionMode::adiabatic_max_gap && gap > widest)) {
            mover = static_cast<int>(j);
            widest = gap;
            next = s;
            next[j] = to;
            if (o.mode == SuccessionMode::adiabatic_first) break;
        }
    }
    return next;
}

Trajectory follow(const Matrix &m, const Scenario &start, const SuccessionOptions &o) {
    Trajectory t;
    std::unordered_map<uint64_t, size_t> seen;
    Scenario s = start;
    for (size_t d = 0; d < s.size(); ++d)
        if (is_fixed(o, d)) s[d] = o.fixed[d];
    for (;;) {
        const uint64_t key = scenario_index(m.variant_counts(), s);
        if (auto it = seen.find(key); it != seen.end()) {
            t.cycle_start = it->second;
            return t;
        }
        seen.emplace(key, t.path.size());
        t.path.push_back(s);
        s = succession_step(m, s, o);
    }
}

BasinResult basins(const Matrix &m, const SuccessionOptions &o, const BasinOptions &bo) {
    if (!o.fixed.empty() && o.fixed.size() != static_cast<size_t>(m.descriptor_count()))
        throw std::invalid_argument("fixed must give one entry per descriptor");
    // The start space: free descriptors vary, fixed ones stay.
    std::vector<int> counts = m.variant_counts();
    for (size_t d = 0; d < counts.size(); ++d)
        if (is_fixed(o, d)) counts[d] = 1;
    uint64_t space = 1;
    for (int c : counts) space = space > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(c)
                                     ? std::numeric_limits<uint64_t>::max()
                                     : space * static_cast<uint64_t>(c);
    BasinResult r;
    r.exhaustive = space <= bo.max_starts;
    r.starts = r.exhaustive ? space : bo.max_starts;

    std::unordered_map<uint64_t, size_t> ends_in; // visited scenario (full index) -> attractor
    std::vector<Attractor> found;
    std::mt19937_64 rng(bo.seed);
    for (uint64_t k = 0; k < r.starts; ++k) {
        if ((k & 0xFFFu) == 0 && bo.cancelled && bo.cancelled()) {
            r.cancelled = true;
            r.starts = k;
            break;
        }
        Scenario s = scenario_at(counts, r.exhaustive ? k : std::uniform_int_distribution<uint64_t>(0, space - 1)(rng));
        for (size_t d = 0; d < s.size(); ++d)
            if (is_fixed(o, d)) s[d] = o.fixed[d];
        std::vector<uint64_t> path;
        std::unordered_map<uint64_t, size_t> on_path;
        size_t attractor = 0;
        for (;;) {
            const uint64_t key = scenario_index(m.variant_counts(), s);
            if (auto it = ends_in.find(key); it != ends_in.end()) {
                attractor = it->second;
                break;
            }
            if (auto it = on_path.find(key); it != on_path.end()) {
                Attractor a;
                for (size_t i = it->second; i < path.size(); ++i) a.states.push_back(scenario_at(m.variant_counts(), path[i]));
                std::rotate(a.states.begin(), std::min_element(a.states.begin(), a.states.end()), a.states.end());
                // Without the memo (see below) a known cycle can be met again: recognise it.
                auto same = std::find_if(found.begin(), found.end(),
                                         [&](const Attractor &f) { return f.states == a.states; });
                attractor = static_cast<size_t>(same - found.begin());
                if (same == found.end()) found.push_back(std::move(a));
                break;
            }
            on_path.emplace(key, path.size());
            path.push_back(key);
            s = succession_step(m, s, o);
        }
        // The memo is bounded; beyond it only speed is lost.
        if (ends_in.size() < 20'000'000)
            for (uint64_t key : path) ends_in.emplace(key, attractor);
        ++found[attractor].basin;
    }
    std::sort(found.begin(), found.end(), [](const Attractor &a, const Attractor &b) {
        if (a.basin != b.basin) return a.basin > b.basin;
        return a.states.front() < b.states.front();
    });
    r.attractors = std::move(found);
    return r;
}

} // namespace holon_scenarios::cib
