// csh.boundary-sensitivity (join J9): which boundary judgements change what the model says.
#pragma once

#include <holon/plugin.hpp>

namespace holon_csh::methods {

struct SensitivityMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_csh::methods
