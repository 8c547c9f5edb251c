// cld.centrality: network centralities (networkx conventions) and MICMAC structural analysis.
#pragma once

#include <holon/plugin.hpp>

namespace holon_cld::methods {

struct CentralityMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_cld::methods
