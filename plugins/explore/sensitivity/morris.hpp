// Morris elementary effects (Morris 1991; mu* after Campolongo, Cariboni & Saltelli 2007).
//
// The experiments are r trajectories of D+1 rows each, one after the other (SALib's morris
// sampler's order). Between two consecutive rows of a trajectory exactly one factor moves, by
// +-Delta in unit-cube coordinates, with Delta = p / (2 (p - 1)) for p levels. The elementary
// effect of that factor is EE = (f(x + Delta e_i) - f(x)) / Delta: the output difference taken
// in the direction of increasing factor value, divided by Delta (as SALib's morris.analyze does,
// whatever the factor's own units).
// Per factor: mu = mean EE, mu* = mean |EE|, sigma = standard deviation of EE with ddof = 1, and
// a bootstrap confidence interval of mu* (z times the ddof-1 standard deviation of mu* over
// `resamples` resamples of the r effects).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace holon_explore::sensitivity {

struct MorrisOptions {
    int levels = 4;
    int resamples = 1000;
    double confidence = 0.95;
    uint64_t seed = 1;
};

struct MorrisFactor {
    double mu = 0, mu_star = 0, sigma = 0, mu_star_conf = 0;
    std::vector<double> effects; // one per trajectory
};

// x[factor][row] and y[row]. Throws std::invalid_argument naming the row when the rows are not
// trajectories (a row count that is not a multiple of D+1, two factors moving at once, a step
// where nothing moves, a factor that never moves in a trajectory).
std::vector<MorrisFactor> morris_indices(const std::vector<std::vector<double>> &x, const std::vector<std::string> &names,
                                         const std::vector<double> &y, const MorrisOptions &options);

double morris_delta(int levels);

} // namespace holon_explore::sensitivity
