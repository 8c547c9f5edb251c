// cld.ltm: Loops That Matter over an SD model. Link scores come from sd.link-scores (through
// holon.invoke/1), loops from the cld loop finder on the scored dependency graph.
#pragma once

#include <holon/plugin.hpp>

namespace holon_cld::methods {

struct LtmMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_cld::methods
