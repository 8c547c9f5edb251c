// csh.boundary-sensitivity's picture: per simulated judgement, how far it moves each outcome
// measure at the end of the run (signed, in % of the baseline's final value).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace holon_csh {

// Empty when no judgement was simulated or nothing was measured.
std::string sensitivity_chart_svg(const nlohmann::json &sensitivity_result);

} // namespace holon_csh
