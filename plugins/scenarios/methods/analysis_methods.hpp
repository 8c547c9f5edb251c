#pragma once

#include <holon/plugin.hpp>

namespace holon_scenarios::methods {

// scenarios.morphological: solution space of a morphological field under cross-consistency.
struct MorphologicalMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

// scenarios.matrix2x2: drivers, axes, quadrants and their CIB plausibility.
struct Matrix2x2Method {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

// scenarios.run: each consistent scenario (named scenario, or quadrant) -> an sd.simulate run.
struct RunMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_scenarios::methods
