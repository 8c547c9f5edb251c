// The Viable System Model plugin: the method classes, nothing else.
#include "methods/alarms_method.hpp"
#include "methods/diagnose_method.hpp"
#include "methods/diagram_method.hpp"
#include "methods/variety_method.hpp"

HOLON_PLUGIN("vsm", "0.1.0", holon_vsm::methods::DiagnoseMethod, holon_vsm::methods::VarietyMethod,
             holon_vsm::methods::AlarmsMethod, holon_vsm::methods::DiagramMethod)
