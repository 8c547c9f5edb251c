// What a run needs before it is admitted, stated once for every channel: the executor, `holon run`,
// REST, the batch runner, `holon plugins` and `holon plugin check` all ask here.
#pragma once

#include "registry/registry.hpp"
#include "runner/task_types.hpp"

#include <string>

namespace holon::execution {

// Every method runs against the shared model except importers (they read a foreign document
// instead) and methods flagged HOLON_METHOD_FLAG_NO_MODEL.
bool needs_model(const runner::MethodDescription &method);

// The refusal when a method that needs a model gets none: "method 'sd.simulate' needs a model".
// A channel may append how to give one there (": give one with --model FILE").
std::string missing_model_message(const std::string &method_id);

// The refusal of a method id no plugin offers, with the closest offered id when it looks like a
// slip: "no plugin offers method 'sd.simulat'; did you mean 'sd.simulate'?".
std::string unknown_method_message(const registry::Registry &registry, const std::string &method_id);

} // namespace holon::execution
