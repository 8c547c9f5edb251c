#include "execution/admission.hpp"

#include "suggest/suggest.hpp"

#include <holon/holon_plugin.h>

namespace holon::execution {

bool needs_model(const runner::MethodDescription &method) {
    return method.kind != HOLON_METHOD_KIND_IMPORTER && !(method.flags & HOLON_METHOD_FLAG_NO_MODEL);
}

std::string missing_model_message(const std::string &method_id) {
    return "method '" + method_id + "' needs a model";
}

std::string unknown_method_message(const registry::Registry &registry, const std::string &method_id) {
    std::vector<std::string> offered;
    for (const auto &plugin : registry.plugins())
        for (const auto *method : registry.methods_of(*plugin)) offered.push_back(method->description.id);
    return "no plugin offers method '" + method_id + "'" + suggest::did_you_mean(method_id, offered);
}

} // namespace holon::execution
