// cld.import-graphml and cld.import-kumu: foreign causal maps into holon-model/1 documents.
#pragma once

#include <holon/plugin.hpp>

namespace holon_cld::methods {

struct ImportGraphmlMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

struct ImportKumuMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_cld::methods
