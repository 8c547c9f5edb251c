#include "jsonschema/regex_guard.hpp"

#include <regex>

#include "jsonschema/violations.hpp"

namespace holon::jsonschema::detail {
namespace {

// Keywords whose values are data, not subschemas: a "pattern" key inside them is not a keyword.
bool holds_data(const std::string& key) {
    return key == "enum" || key == "const" || key == "default" || key == "examples";
}

void compile_or_throw(const std::string& pattern, const std::string& where) {
    try {
        const std::regex compiled(pattern);
    } catch (const std::regex_error& e) {
        throw SchemaError("invalid regular expression at " + where + ": " + e.what());
    }
}

nlohmann::json guarded(nlohmann::json regex_keywords) {
    const auto limit = static_cast<std::uint64_t>(kMaxRegexInput);
    return {{"if", {{"type", "string"}, {"maxLength", limit}}},
            {"then", std::move(regex_keywords)},
            {"else", {{"if", {{"type", "string"}}}, {"then", {{"maxLength", limit}}}}}};
}

bool guard(nlohmann::json& node, const std::string& where) {
    bool uses_pattern_properties = false;
    if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            uses_pattern_properties |= guard(node[i], where + "/" + std::to_string(i));
        }
        return uses_pattern_properties;
    }
    if (!node.is_object()) {
        return false;
    }
    for (auto& [key, value] : node.items()) {
        if (holds_data(key)) {
            continue;
        }
        if (key == "patternProperties" && value.is_object()) {
            uses_pattern_properties = true;
            for (const auto& [pattern, subschema] : value.items()) {
                compile_or_throw(pattern, where + "/patternProperties");
            }
        }
        uses_pattern_properties |= guard(value, where + "/" + key);
    }
    nlohmann::json regex_keywords = nlohmann::json::object();
    for (const char* keyword : {"pattern", "format"}) {
        const auto it = node.find(keyword);
        if (it != node.end() && it->is_string()) {
            if (std::string(keyword) == "pattern") {
                compile_or_throw(it->get<std::string>(), where + "/pattern");
            }
            regex_keywords[keyword] = *it;
            node.erase(it);
        }
    }
    if (!regex_keywords.empty()) {
        nlohmann::json& all_of = node["allOf"];
        if (!all_of.is_array()) {
            all_of = nlohmann::json::array();
        }
        all_of.push_back(guarded(std::move(regex_keywords)));
    }
    return uses_pattern_properties;
}

void collect_overlong_keys(const nlohmann::json& node, std::vector<std::string>& context,
                           std::vector<Violation>& out) {
    if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            context.push_back("[" + std::to_string(i) + "]");
            collect_overlong_keys(node[i], context, out);
            context.pop_back();
        }
    } else if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            context.push_back("[" + key + "]");  // valijson's form, which to_pointer expects
            if (key.size() > kMaxRegexInput) {
                out.push_back({to_pointer(context), "property name is longer than " +
                                                        std::to_string(kMaxRegexInput) + " characters"});
            } else {
                collect_overlong_keys(value, context, out);
            }
            context.pop_back();
        }
    }
}

}  // namespace

bool guard_regex_keywords(nlohmann::json& schema) { return guard(schema, ""); }

std::vector<Violation> overlong_keys(const nlohmann::json& document) {
    std::vector<std::string> context;
    std::vector<Violation> out;
    collect_overlong_keys(document, context, out);
    return out;
}

}  // namespace holon::jsonschema::detail
