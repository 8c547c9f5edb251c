// What every cld method does first: read its params and the causal map, failing with the SDK's
// precise status codes.
#pragma once

#include "graph/causal_graph.hpp"

#include <holon/inputs.hpp>
#include <holon/plugin.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace holon_cld::methods {

// The model's causal map; HOLON_ERR_INVALID_MODEL with {"path": <JSON Pointer>} when unusable.
CausalGraph read_graph(const holon::Context &ctx);

// The variable named by params[key], or HOLON_ERR_INVALID_PARAMS when the model has no such id.
std::size_t variable_param(const CausalGraph &graph, const nlohmann::json &params, const char *key);

// A JSON string literal, escaped.
std::string json_string(const std::string &text);

} // namespace holon_cld::methods
