// cld.import-graphml and cld.import-kumu: foreign causal maps into holon-model/1 documents.
#pragma once

#include <holon/plugin.hpp>

namespace cld::methods {

struct ImportGraphmlMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct ImportKumuMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace cld::methods
