// ssm.diagram: the purposeful activity model pictures (SVG and PNG).
#pragma once

#include <holon/plugin.hpp>

namespace holon_ssm::methods {

struct DiagramMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_ssm::methods
