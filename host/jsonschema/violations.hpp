#pragma once

// Turns valijson's error queue (bracketed context paths, nested "failed to validate ..." wrappers)
// into one clear Violation per failing location. Private to holon_jsonschema.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jsonschema/json_schema.hpp"

namespace holon::jsonschema::detail {

struct RawError {
    std::vector<std::string> context;  // valijson form: "<root>", "[variables]", "[12]", ...
    std::string description;
};

// RFC 6901 pointer for a valijson context ("~" -> "~0", "/" -> "~1").
std::string to_pointer(const std::vector<std::string>& context);

// `schema`, when given, is the schema the document was validated against: an unknown property
// then lists the allowed ones (with the closest as "did you mean") and an enum or const failure
// lists the allowed values.
std::vector<Violation> to_violations(const std::vector<RawError>& errors,
                                     const nlohmann::json& document, const nlohmann::json* schema = nullptr);

}  // namespace holon::jsonschema::detail
