#include "methods/report_method.hpp"

#include "compare/compare.hpp"
#include "diagram/pam_svg.hpp"
#include "drawing/svg_png.hpp"
#include "methods/common.hpp"
#include "report/report.hpp"
#include "ssm_schemas.hpp"

namespace holon_ssm::methods {

using nlohmann::json;

holon::MethodInfo ReportMethod::info() {
    return {"ssm.report",
            "Write the inquiry report",
            "A self-contained HTML document and a Markdown document of the inquiry: the models side by side, and per model the "
            "root definition in Checkland's full sentence form built from its CATWOE, the CATWOE table, the PQR line, the "
            "activity model picture, the check results, the comparison table and the changes.",
            schemas::report_params.data(),
            schemas::report_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT,
            ""};
}

void ReportMethod::run(holon::Context &ctx) {
    const Inputs in = read_inputs(ctx);
    const checks::Report findings = checks::check(in.inquiry, check_options(in.params), in.only);
    const std::vector<compare::Comparison> comparisons = compare::compare(in.inquiry, in.only);
    report::Inputs doc;
    const std::string fallback = in.models.size() == 1 ? in.models.front()->name : in.inquiry.name.empty() ? "SSM inquiry" : in.inquiry.name;
    doc.title = in.params.value("title", fallback);
    doc.inquiry = &in.inquiry;
    doc.models = in.models;
    doc.checks = &findings;
    doc.comparisons = &comparisons;
    json files = json::array({"report.html", "report.md"});
    for (const model::ActivityModel *m : in.models) {
        if (m->activities.empty()) continue;
        doc.svg[m->id] = diagram::pam_svg(in.inquiry, *m);
        doc.png_name[m->id] = m->id + ".png";
        ctx.put_blob(m->id + ".png", "image/png", holon_plugins::drawing::svg_to_png(doc.svg[m->id], 2.0));
        files.push_back(m->id + ".png");
    }
    ctx.put_blob("report.html", "text/html", report::html(doc));
    ctx.put_blob("report.md", "text/markdown", report::markdown(doc));
    ctx.put_json(json{{"files", files}, {"counts", counts_json(findings.findings)}}.dump());
}

} // namespace holon_ssm::methods
