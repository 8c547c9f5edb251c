#pragma once

// Cross-reference and structure checks that JSON Schema cannot express. Private to holon_model.

#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.hpp"

namespace holon::model::detail {

// Appends one Issue per problem. Tolerates any JSON value: parts that do not have the expected
// type are skipped (the schema check reports them).
void check_semantics(const nlohmann::json& doc, std::vector<Issue>& issues);

}  // namespace holon::model::detail
