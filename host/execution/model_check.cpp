#include "execution/model_check.hpp"

#include <nlohmann/json.hpp>

namespace holon::execution {
namespace {

// A model written for the sd plugin: it has equations and the plugin's own markers (simulation
// settings under methods.sd.sim_specs, or a variable's sd block). Shared-model documents that only
// sketch equations in another convention (schemas/examples/sir-epidemic) are not SD programs and
// are left alone.
bool is_sd_model(const std::string &model_json) {
    const auto doc = nlohmann::json::parse(model_json, nullptr, false);
    if (!doc.is_object() || !doc.contains("variables") || !doc["variables"].is_array()) return false;
    bool equations = false, markers = false;
    for (const auto &v : doc["variables"]) {
        if (!v.is_object()) continue;
        equations = equations || v.contains("equation");
        markers = markers || (v.contains("sd") && v["sd"].is_object());
    }
    const nlohmann::json::json_pointer sim_specs("/methods/sd/sim_specs");
    markers = markers || (doc.contains(sim_specs) && doc.at(sim_specs).is_object());
    return equations && markers;
}

} // namespace

runner::TaskOutcome check_model_with_plugins(const Executor &executor, const std::string &model_json,
                                             const std::string &workspace) {
    runner::TaskOutcome passed;
    if (!executor.registry().find_method(equation_check_method) || !is_sd_model(model_json)) return passed;
    RunRequest request;
    request.method_id = equation_check_method;
    request.model_json = model_json;
    request.workspace = workspace;
    return executor.run(request);
}

} // namespace holon::execution
