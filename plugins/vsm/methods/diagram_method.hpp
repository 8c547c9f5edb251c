#pragma once

#include <holon/plugin.hpp>

namespace holon_vsm::methods {

// vsm.diagram: Beer's diagram of each recursion level and a nested view, SVG and PNG blobs.
struct DiagramMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_vsm::methods
