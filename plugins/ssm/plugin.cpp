// The ssm plugin's single entry point.
#include "methods/methods.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("ssm", "0.1.0", holon_ssm::methods::CheckMethod, holon_ssm::methods::CompareMethod,
             holon_ssm::methods::DiagramMethod, holon_ssm::methods::ReportMethod)
