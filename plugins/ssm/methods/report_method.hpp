// ssm.report: the inquiry document (HTML and Markdown).
#pragma once

#include <holon/plugin.hpp>

namespace holon_ssm::methods {

struct ReportMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_ssm::methods
