#pragma once

#include <holon/plugin.hpp>

namespace holon_scenarios::methods {

// scenarios.cib: Cross-Impact Balance analysis of a scenario set.
struct CibMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_scenarios::methods
