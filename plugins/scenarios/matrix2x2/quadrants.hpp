// 2x2 scenario matrices: drivers ranked by impact x uncertainty, two axes with two poles each, and
// the plausibility of each quadrant through CIB when the axes are descriptors of a CIB matrix.
#pragma once

#include "cib/search.hpp"

#include <array>
#include <vector>

namespace holon_scenarios::matrix2x2 {

struct Driver {
    int descriptor = 0;
    double impact = 0, uncertainty = 0;
    double score() const { return impact * uncertainty; }
};
// Highest impact x uncertainty first; ties by higher impact, then descriptor order.
std::vector<Driver> rank_drivers(std::vector<Driver> drivers);

struct Axis {
    int descriptor = 0;
    std::array<int, 2> poles{0, 1}; // variant indices
};

// The quadrants in the order (pole 0, pole 0), (0, 1), (1, 0), (1, 1).
std::array<std::array<int, 2>, 4> quadrant_poles();

enum class Semantics {
    filter,       // fully consistent scenarios that have both poles
    intervention, // the poles are set from outside; only the other descriptors must be consistent
};

// One CIB search per quadrant. `base` supplies tolerance, cap, budget, cancellation; its `fixed`
// may hold further fixed descriptors.
std::array<cib::SearchResult, 4> plausibility(const cib::Matrix &m, const Axis &x, const Axis &y, Semantics semantics,
                                              const cib::SearchOptions &base);

// The largest |cell| between the variants of two descriptors, both directions: strong
// cross-impacts mean the axes are not independent.
int32_t strongest_cross_impact(const cib::Matrix &m, int a, int b);

} // namespace holon_scenarios::matrix2x2
