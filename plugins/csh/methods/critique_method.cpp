#include "methods/critique_method.hpp"

#include "csh_schemas.hpp"
#include "critique/critique.hpp"
#include "drawing/svg_png.hpp"
#include "methods/common.hpp"
#include "report/report.hpp"
#include "text/csv.hpp"

namespace holon_csh::methods {
namespace {

std::string text_of(const nlohmann::json &v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return v.is_null() ? std::string() : v.dump();
}

// The entities' names, "; " between them (the ids are in the JSON result).
std::string names_of(const nlohmann::json &entities) {
    std::string out;
    for (const auto &e : entities) out += (out.empty() ? "" : "; ") + text_of(e.value("name", e.value("id", nlohmann::json())));
    return out;
}

// One row per is/ought gap, by names, for a spreadsheet: the heart of a boundary critique workshop.
std::string gaps_csv(const nlohmann::json &result) {
    holon_plugins::text::CsvWriter csv;
    csv.row({"category", "question", "perspective", "perspective name", "gap", "is answer", "ought answer",
             "only in is", "only in ought"});
    for (const auto &g : result.value("gaps", nlohmann::json::array()))
        csv.row({text_of(g.value("category", nlohmann::json())), text_of(g.value("name", nlohmann::json())),
                 text_of(g.value("perspective", nlohmann::json())), text_of(g.value("perspective_name", nlohmann::json())),
                 text_of(g.value("gap", nlohmann::json())), text_of(g.value("is_answer", nlohmann::json())),
                 text_of(g.value("ought_answer", nlohmann::json())), names_of(g.value("only_is", nlohmann::json::array())),
                 names_of(g.value("only_ought", nlohmann::json::array()))});
    return csv.text();
}

} // namespace

holon::MethodInfo CritiqueMethod::info() {
    return {"csh.critique",
            "Boundary critique (CSH)",
            "Critical Systems Heuristics bound to the model: per perspective the coverage of Ulrich's 12 categories in "
            "is and ought mode, the is/ought gap of each category typed from the bound entities, the divergence between "
            "perspectives (Jaccard distance), and checks against the model: the affected but not involved, decision-"
            "environment items the model treats as levers, resources with no lever, measures nothing computes, and "
            "expertise and guarantors against who asserted the model's judgements. Writes the gaps by name as gaps.csv "
            "and a report (HTML, Markdown, divergence heat map).",
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
        ctx.put_blob("gaps.csv", "text/csv", gaps_csv(result));
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
