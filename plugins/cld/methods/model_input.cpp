#include "methods/model_input.hpp"

#include "graph/model_json.hpp"

namespace holon_cld::methods {

CausalGraph read_graph(const holon::Context &ctx) {
    try {
        return read_model(ctx.model_json());
    } catch (const ModelError &e) {
        throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what(), nlohmann::json{{"path", e.pointer()}}.dump());
    }
}

std::size_t variable_param(const CausalGraph &graph, const nlohmann::json &params, const char *key) {
    const std::string id = params.at(key).get<std::string>();
    const auto index = graph.find_variable(id);
    if (!index)
        throw holon::Error(HOLON_ERR_INVALID_PARAMS, std::string(key) + ": the model has no variable '" + id + "'",
                           nlohmann::json{{"path", std::string("/") + key}}.dump());
    return *index;
}

std::string json_string(const std::string &text) { return nlohmann::json(text).dump(); }

} // namespace holon_cld::methods
