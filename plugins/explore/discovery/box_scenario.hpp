// Join J3: a PRIM box as a scenario in the shared model's scenario language. Each restricted
// dimension becomes a descriptor (bound to its model variable) whose variants split the swept
// range at the box's limits: "below the box", "in the box" and "above the box" (only the sides
// the box restricts), each variant a range binding of the variable. One named scenario picks
// every "in the box" variant, so scenarios.run (scenarios: named) re-runs the box's centre (or its
// min/max corner with range min/max) and the region can be compared with CIB scenarios over the
// same variables.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace holon_explore::discovery {

struct BoxDimension {
    std::string column;   // the experiments column
    std::string variable; // the model variable's id the column sets
    double lower = 0, upper = 0;     // the box
    double minimum = 0, maximum = 0; // the swept range (the data's)
};

struct ScenarioNames {
    std::string set_id, set_name, scenario_id, scenario_name;
    std::string narrative; // what the box is (rule, coverage, density, mass)
};

// The scenario set (kind "sweep") for the box. Throws std::invalid_argument when no dimension is
// restricted (a box of the whole data names no region).
nlohmann::json box_scenario_set(const std::vector<BoxDimension> &dimensions, const ScenarioNames &names);

// A valid model id from any text: characters outside [A-Za-z0-9_.:-] become '_', and a leading
// non-letter gets a 'v' in front.
std::string as_id(const std::string &text);

} // namespace holon_explore::discovery
