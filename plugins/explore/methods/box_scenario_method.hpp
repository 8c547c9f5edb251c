// explore.box-scenario: see docs/methods/explore.md.
#pragma once

#include <holon/plugin.hpp>

namespace holon_explore::methods {

struct BoxScenarioMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_explore::methods
