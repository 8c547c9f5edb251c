// Units of what a step with outcomes reports, from its input model (holon-model/1: each
// variable's `units`, the SD time units): the report and plots of such a step have no table of
// the run to read them from, since only the outcomes come back from the runners.
#pragma once

#include "batch/batch_spec.hpp"

#include <map>
#include <string>

namespace holon::batch {

// Column -> units for the step's outcomes (a value keeps its variable's units, a time of an
// extreme or of a crossing the time units, an integral both: "people*days"), its swept
// `overrides.NAME` (under NAME) and its time column. Unknown or dimensionless units are left out;
// a text that is not a model gives none.
std::map<std::string, std::string> outcome_units(const StepSpec &step, const std::string &model_text);

} // namespace holon::batch
