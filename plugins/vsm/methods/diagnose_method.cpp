#include "methods/diagnose_method.hpp"

#include "diagnose/result_json.hpp"
#include "methods/common.hpp"
#include "methods/diagrams.hpp"
#include "report/report.hpp"
#include "variety/variety.hpp"
#include "vsm_schemas.hpp"

namespace holon_vsm::methods {

holon::MethodInfo DiagnoseMethod::info() {
    return {"vsm.diagnose", "Viable System diagnosis",
            "Structural, functional and channel diagnosis of every recursion level against Pérez Ríos's taxonomy of "
            "organisational pathologies (I1-I4, II1-II17, III1-III5) and the joins of roles with actors; rules the data "
            "cannot decide are listed as not assessable with what is missing.",
            schemas::diagnose_params.data(), schemas::diagnose_result.data(), HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

namespace {

DiagnoseOptions options_of(const nlohmann::json &params) {
    DiagnoseOptions o;
    if (params.contains("disable"))
        for (const auto &code : params["disable"]) {
            if (!code.is_string() || !find_rule(code.get<std::string>()))
                holon::fail_params("/disable", "unknown rule code " + code.dump());
            o.disabled.insert(code.get<std::string>());
        }
    o.i1_min_operations = params.value("i1_min_operations", o.i1_min_operations);
    o.i3_max_operations = params.value("i3_max_operations", o.i3_max_operations);
    o.iii2_max_sources = params.value("iii2_max_sources", o.iii2_max_sources);
    return o;
}

} // namespace

void DiagnoseMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const DiagnoseOptions options = options_of(params);
    const Organisation org = organisation_of(holon::read_model(ctx));
    if (org.units.empty()) holon::fail_model("/organisation/units", "the model has no organisation units to diagnose");
    const Diagnosis diagnosis = diagnose(org, options);
    nlohmann::json result = diagnosis_json(org, diagnosis, options);
    if (params.value("report", false)) {
        const FindingCounts counts = finding_counts(diagnosis);
        int omitted = 0;
        const std::vector<DrawnDiagram> drawn = draw_diagrams(ctx, org, counts, DiagramOptions{}, omitted);
        std::vector<ReportPicture> pictures;
        for (const DrawnDiagram &d : drawn)
            pictures.push_back({d.view == "nested" ? std::string("All recursion levels, nested")
                                                   : "Level " + std::to_string(org.units[static_cast<std::size_t>(d.unit)].level) +
                                                         ": " + org.units[static_cast<std::size_t>(d.unit)].name,
                                d.svg, d.png_name});
        const nlohmann::json variety = variety_report(org);
        ctx.put_blob("report.html", "text/html", report_html(org, result, variety, pictures));
        ctx.put_blob("report.md", "text/markdown", report_markdown(org, result, variety, pictures));
        result["report"] = {{"html", "report.html"}, {"markdown", "report.md"}, {"diagrams", diagrams_json(org, drawn)}};
    }
    ctx.put_json(result.dump());
}

} // namespace holon_vsm::methods
