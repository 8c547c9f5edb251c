#include "methods/critique_method.hpp"

#include "csh_schemas.hpp"
#include "critique/critique.hpp"
#include "drawing/svg_png.hpp"
#include "methods/common.hpp"
#include "report/report.hpp"

namespace holon_csh::methods {

holon::MethodInfo CritiqueMethod::info() {
    return {"csh.critique",
            "Boundary critique (CSH)",
            "Critical Systems Heuristics bound to the model: per perspective the coverage of Ulrich's 12 categories in "
            "is and ought mode, the is/ought gap of each category typed from the bound entities, the divergence between "
            "perspectives (Jaccard distance), and checks against the model: the affected but not involved, decision-"
            "environment items the model treats as levers, resources with no lever, measures nothing computes, and "
            "expertise and guarantors against who asserted the model's judgements. Writes a report (HTML, Markdown, "
            "divergence heat map).",
            schemas::critique_params.data(),
            schemas::critique_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void CritiqueMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const nlohmann::json doc = holon::read_model(ctx);
    ctx.progress(0.05, "reading");
    const Model model = read_csh_model(doc);
    CritiqueOptions options;
    options.divergence_threshold = params.value("divergence_threshold", options.divergence_threshold);
    options.min_confidence = params.value("min_confidence", options.min_confidence);
    ctx.check_cancelled();
    ctx.progress(0.2, "critique");
    const nlohmann::json result = critique(model, options);
    ctx.check_cancelled();
    if (params.value("report", true)) {
        ctx.progress(0.7, "report");
        const std::string svg = divergence_heatmap_svg(result);
        const Report report = render_report(model_name(doc), result, svg);
        ctx.put_blob("csh-divergence.svg", "image/svg+xml", svg);
        ctx.put_blob("csh-divergence.png", "image/png", holon_plugins::drawing::svg_to_png(svg, 2.0));
        ctx.put_blob("critique.md", "text/markdown", report.markdown);
        ctx.put_blob("critique.html", "text/html", report.html);
    }
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_csh::methods
