#include "execution/admission.hpp"

#include <holon/holon_plugin.h>

namespace holon::execution {

bool needs_model(const runner::MethodDescription &method) {
    return method.kind != HOLON_METHOD_KIND_IMPORTER && !(method.flags & HOLON_METHOD_FLAG_NO_MODEL);
}

std::string missing_model_message(const std::string &method_id) {
    return "method '" + method_id + "' needs a model";
}

} // namespace holon::execution
