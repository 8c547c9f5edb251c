#include "methods/model_source.hpp"

#include "model_json/model_json.hpp"

#include <nlohmann/json.hpp>

namespace holon_sd {

holon::Error to_holon_error(const ModelError &e, int32_t code) {
    nlohmann::json details = nlohmann::json::object();
    if (!e.variable().empty()) details["variable"] = e.variable();
    if (e.line() > 0) {
        details["line"] = e.line();
        details["column"] = e.column();
    }
    return holon::Error(code, e.what(), details.empty() ? std::string() : details.dump());
}

Model model_from_context(const holon::Context &ctx) {
    if (ctx.model_json().empty()) throw holon::Error(HOLON_ERR_INVALID_MODEL, "this method needs a model");
    try {
        return from_model_json(ctx.model_json());
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
}

} // namespace holon_sd
