// The one reader for JSON request bodies (params, merge patches, tokens, workspaces, batch
// documents sent as JSON). Client data never reaches a recursive walker unchecked: the text is
// refused before parsing when it nests deeper than the limit (nlohmann's dump, merge_patch,
// copies and the schema validator recurse per level), and duplicate object keys are refused
// instead of silently keeping the last value.
#pragma once

#include "api/problem.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace holon::api {

struct JsonLimits {
    std::size_t max_bytes = std::size_t{32} << 20;
    std::size_t max_depth = 64;  // nested objects/arrays; the root counts as 1
};

// Parses `text`; malformed JSON, nesting over the limit, too many bytes and duplicate keys throw
// `reject(detail, errors)` (a 400 invalid-request by default).
nlohmann::json read_request_json(std::string_view text, const JsonLimits& limits,
                                 ApiError (*reject)(const std::string&, std::vector<FieldError>) =
                                     &problems::invalid_request);

}  // namespace holon::api
