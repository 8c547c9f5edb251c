#pragma once

#include <holon/plugin.hpp>

namespace holon_vsm::methods {

// vsm.alarms: algedonic alarms over indicator series from actuals or an SD run (join J5).
struct AlarmsMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_vsm::methods
