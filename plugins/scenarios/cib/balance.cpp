#include "cib/balance.hpp"

#include <algorithm>
#include <limits>

namespace holon_scenarios::cib {

std::vector<std::vector<int64_t>> impact_balances(const Matrix &m, const Scenario &s) {
    std::vector<std::vector<int64_t>> balances(static_cast<size_t>(m.descriptor_count()));
    for (int j = 0; j < m.descriptor_count(); ++j) {
        auto &row = balances[static_cast<size_t>(j)];
        row.assign(static_cast<size_t>(m.variant_count(j)), 0);
        for (int i = 0; i < m.descriptor_count(); ++i) {
            for (int b = 0; b < m.variant_count(j); ++b) row[static_cast<size_t>(b)] += m.get(i, s[static_cast<size_t>(i)], j, b);
        }
    }
    return balances;
}

Evaluation evaluate(const Matrix &m, const Scenario &s, const std::vector<bool> &exempt) {
    Evaluation e;
    e.balances = impact_balances(m, s);
    e.min_margin = std::numeric_limits<int64_t>::max();
    bool any_judged = false;
    for (int j = 0; j < m.descriptor_count(); ++j) {
        const auto &row = e.balances[static_cast<size_t>(j)];
        const int own_variant = s[static_cast<size_t>(j)];
        const int64_t own = row[static_cast<size_t>(own_variant)];
        e.total_impact_score += own;
        int64_t best_rival = std::numeric_limits<int64_t>::min();
        for (int b = 0; b < m.variant_count(j); ++b)
            if (b != own_variant) best_rival = std::max(best_rival, row[static_cast<size_t>(b)]);
        const int64_t margin = m.variant_count(j) == 1 ? 0 : own - best_rival;
        e.margins.push_back(margin);
        if (!exempt.empty() && exempt[static_cast<size_t>(j)]) continue;
        any_judged = true;
        e.min_margin = std::min(e.min_margin, margin);
        e.inconsistency = std::max(e.inconsistency, -margin);
    }
    if (!any_judged) e.min_margin = 0;
    return e;
}

} // namespace holon_scenarios::cib
