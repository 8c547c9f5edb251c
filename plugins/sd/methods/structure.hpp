// sd.structure: the causal graph of the stock-and-flow model, with polarities.
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct StructureMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
