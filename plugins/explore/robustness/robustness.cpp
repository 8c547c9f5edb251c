#include "robustness/robustness.hpp"

#include "core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace holon_explore::robustness {

Robustness robustness(const std::vector<std::string> &names, const std::vector<std::vector<double>> &values, const Options &o) {
    if (values.empty()) throw std::invalid_argument("robustness needs at least one policy");
    const std::size_t scenarios = values.front().size();
    if (scenarios == 0) throw std::invalid_argument("robustness needs at least one scenario");
    for (std::size_t p = 0; p < values.size(); ++p)
        if (values[p].size() != scenarios)
            throw std::invalid_argument("policy '" + names[p] + "' has " + std::to_string(values[p].size()) + " scenarios, policy '" +
                                        names[0] + "' " + std::to_string(scenarios) + "; every policy needs the same scenarios");
    const double sign = o.larger_is_better ? 1 : -1;
    // The best value any policy reaches in each scenario, for regret.
    std::vector<double> best(scenarios);
    for (std::size_t s = 0; s < scenarios; ++s) {
        best[s] = values[0][s];
        for (const auto &v : values) best[s] = sign * v[s] > sign * best[s] ? v[s] : best[s];
    }
    Robustness out;
    for (std::size_t p = 0; p < values.size(); ++p) {
        const std::vector<double> &v = values[p];
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        const double worst = o.larger_is_better ? *lo : *hi, top = o.larger_is_better ? *hi : *lo;
        std::vector<double> regret(scenarios);
        for (std::size_t s = 0; s < scenarios; ++s) regret[s] = std::fabs(best[s] - v[s]);
        const double m = mean(v), sd = stdev(v, 1);
        const double q10 = quantile(v, 0.1), q25 = quantile(v, 0.25), q50 = quantile(v, 0.5), q75 = quantile(v, 0.75),
                     q90 = quantile(v, 0.9);
        PolicyMetrics pm{names[p], {}};
        pm.metrics["worst_case"] = worst;
        pm.metrics["best_case"] = top;
        pm.metrics["hurwicz"] = o.hurwicz_alpha * top + (1 - o.hurwicz_alpha) * worst;
        pm.metrics["laplace"] = m;
        pm.metrics["max_regret"] = *std::max_element(regret.begin(), regret.end());
        pm.metrics["regret_p90"] = quantile(regret, 0.9);
        pm.metrics["mean_variance"] = o.larger_is_better ? (sd > 0 ? m / sd : std::nan("")) : m * sd;
        pm.metrics["sd"] = sd;
        pm.metrics["q10"] = q10;
        pm.metrics["q50"] = q50;
        pm.metrics["q90"] = q90;
        pm.metrics["percentile_skewness"] = q90 > q10 ? ((q90 + q10) / 2 - q50) / ((q90 - q10) / 2) : std::nan("");
        pm.metrics["percentile_kurtosis"] = q75 > q25 ? (q90 - q10) / (q75 - q25) : std::nan("");
        if (o.threshold) {
            std::size_t ok = 0;
            for (double x : v) ok += (o.larger_is_better ? x >= *o.threshold : x <= *o.threshold) ? 1 : 0;
            pm.metrics["satisficing"] = static_cast<double>(ok) / static_cast<double>(scenarios);
        }
        out.policies.push_back(std::move(pm));
    }
    // Which policies each decision metric prefers: every one within 1e-12 (relative) of the best.
    struct Rule {
        const char *metric;
        int prefer; // +1 larger, -1 smaller
    };
    const int dir = o.larger_is_better ? 1 : -1;
    std::vector<Rule> rules = {{"worst_case", dir}, {"best_case", dir},  {"hurwicz", dir},   {"laplace", dir},
                               {"max_regret", -1},  {"regret_p90", -1}, {"mean_variance", dir}};
    if (o.threshold) rules.push_back({"satisficing", 1});
    for (const Rule &r : rules) {
        double top = std::nan("");
        for (const PolicyMetrics &pm : out.policies) {
            const double x = pm.metrics.at(r.metric);
            if (!std::isnan(x) && (std::isnan(top) || r.prefer * x > r.prefer * top)) top = x;
        }
        if (std::isnan(top)) continue;
        for (const PolicyMetrics &pm : out.policies)
            if (std::fabs(pm.metrics.at(r.metric) - top) <= 1e-12 * std::max(1.0, std::fabs(top)))
                out.choice[r.metric].push_back(pm.policy);
    }
    return out;
}

} // namespace holon_explore::robustness
