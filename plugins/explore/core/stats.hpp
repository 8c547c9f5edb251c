// Small numerical helpers the explore analyses share: moments, quantiles, the standard normal's
// inverse CDF, the binomial upper tail and a reproducible uniform source. Plain C++, no SDK types.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace holon_explore {

double mean(const std::vector<double> &v);
// Variance with `ddof` delta degrees of freedom (0: population, as numpy's default; 1: sample).
double variance(const std::vector<double> &v, int ddof);
double stdev(const std::vector<double> &v, int ddof);

// The q-quantile (0 <= q <= 1) by linear interpolation between order statistics (numpy's
// default, Hyndman & Fan type 7).
double quantile(std::vector<double> v, double q);

// Inverse CDF of the standard normal (Acklam's rational approximation refined by one Halley step,
// accurate to about 1e-15). p must lie in (0, 1).
double normal_ppf(double p);

// P(X >= k) for X ~ Binomial(n, p): the one-sided ("greater") binomial test's p-value.
double binomial_upper_tail(int64_t k, int64_t n, double p);

// Uniform numbers in [0,1) and integers in [0, n) from std::mt19937_64's raw output (fixed by the
// C++ standard), so a seed gives the same draws on every platform.
class Uniform {
public:
    explicit Uniform(uint64_t seed) : engine_(seed) {}
    double next() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() * static_cast<double>(n)); }

private:
    std::mt19937_64 engine_;
};

} // namespace holon_explore
