// YAML -> JSON for every YAML document Holon reads (the OpenAPI document, batch job files).
// Plain scalars become null, booleans or numbers when they read as such (YAML 1.2 core schema);
// quoted scalars stay strings; a mapping with the same key twice is an error.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace holon::yaml {

// what() is "line L, column C: problem" (1-based) when the position is known.
class YamlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

nlohmann::json yaml_to_json(std::string_view yaml_text);

}  // namespace holon::yaml
