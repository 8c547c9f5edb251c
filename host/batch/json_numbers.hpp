// Numbers in the batch's JSON (journal lines, a chunk's outcomes stored by another host): JSON has
// no NaN or infinity, so a value that has none (an outcome without a value) travels as null.
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace holon::batch {

inline nlohmann::json number_json(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

inline double json_number(const nlohmann::json &j) {
    return j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

} // namespace holon::batch
