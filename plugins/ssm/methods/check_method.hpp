// ssm.check: the checks on root definitions, activity models, the comparison and the joins.
#pragma once

#include <holon/plugin.hpp>

namespace holon_ssm::methods {

struct CheckMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_ssm::methods
