// What every csh method does first: read the model's CSH records and facts, turning a reading
// error into the SDK's invalid-model failure with the JSON Pointer it names.
#pragma once

#include "core/model.hpp"

#include <holon/inputs.hpp>

namespace holon_csh::methods {

inline Model read_csh_model(const nlohmann::json &doc) {
    try {
        return read_model(doc);
    } catch (const std::invalid_argument &e) {
        const std::string text = e.what();
        const auto colon = text.find(": ");
        holon::fail_model(text.substr(0, colon), colon == std::string::npos ? text : text.substr(colon + 2));
    }
}

inline std::string model_name(const nlohmann::json &doc) {
    return holon::string_member(doc, "name").value_or(holon::string_member(doc, "id").value_or("model"));
}

} // namespace holon_csh::methods
