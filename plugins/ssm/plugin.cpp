// The ssm plugin's single entry point.
#include "methods/check_method.hpp"
#include "methods/compare_method.hpp"
#include "methods/diagram_method.hpp"
#include "methods/report_method.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("ssm", "0.1.0", holon_ssm::methods::CheckMethod, holon_ssm::methods::CompareMethod,
             holon_ssm::methods::DiagramMethod, holon_ssm::methods::ReportMethod)
