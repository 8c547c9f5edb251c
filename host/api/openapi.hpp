// The OpenAPI document (schemas/openapi.yaml, embedded at build time) as JSON, and draft-07
// schemas cut out of it.
//
// How request validation stays in sync with the document: the component schemas in openapi.yaml
// use only keywords that OpenAPI 3.1 and JSON Schema draft-07 read the same way. A request body
// schema is turned into a standalone draft-07 document by copying every component schema under
// "definitions" and rewriting "#/components/schemas/X" references to "#/definitions/X"; the
// result is compiled with holon::jsonschema (valijson). Nothing is maintained twice.
#pragma once

#include "jsonschema/json_schema.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holon::api {

// The embedded schemas/openapi.yaml text.
const std::string& openapi_yaml();

struct Operation {
    std::string method;  // upper case: "GET"
    std::string path;    // template: "/v1/workspaces/{ws}"
    std::string operation_id;
    bool has_request_body = false;
    std::vector<std::string> request_media_types;  // the requestBody's content types, lower case
    // The content types of its 2xx responses, sorted (the YAML reader keeps no key order); empty
    // for operations without a response body. "application/octet-stream" means "whatever the
    // resource is" (stored files): the handler negotiates against the file's own type.
    std::vector<std::string> response_media_types;
};

class OpenApi {
public:
    explicit OpenApi(std::string_view yaml_text);
    ~OpenApi();
    OpenApi(OpenApi&&) noexcept;

    // The document parsed from the embedded YAML, built once.
    static const OpenApi& embedded();

    const nlohmann::json& document() const;
    const std::string& json_text() const;  // the document serialised for /v1/openapi.json
    const std::vector<Operation>& operations() const;

    // The draft-07 schema for operation_id's application/json request body; nullptr if none.
    const jsonschema::Schema* request_schema(const std::string& operation_id) const;

    // A standalone draft-07 schema for a schema object of this document (see the file comment).
    nlohmann::json standalone(const nlohmann::json& schema) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace holon::api
