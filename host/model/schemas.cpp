// The two JSON Schemas the binaries carry (embedded at build time by holon_embed_json), so that
// no file is needed at run time.
#include "model/model.hpp"

#include "embedded_schemas.hpp"

namespace holon::model {

const std::string& schema_text() {
    static const std::string text(embedded::model_schema);
    return text;
}

const std::string& manifest_schema_text() {
    static const std::string text(embedded::plugin_manifest_schema);
    return text;
}

}  // namespace holon::model
