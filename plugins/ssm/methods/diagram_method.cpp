#include "methods/diagram_method.hpp"

#include "diagram/pam_svg.hpp"
#include "drawing/svg_png.hpp"
#include "methods/common.hpp"
#include "ssm_schemas.hpp"

namespace holon_ssm::methods {

using nlohmann::json;

holon::MethodInfo DiagramMethod::info() {
    return {"ssm.diagram",
            "Draw purposeful activity models",
            "Draws each activity model as practitioners do: numbered activities as verb phrases in ovals, logical-dependency "
            "arrows, the operational subsystem in one boundary and the monitor-and-control subsystem set apart with its 3E/5E "
            "measures and their indicators. Writes <model>.svg and <model>.png per model that has activities.",
            schemas::diagram_params.data(),
            schemas::diagram_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT,
            ""};
}

void DiagramMethod::run(holon::Context &ctx) {
    const Inputs in = read_inputs(ctx);
    const double scale = in.params.value("scale", 2.0);
    json pictures = json::array();
    for (const model::ActivityModel *m : in.models) {
        if (m->activities.empty()) continue;
        const std::string svg = diagram::pam_svg(in.inquiry, *m);
        ctx.put_blob(m->id + ".svg", "image/svg+xml", svg);
        ctx.put_blob(m->id + ".png", "image/png", holon_plugins::drawing::svg_to_png(svg, scale));
        pictures.push_back({{"model", m->id}, {"name", m->name}, {"svg", m->id + ".svg"}, {"png", m->id + ".png"},
                            {"activities", m->activities.size()}});
    }
    if (pictures.empty()) ctx.warn("no activity model has activities yet: nothing to draw");
    ctx.put_json(json{{"pictures", pictures}}.dump());
}

} // namespace holon_ssm::methods
