#include "matrix2x2/quadrants.hpp"

#include <algorithm>
#include <cstdlib>

namespace holon_scenarios::matrix2x2 {

std::vector<Driver> rank_drivers(std::vector<Driver> drivers) {
    std::stable_sort(drivers.begin(), drivers.end(), [](const Driver &a, const Driver &b) {
        if (a.score() != b.score()) return a.score() > b.score();
        return a.impact > b.impact;
    });
    return drivers;
}

std::array<std::array<int, 2>, 4> quadrant_poles() { return {{{0, 0}, {0, 1}, {1, 0}, {1, 1}}}; }

std::array<cib::SearchResult, 4> plausibility(const cib::Matrix &m, const Axis &x, const Axis &y, Semantics semantics,
                                              const cib::SearchOptions &base) {
    std::array<cib::SearchResult, 4> out;
    const auto poles = quadrant_poles();
    for (size_t q = 0; q < 4; ++q) {
        cib::SearchOptions o = base;
        if (o.fixed.empty()) o.fixed.assign(static_cast<size_t>(m.descriptor_count()), -1);
        o.fixed[static_cast<size_t>(x.descriptor)] = x.poles[static_cast<size_t>(poles[q][0])];
        o.fixed[static_cast<size_t>(y.descriptor)] = y.poles[static_cast<size_t>(poles[q][1])];
        o.fixed_exempt = semantics == Semantics::intervention;
        out[q] = cib::search(m, o);
    }
    return out;
}

int32_t strongest_cross_impact(const cib::Matrix &m, int a, int b) {
    int32_t strongest = 0;
    for (int va = 0; va < m.variant_count(a); ++va)
        for (int vb = 0; vb < m.variant_count(b); ++vb)
            strongest = std::max({strongest, std::abs(m.get(a, va, b, vb)), std::abs(m.get(b, vb, a, va))});
    return strongest;
}

} // namespace holon_scenarios::matrix2x2
