#pragma once

#include <holon/plugin.hpp>

namespace holon_vsm::methods {

// vsm.diagnose: the pathologies of every recursion level, optionally with a report.
struct DiagnoseMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_vsm::methods
