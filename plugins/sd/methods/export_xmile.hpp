// sd.export-xmile: the shared model's System Dynamics part as an XMILE 1.0 document.
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct ExportXmileMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
