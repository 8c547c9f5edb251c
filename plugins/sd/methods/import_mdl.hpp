// sd.import-mdl: a Vensim .mdl model into the shared model.
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct ImportMdlMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
