// sd.check-units: the dimensional consistency of every equation.
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct CheckUnitsMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
