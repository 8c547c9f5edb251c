// sd.simulate: simulates the stock-and-flow model and returns the table 'series'.
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct SimulateMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
