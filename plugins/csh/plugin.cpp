// The csh plugin's single entry point.
#include "methods/critique_method.hpp"
#include "methods/questionnaire_method.hpp"
#include "methods/sensitivity_method.hpp"

#include <holon/plugin.hpp>

HOLON_PLUGIN("csh", "0.1.0", holon_csh::methods::CritiqueMethod, holon_csh::methods::SensitivityMethod,
             holon_csh::methods::QuestionnaireMethod)
