// MICMAC structural analysis (Godet; LIPSOR): direct and indirect influence and dependence of every
// variable, from the direct-influence matrix and its powers.
#pragma once

#include "graph/causal_graph.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace holon_cld {

enum class MicmacQuadrant { influential, relay, dependent, autonomous };

// "influential", "relay", "dependent", "autonomous".
std::string_view micmac_quadrant_name(MicmacQuadrant quadrant);

struct MicmacView {
    std::vector<double> influence;   // row sums
    std::vector<double> dependence;  // column sums
    std::vector<std::size_t> influence_rank;  // 1 = most influential; ties share the best rank
    std::vector<std::size_t> dependence_rank;
    double influence_threshold = 0;  // the mean influence
    double dependence_threshold = 0; // the mean dependence
    // High means at or above the threshold: influential = high influence, low dependence; relay =
    // both high; dependent = low influence, high dependence; autonomous = both low.
    std::vector<MicmacQuadrant> quadrant;
};

struct MicmacResult {
    // Direct: the matrix itself, cell (i, j) = |weight| of the link i -> j (1 when it has none; the
    // largest when there are parallel links; self-links ignored). Sums are in weight units.
    MicmacView direct;
    // Indirect: M^power, the first power whose influence and dependence rankings equal those of
    // the power before; sums are shares of the matrix total (they add up to 1).
    MicmacView indirect;
    int power = 1;
    bool stable = false; // false when max_power was reached first
};

MicmacResult micmac(const CausalGraph &graph, int max_power = 20);

} // namespace holon_cld
