#pragma once

#include <holon/plugin.hpp>

namespace scenarios::methods {

// scenarios.cib: Cross-Impact Balance analysis of a scenario set.
struct CibMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace scenarios::methods
