// The two axes of a 2x2 matrix, from params or from the set's driver scores.
#pragma once

#include "matrix2x2/quadrants.hpp"
#include "methods/common.hpp"

#include <array>

namespace holon_scenarios::methods {

// params.axes = [{"descriptor": id, "poles": [variant id, variant id]}, x2]; without it the two
// best-ranked drivers with at least two variants, poles their first two variants.
std::array<matrix2x2::Axis, 2> axes_from(const model::ScenarioSet &set, const json &params);
std::vector<matrix2x2::Driver> drivers_of(const model::ScenarioSet &set);

} // namespace holon_scenarios::methods
