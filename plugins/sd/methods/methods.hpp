// The plugin's methods, each a small class over holon/plugin.hpp.
#pragma once

#include <holon/plugin.hpp>

#include "methods/link_scores.hpp"

namespace holon::sd {

struct SimulateMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct ImportXmileMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct ImportMdlMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct ExportXmileMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct CheckUnitsMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct StructureMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon::sd
