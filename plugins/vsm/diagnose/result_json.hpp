// The vsm.diagnose result document: findings with ids and names, assessed and not-assessable
// rules, and a completeness summary per recursion level.
#pragma once

#include "diagnose/rules.hpp"

#include <nlohmann/json.hpp>

namespace holon_vsm {

nlohmann::json diagnosis_json(const Organisation &org, const Diagnosis &diagnosis, const DiagnoseOptions &options);

} // namespace holon_vsm
