#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace holon::jsonschema {

// One reason a document does not satisfy a schema.
struct Violation {
    std::string path;     // RFC 6901 JSON pointer into the document ("" = the root)
    std::string message;  // one line, e.g. "missing required property 'id'"

    friend bool operator==(const Violation&, const Violation&) = default;
};

// The schema text is not JSON, or is JSON but not a usable draft-07 schema.
class SchemaError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A compiled draft-07 schema. Copies share the same immutable compiled form, so copying is
// cheap and validate() may be called from any number of threads at once.
class Schema {
public:
    static Schema parse(std::string_view schema_json);
    static Schema from_json(const nlohmann::json& schema);

    // Empty result = valid. Each violation names the deepest failing location once.
    std::vector<Violation> validate(const nlohmann::json& document) const;

    // As validate(), but starting from text: malformed JSON gives exactly one violation at
    // path "" whose message starts with "line L, column C: ".
    std::vector<Violation> validate_text(std::string_view json_text) const;

private:
    struct Compiled;
    explicit Schema(std::shared_ptr<const Compiled> compiled);
    std::shared_ptr<const Compiled> compiled_;
};

}  // namespace holon::jsonschema
