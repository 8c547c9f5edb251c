// Robustness of policies across scenarios: each policy has one outcome value per scenario (the
// same scenarios for every policy, in the same order). Metrics after McPhail et al. 2018 (Earth's
// Future 6:169-191) and Kwakkel, Eker & Pruyt 2016; "worst" and "best" follow the direction
// (larger is better, or smaller is better):
//   worst_case      maximin (minimax when smaller is better)
//   best_case       maximax (minimin)
//   hurwicz         alpha * best + (1 - alpha) * worst
//   laplace         mean over scenarios (principle of insufficient reason)
//   max_regret      max over scenarios of regret_ij = |best policy's value in scenario j - f_ij|
//   regret_p90      90th percentile of the same regrets
//   mean_variance   mean / sd when larger is better, mean * sd when smaller is better (sd ddof 1;
//                   the signal-to-noise form of Kwakkel, Eker & Pruyt 2016)
//   satisficing     share of scenarios meeting the threshold (Starr's domain criterion), when given
//   percentile_skewness ((q90 + q10)/2 - q50) / ((q90 - q10)/2)
//   percentile_kurtosis (q90 - q10) / (q75 - q25)
// Quantiles interpolate linearly between order statistics (numpy's default).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holon_explore::robustness {

struct Options {
    bool larger_is_better = true;
    double hurwicz_alpha = 0.5;
    std::optional<double> threshold; // satisficing: >= (larger better) or <= (smaller better)
};

struct PolicyMetrics {
    std::string policy;
    std::map<std::string, double> metrics; // name -> value (NaN when undefined)
};

struct Robustness {
    std::vector<PolicyMetrics> policies;
    std::map<std::string, std::vector<std::string>> choice; // metric -> the policies it prefers (several on a tie)
};

// values[p][s]: policy p in scenario s. Throws std::invalid_argument when there is no policy or
// the policies have different numbers of scenarios.
Robustness robustness(const std::vector<std::string> &names, const std::vector<std::vector<double>> &values, const Options &options);

} // namespace holon_explore::robustness
