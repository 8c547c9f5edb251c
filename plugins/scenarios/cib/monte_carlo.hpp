// Monte Carlo CIB search for spaces too large to search exhaustively: random start scenarios
// (seeded, reproducible) are tested themselves and followed by succession to their attractor;
// every distinct accepted scenario met is kept. The result is a sample, never complete.
#pragma once

#include "cib/search.hpp"
#include "cib/succession.hpp"

namespace holon_scenarios::cib {

struct MonteCarloOptions {
    uint64_t samples = 100000;
    uint64_t seed = 1;
    SuccessionOptions succession; // its `fixed` is taken from SearchOptions
};

// Uses options.tolerance, fixed, fixed_exempt, cap, time budget and cancellation; `complete` is
// always false and `count` is the number of distinct accepted scenarios met.
SearchResult monte_carlo(const Matrix &m, const SearchOptions &options, const MonteCarloOptions &mc);

} // namespace holon_scenarios::cib
