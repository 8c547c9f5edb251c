#include "cib/ensemble.hpp"

#include "cib/balance.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace holon_scenarios::cib {

std::optional<EnsembleRule> ensemble_rule_from_name(std::string_view name) {
    if (name == "all") return EnsembleRule::all;
    if (name == "majority") return EnsembleRule::majority;
    if (name == "sum") return EnsembleRule::sum;
    return std::nullopt;
}

const char *name_of(EnsembleRule rule) {
    switch (rule) {
    case EnsembleRule::all: return "all";
    case EnsembleRule::majority: return "majority";
    case EnsembleRule::sum: return "sum";
    }
    return "?";
}

EnsembleResult ensemble_search(const std::vector<Matrix> &matrices, EnsembleRule rule, const SearchOptions &options) {
    const Matrix total = sum(matrices);
    std::vector<bool> exempt(static_cast<size_t>(total.descriptor_count()), false);
    for (size_t d = 0; d < options.fixed.size(); ++d) exempt[d] = options.fixed[d] >= 0 && options.fixed_exempt;

    EnsembleResult r;
    std::set<Scenario> candidates;
    if (rule == EnsembleRule::sum) {
        SearchResult s = search(total, options);
        r.complete = s.complete;
        r.stopped = s.stopped;
        for (const Found &f : s.scenarios) candidates.insert(f.scenario);
        if (s.count > s.scenarios.size()) r.complete = false;
    }
    // Per-matrix searches list everything they find so that the union is exact.
    SearchOptions each = options;
    each.cap = std::max<uint64_t>(options.cap, 1'000'000);
    for (const Matrix &m : matrices) {
        SearchResult s = search(m, each);
        if (!s.complete) {
            r.complete = false;
            r.stopped = s.stopped;
        }
        if (s.count > s.scenarios.size() && rule != EnsembleRule::sum) r.complete = false;
        if (rule != EnsembleRule::sum)
            for (const Found &f : s.scenarios) candidates.insert(f.scenario);
        r.per_matrix.push_back(std::move(s));
    }
    for (const Scenario &s : candidates) {
        EnsembleScenario e;
        for (const Matrix &m : matrices) {
            const bool ok = evaluate(m, s, exempt).inconsistency <= options.tolerance;
            e.accepted_by.push_back(static_cast<char>(ok));
            e.agreeing += ok ? 1u : 0u;
        }
        const bool keep = rule == EnsembleRule::sum ||
                          (rule == EnsembleRule::all && e.agreeing == matrices.size()) ||
                          (rule == EnsembleRule::majority && 2 * e.agreeing > matrices.size());
        if (!keep) continue;
        const Evaluation ev = evaluate(total, s, exempt);
        e.found = Found{s, ev.total_impact_score, ev.inconsistency, ev.min_margin};
        r.scenarios.push_back(std::move(e));
    }
    std::sort(r.scenarios.begin(), r.scenarios.end(),
              [](const EnsembleScenario &a, const EnsembleScenario &b) { return ranks_before(a.found, b.found); });
    r.count = r.scenarios.size();
    if (r.scenarios.size() > options.cap) r.scenarios.resize(static_cast<size_t>(options.cap));
    return r;
}

} // namespace holon_scenarios::cib
