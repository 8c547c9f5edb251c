// Sobol sensitivity indices from a Saltelli sample, with bootstrap confidence intervals.
//
// The outputs come in blocks of D+2 rows (2D+2 with second order), one block per base row i of
// the two independent matrices A and B, in the order SALib's sobol sampler writes them:
//     A_i, AB_i^(1) .. AB_i^(D), [BA_i^(1) .. BA_i^(D)], B_i
// where AB^(j) is A with column j taken from B, and BA^(j) is B with column j taken from A.
//
// Estimators (the ones SALib's sobol.analyze uses; the outputs are first centred on their mean):
//   first order   S_j  = mean(f(B) * (f(AB^j) - f(A))) / V          Saltelli et al. 2010, table 2 (b)
//   total order   ST_j = mean((f(A) - f(AB^j))^2) / (2 V)           Jansen 1999 (Saltelli 2010 table 2 (f))
//   second order  S_jk = mean(f(BA^j) f(AB^k) - f(A) f(B)) / V - S_j - S_k     Saltelli 2002
// with V the population variance (ddof 0) of the 2N values f(A), f(B).
// Confidence: `resamples` bootstrap resamples of the N blocks (with replacement); the interval's
// half-width is z_(1+level)/2 times the standard deviation (ddof 1) of the resampled estimates.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon_explore::sensitivity {

struct SobolOptions {
    bool second_order = true;
    int resamples = 100;
    double confidence = 0.95;
    uint64_t seed = 1;
};

struct SobolIndices {
    std::vector<double> s1, s1_conf, st, st_conf; // one per factor
    // second order, row-major D x D, upper triangle (j < k) set, the rest NaN
    std::vector<double> s2, s2_conf;
    std::size_t base_samples = 0; // N
    double variance = 0;          // V of the outputs
};

// The indices of D factors from the outputs `y` of a Saltelli sample (layout above). Throws
// std::invalid_argument when the row count is not a multiple of the block size.
SobolIndices sobol_indices(const std::vector<double> &y, std::size_t factors, const SobolOptions &options);

// Checks that the experiments `x` (x[factor][row]) have the Saltelli layout: in every block, AB^j
// equals A except in column j, where it equals B (and BA^j the reverse). Returns "" when they do,
// otherwise a message naming the first row that breaks it.
std::string check_saltelli_layout(const std::vector<std::vector<double>> &x, const std::vector<std::string> &names,
                                  bool second_order);

} // namespace holon_explore::sensitivity
