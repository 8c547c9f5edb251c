#include "methods/model_source.hpp"

#include "model_json/model_json.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

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
    // A sweep runs the same model text thousands of times in one runner (a batch chunk): parsing
    // it once per thread and copying the parsed model costs a fraction of reading the JSON again.
    thread_local std::string last_text;
    thread_local std::optional<Model> last_model;
    const auto text = ctx.model_json();
    if (last_model && text == last_text) return *last_model;
    try {
        Model model = from_model_json(text);
        last_text.assign(text.data(), text.size());
        last_model = model;
        return model;
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
}

} // namespace holon_sd
