// The OpenAPI document the server was built with (embedded by holon_embed_json), so that it
// serves and validates against exactly that text and needs no file at run time.
#include "api/openapi.hpp"

#include "embedded_openapi.hpp"

namespace holon::api {

const std::string& openapi_yaml() {
    static const std::string text(embedded::openapi_yaml);
    return text;
}

}  // namespace holon::api
