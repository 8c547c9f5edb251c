// Checks of a job against its input models before any point runs: every model variable the job
// names (a swept or set `overrides.NAME`, an SD step's outcome and output variables) must exist,
// or the batch stops with the JSON path, the name and the closest variable the model has.
#pragma once

#include "batch/batch_spec.hpp"

#include <map>
#include <string>

namespace holon::batch {

// `models`: input name -> holon-model/1 text. Models without a "variables" list are not checked.
// Throws DocumentError.
void check_model_names(const BatchSpec &spec, const std::map<std::string, std::string> &models);

} // namespace holon::batch
