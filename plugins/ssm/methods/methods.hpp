// The four ssm methods. Each reads params and the model, calls the core, writes the result.
#pragma once

#include <holon/plugin.hpp>

namespace holon_ssm::methods {

struct CheckMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct CompareMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct DiagramMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct ReportMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_ssm::methods
