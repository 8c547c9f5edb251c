// YAML -> JSON for the OpenAPI document and the config file. Plain scalars become null, booleans
// or numbers when they read as such (YAML 1.2 core schema); quoted scalars stay strings.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace holon::api {

class YamlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

nlohmann::json yaml_to_json(std::string_view yaml_text);

}  // namespace holon::api
