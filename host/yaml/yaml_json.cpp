#include "yaml/yaml_json.hpp"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <regex>

namespace holon::yaml {

namespace {

nlohmann::json plain_scalar(const std::string& s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    static const std::regex integer("[-+]?[0-9]+");
    static const std::regex number("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    if (std::regex_match(s, integer)) {
        long long value = 0;
        const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
        auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
        if (ec == std::errc() && end == s.data() + s.size()) return value;
    }
    if (std::regex_match(s, number)) return std::stod(s);
    return s;
}

nlohmann::json convert(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return nullptr;
    case YAML::NodeType::Scalar:
        // yaml-cpp tags quoted scalars "!" and plain ones "?".
        if (node.Tag() == "!") return node.Scalar();
        return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
        auto out = nlohmann::json::array();
        for (const auto& item : node) out.push_back(convert(item));
        return out;
    }
    case YAML::NodeType::Map: {
        auto out = nlohmann::json::object();
        for (const auto& kv : node) {
            const std::string key = kv.first.as<std::string>();
            if (out.contains(key))
                throw YamlError("line " + std::to_string(kv.first.Mark().line + 1) + ", column " +
                                std::to_string(kv.first.Mark().column + 1) + ": duplicate key '" + key + "'");
            out[key] = convert(kv.second);
        }
        return out;
    }
    }
    return nullptr;
}

}  // namespace

nlohmann::json yaml_to_json(std::string_view yaml_text) {
    try {
        return convert(YAML::Load(std::string(yaml_text)));
    } catch (const YAML::Exception& e) {
        throw YamlError("line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1) +
                        ": " + e.msg);
    }
}

}  // namespace holon::yaml
