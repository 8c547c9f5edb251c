// sd.check: resolves every equation of the model the way sd.simulate would, without running it.
// The host asks it when a holon-model/1 document with equations is validated or stored, so a
// model that cannot run is refused up front with the JSON path of the problem.
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct CheckMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
