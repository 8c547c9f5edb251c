// csh.critique: the boundary critique of every perspective, held against the model, with its report.
#pragma once

#include <holon/plugin.hpp>

namespace holon_csh::methods {

struct CritiqueMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_csh::methods
