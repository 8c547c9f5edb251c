// Tolerant readers of the shared model's JSON for the plugins' algorithm libraries (header-only,
// part of the plugins' common library; needs nlohmann/json). The host has validated the document
// before a method sees it, so these read what is there and skip odd shapes instead of refusing
// them; methods that must refuse use the SDK's holon/inputs.hpp.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace holon_plugins::reading {

// object[key] when it is an array; otherwise (absent, another type, or no object) an empty array.
inline const nlohmann::json &array_or_empty(const nlohmann::json &object, const char *key) {
    static const nlohmann::json empty = nlohmann::json::array();
    if (!object.is_object()) return empty;
    const auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : empty;
}

// object[key] when it is a string; otherwise "".
inline std::string string_or_empty(const nlohmann::json &object, const char *key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The strings of the array object[key], skipping anything else.
inline std::vector<std::string> strings_of(const nlohmann::json &object, const char *key) {
    std::vector<std::string> out;
    for (const nlohmann::json &item : array_or_empty(object, key))
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

} // namespace holon_plugins::reading
