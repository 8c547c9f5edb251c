// sd.link-scores: the Loops That Matter link scores of a stock-and-flow model (see link_scores.hpp).
#pragma once

#include <holon/plugin.hpp>

namespace holon_sd {

struct LinkScoresMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
