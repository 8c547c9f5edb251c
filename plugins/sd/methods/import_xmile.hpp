// sd.import-xmile: an XMILE 1.0 or Stella .stmx document into the shared model.
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct ImportXmileMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
