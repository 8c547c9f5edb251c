#include "methods/export_xmile.hpp"

#include "methods/model_source.hpp"
#include "sd_schemas.hpp"
#include "xmile/writer.hpp"

#include <nlohmann/json.hpp>

namespace holon_sd {

holon::MethodInfo ExportXmileMethod::info() {
    holon::MethodInfo i{"sd.export-xmile", "Export XMILE",
                        "Writes the System Dynamics part of the shared model as an XMILE 1.0 document "
                        "(blob model.xmile) that Stella and other XMILE tools can open.",
                        schemas::export_xmile_params.data(), schemas::export_xmile_result.data()};
    i.kind = HOLON_METHOD_KIND_EXPORTER;
    i.flags = HOLON_METHOD_FLAG_CONCURRENT;
    i.formats = "xmile";
    return i;
}

void ExportXmileMethod::run(holon::Context &ctx) {
    Model m = model_from_context(ctx);
    std::string xml = write_xmile(m);
    ctx.put_blob("model.xmile", "application/xml", xml);
    ctx.put_json(nlohmann::json{{"blob", "model.xmile"}, {"bytes", xml.size()}, {"variables", m.variables.size()}}.dump());
}

} // namespace holon_sd
