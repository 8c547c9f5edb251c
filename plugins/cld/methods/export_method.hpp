// cld.export: the causal map as DOT, SVG (Graphviz dot layout), GraphML or Kumu JSON.
#pragma once

#include <holon/plugin.hpp>

namespace holon_cld::methods {

struct ExportMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_cld::methods
