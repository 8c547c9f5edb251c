// The scenarios plugin's single entry point.
#include "methods/analysis_methods.hpp"
#include "methods/cib_method.hpp"
#include "methods/scw_methods.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("scenarios", "0.1.0", holon_scenarios::methods::CibMethod, holon_scenarios::methods::MorphologicalMethod,
             holon_scenarios::methods::Matrix2x2Method, holon_scenarios::methods::RunMethod, holon_scenarios::methods::ImportScwMethod,
             holon_scenarios::methods::ExportScwMethod)
