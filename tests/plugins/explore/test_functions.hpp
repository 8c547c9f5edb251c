// The test functions and samplers of the explore unit tests: Ishigami and Sobol's G-function with
// their analytic indices, an unscrambled Sobol sequence (Joe & Kuo 2008 direction numbers,
// new-joe-kuo-6.21201, dimensions 1-16) to build Saltelli samples, and Morris trajectories.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace explore_test {

double ishigami(const std::vector<double> &x); // x in [-pi, pi]^3, a = 7, b = 0.1
double sobol_g(const std::vector<double> &x, const std::vector<double> &a); // x in [0, 1]^D

// The first n points (Gray-code order, point 0 is the origin) of the unscrambled Sobol sequence
// in `dims` dimensions (at most 16): points[i][d] in [0, 1).
std::vector<std::vector<double>> sobol_points(std::size_t n, std::size_t dims);

// A Saltelli sample in SALib's row order (A, AB^1..AB^D, [BA^1..BA^D], B per base row) built from
// n Sobol points in 2D dimensions; `to_model` maps a unit-cube point to the model's inputs.
// Returns x[factor][row].
std::vector<std::vector<double>> saltelli_sample(std::size_t n, std::size_t d, bool second_order);

// r Morris trajectories on a p-level grid of the unit cube (x[factor][row]), random base points
// and factor orders from `seed`; each step moves one factor by +-Delta.
std::vector<std::vector<double>> morris_trajectories(std::size_t r, std::size_t d, int levels, uint64_t seed);

// y[row] = f(point) for x[factor][row] mapped by `scale` (unit cube -> inputs).
std::vector<double> evaluate(const std::vector<std::vector<double>> &unit, const std::function<double(const std::vector<double> &)> &f,
                             const std::function<double(double)> &scale);

} // namespace explore_test
