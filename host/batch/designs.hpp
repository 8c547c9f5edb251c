// Sensitivity-analysis designs in the unit cube: a scrambled Sobol sequence, Saltelli's scheme
// for Sobol indices, Morris trajectories (with optimised selection) and full factorial levels.
// Every design returns points in [0,1]^D; the caller maps each coordinate through the
// uncertainty's quantile. Reproducible: the same seed gives the same points on every platform
// (only std::mt19937_64's raw output, fixed by the C++ standard, is used).
#pragma once

#include <cstdint>
#include <vector>

namespace holon::batch {

using UnitPoints = std::vector<std::vector<double>>; // points[row][dimension], each in [0,1]

// Dimensions the Sobol generator has direction numbers for (Joe & Kuo, new-joe-kuo-6.21201,
// dimensions 1-32).
constexpr unsigned kSobolMaxDimensions = 32;

// The first `count` points of the D-dimensional Sobol sequence (Gray-code order, 32-bit digits,
// Joe-Kuo direction numbers), starting with point `skip`. With `scramble`, every dimension's
// direction numbers get a random linear matrix scramble (a lower-triangular binary matrix with
// unit diagonal) and the points a random digital shift, both drawn from std::mt19937_64(seed).
UnitPoints sobol_sequence(unsigned dimensions, uint64_t count, bool scramble, uint64_t seed, uint64_t skip = 0);

// Saltelli's scheme (Saltelli 2002; Saltelli et al. 2010), laid out as SALib's sobol.sample:
// a Sobol sequence of 2D dimensions gives matrices A (first D columns) and B (last D); for each
// base row j the design has the block A_j, AB_j^1..AB_j^D (A_j with column i from B_j), then with
// second order BA_j^1..BA_j^D (B_j with column i from A_j), then B_j: N(2D+2) rows with second
// order, N(D+2) without.
UnitPoints saltelli(unsigned dimensions, uint64_t samples, bool second_order, bool scramble, uint64_t seed);
// Rows of a Saltelli design: N(2D+2) or N(D+2).
uint64_t saltelli_rows(unsigned dimensions, uint64_t samples, bool second_order);

// Morris elementary-effects trajectories (Morris 1991) on a grid of `levels` (even, >= 2) values
// {0, 1/(p-1), ..., 1}, step delta = p / (2(p-1)). Each trajectory has D+1 rows; row k+1 differs
// from row k in exactly one factor, by +delta or -delta, each factor once, in a random order.
// With `candidates` > trajectories, that many are generated and `trajectories` of them chosen to
// spread out (Campolongo, Cariboni & Saltelli 2007): greedily, starting from the farthest pair and
// adding the one whose summed squared distance to those chosen is largest; the distance of two
// trajectories is the sum of Euclidean distances between all their pairs of points.
UnitPoints morris(unsigned dimensions, uint64_t trajectories, unsigned levels, uint64_t candidates, uint64_t seed);
double morris_delta(unsigned levels);
// Distance of two trajectories (rows D+1 each), as above.
double trajectory_distance(const UnitPoints &a, const UnitPoints &b);

// `levels` evenly spaced unit coordinates (k + 0.5) / levels, k = 0..levels-1: the factorial
// design's levels for a distribution without bounds (uniform ranges use linspace(min, max)).
std::vector<double> centred_levels(unsigned levels);

} // namespace holon::batch
