#pragma once

// The shared system-of-interest model, `holon-model/1` (schemas/model.schema.json): parsing with
// limits, schema and cross-reference validation, and a canonical form whose hash identifies a
// model revision. Documents are nlohmann::json values; this header only needs the forward
// declaration.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace holon::model {

// One problem found in a model. `path` is an RFC 6901 JSON pointer ("" = the whole document),
// e.g. "/links/3/to"; `message` is one line.
struct Issue {
    std::string path;
    std::string message;

    friend bool operator==(const Issue&, const Issue&) = default;
};

// A document that cannot be read: malformed JSON, a limit exceeded, a duplicate key.
// what() is "SOURCE:LINE:COLUMN: message" when the position is known, otherwise
// "SOURCE: PATH: message" or "SOURCE: message".
class ModelError : public std::runtime_error {
public:
    ModelError(std::string source, int line, int column, std::string path, const std::string& message);

    std::string source;  // the source_name given to parse()
    int line;            // 1-based; 0 when unknown
    int column;          // 1-based, in bytes; 0 when unknown
    std::string path;    // JSON pointer of the offending value when known, else ""
};

struct ParseLimits {
    std::size_t max_bytes = std::size_t{64} << 20;  // 64 MiB
    std::size_t max_depth = 256;                    // nested objects/arrays, the root counts as 1
};

// JSON text -> document. Rejects malformed JSON (with line and column), texts over
// limits.max_bytes, nesting deeper than limits.max_depth and objects with duplicate keys.
// Does not check the schema: call validate() for that.
nlohmann::json parse(std::string_view text, const std::string& source_name, const ParseLimits& limits = {});

// Schema violations, then semantic checks (only when the document has the basic shape):
// ids unique per collection, references to variables/actors/indicators/units/variants/
// activities exist, scenario cells join variants of different descriptors, the VSM units form
// one tree. Empty = valid. Never throws for any JSON value.
std::vector<Issue> validate(const nlohmann::json& doc);

// Canonical UTF-8 serialisation: object keys sorted by their UTF-8 bytes, no whitespace, strings
// with the minimal JSON escapes, integral numbers of magnitude up to 2^53 written as integers
// (so 1.0 and 1 agree), other numbers in the shortest form that round-trips. Equal documents
// give equal bytes. Throws ModelError for strings that are not valid UTF-8 or non-finite numbers.
std::string canonical(const nlohmann::json& doc);

// "sha256:" + 64 lower-case hex digits of canonical(doc): the model revision id / ETag.
std::string hash(const nlohmann::json& doc);

// The embedded JSON Schemas (draft-07) for models and for plugin.json manifests.
const std::string& schema_text();
const std::string& manifest_schema_text();

}  // namespace holon::model
