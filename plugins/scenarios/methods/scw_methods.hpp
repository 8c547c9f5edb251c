#pragma once

#include <holon/plugin.hpp>

namespace holon_scenarios::methods {

// scenarios.import-scw: a ScenarioWizard .scw project -> a holon-model/1 document with one CIB set.
struct ImportScwMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

// scenarios.export-scw: a CIB scenario set -> a ScenarioWizard .scw project (a blob).
struct ExportScwMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_scenarios::methods
