// ssm.compare: the comparison table, its coverage and the changes, per activity model.
#pragma once

#include <holon/plugin.hpp>

namespace holon_ssm::methods {

struct CompareMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_ssm::methods
