#pragma once

#include <holon/plugin.hpp>

namespace holon_vsm::methods {

// vsm.variety: requisite variety per estimate and unit, channel capacity, Beer's triple index.
struct VarietyMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_vsm::methods
