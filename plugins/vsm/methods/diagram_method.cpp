#include "methods/diagram_method.hpp"

#include "diagnose/rules.hpp"
#include "methods/common.hpp"
#include "methods/diagrams.hpp"
#include "vsm_schemas.hpp"

namespace holon_vsm::methods {

holon::MethodInfo DiagramMethod::info() {
    return {"vsm.diagram", "Beer's diagram",
            "Beer's diagram of each recursion level (S5/S4/S3 stacked, S3* and S2, the operations with their management and "
            "environment, channels by type, expected channels that are missing dotted in orange, finding counts as badges) "
            "and a nested view of all levels, as SVG and PNG blobs.",
            schemas::diagram_params.data(), schemas::diagram_result.data(), HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void DiagramMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const Organisation org = organisation_of(holon::read_model(ctx));
    if (org.units.empty()) holon::fail_model("/organisation/units", "the model has no organisation units to draw");
    DiagramOptions options;
    if (params.contains("unit")) {
        const auto it = org.unit_index.find(params["unit"].get<std::string>());
        if (it == org.unit_index.end()) holon::fail_params("/unit", "unknown unit '" + params["unit"].get<std::string>() + "'");
        options.only_unit = it->second;
    }
    options.max_levels = params.value("max_levels", options.max_levels);
    options.nested = params.value("nested", options.nested);
    options.png = params.value("png", options.png);
    options.scale = params.value("scale", options.scale);
    int omitted = 0;
    const std::vector<DrawnDiagram> drawn = draw_diagrams(ctx, org, finding_counts(diagnose(org, {})), options, omitted);
    nlohmann::json result{{"diagrams", diagrams_json(org, drawn)}};
    if (omitted > 0) result["omitted_levels"] = omitted;
    ctx.put_json(result.dump());
}

} // namespace holon_vsm::methods
