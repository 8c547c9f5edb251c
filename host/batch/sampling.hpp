// Where the points of a sweep come from: full factorial grids, Latin hypercube and Monte Carlo
// samples of distributions. Everything is deterministic: the same seed gives the same points on
// every platform, because only std::mt19937_64's raw output (fixed by the C++ standard) is used,
// never the implementation-defined std::*_distribution classes.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace holon::batch {

enum class DistributionKind { uniform, normal, lognormal, triangular, discrete };

struct Distribution {
    DistributionKind kind = DistributionKind::uniform;
    // uniform: a=min b=max; normal: a=mean b=sd; lognormal: a=meanlog b=sdlog (of the underlying
    // normal); triangular: a=min b=max c=mode.
    double a = 0, b = 1, c = 0;
    std::vector<double> values;  // discrete
    std::vector<double> weights; // discrete; empty = equal weights

    // The inverse CDF: the value below which a fraction u in [0,1) of the distribution lies.
    // Discrete: the first value whose cumulative weight exceeds u.
    double quantile(double u) const;
};

// Uniform numbers in [0,1): u = (x >> 11) * 2^-53 for each x drawn from std::mt19937_64(seed).
class UniformSource {
public:
    explicit UniformSource(uint64_t seed) : engine_(seed) {}
    double next() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

private:
    std::mt19937_64 engine_;
};

// `count` evenly spaced values from `from` to `to`, both included (count 1: just `from`).
std::vector<double> linspace(double from, double to, uint64_t count);

// The full factorial product of the axes; points[i][d]. The first axis varies slowest.
std::vector<std::vector<double>> grid_points(const std::vector<std::vector<double>> &axes);

// Latin hypercube sample of `samples` points: each dimension's [0,1) is cut into `samples` equal
// strata and every stratum holds exactly one point. Draw order: for each dimension in turn, a
// Fisher-Yates shuffle of the strata (i from n-1 down to 1 swaps with floor(u*(i+1))), then one
// jitter u per point; the point's fraction is (stratum + jitter) / n, mapped through quantile().
std::vector<std::vector<double>> latin_hypercube(const std::vector<Distribution> &dims, uint64_t samples, uint64_t seed);

// Independent Monte Carlo sample: for each point in turn, one u per dimension through quantile().
std::vector<std::vector<double>> monte_carlo(const std::vector<Distribution> &dims, uint64_t samples, uint64_t seed);

} // namespace holon::batch
