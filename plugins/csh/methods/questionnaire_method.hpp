// csh.questionnaire: the workshop sheet for one perspective (Markdown, HTML, CSV).
#pragma once

#include <holon/plugin.hpp>

namespace holon_csh::methods {

struct QuestionnaireMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_csh::methods
