// The scenarios plugin's single entry point.
#include "methods/analysis_methods.hpp"
#include "methods/cib_method.hpp"
#include "methods/scw_methods.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("scenarios", "0.1.0", scenarios::methods::CibMethod, scenarios::methods::MorphologicalMethod,
             scenarios::methods::Matrix2x2Method, scenarios::methods::RunMethod, scenarios::methods::ImportScwMethod,
             scenarios::methods::ExportScwMethod)
