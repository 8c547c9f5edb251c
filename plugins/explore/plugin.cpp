// The explore plugin's single entry point.
#include "methods/box_scenario_method.hpp"
#include "methods/features_method.hpp"
#include "methods/morris_method.hpp"
#include "methods/prim_method.hpp"
#include "methods/robustness_method.hpp"
#include "methods/sobol_method.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("explore", "0.1.0", holon_explore::methods::SobolMethod, holon_explore::methods::MorrisMethod,
             holon_explore::methods::PrimMethod, holon_explore::methods::RobustnessMethod,
             holon_explore::methods::BoxScenarioMethod, holon_explore::methods::FeaturesMethod)
