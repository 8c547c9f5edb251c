#pragma once

// valijson evaluates `pattern`, `patternProperties` and `format` with std::regex. libstdc++'s
// std::regex recurses once per input character, so a long string (about 30 000 characters on
// an 8 MiB stack) crashes the process, and `format` on a non-string throws. These helpers make
// schemas and documents safe to hand to valijson. Private to holon_jsonschema.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jsonschema/json_schema.hpp"

namespace holon::jsonschema::detail {

// Longest string a `pattern` or `format` is evaluated on; longer strings under such a keyword are
// reported as too long instead.
inline constexpr std::size_t kMaxRegexInput = 2048;

// Rewrites every `pattern` and `format` keyword into an if/then/else that only applies it to
// strings of at most kMaxRegexInput characters, and compiles each regex once so that a bad
// pattern fails here (SchemaError) rather than during some later validation.
// Returns true when the schema uses `patternProperties` (then document keys need the check below).
bool guard_regex_keywords(nlohmann::json& schema);

// Object keys longer than kMaxRegexInput, as violations (patternProperties would regex them).
std::vector<Violation> overlong_keys(const nlohmann::json& document);

}  // namespace holon::jsonschema::detail
