#include "methods/compare_method.hpp"

#include "compare/compare.hpp"
#include "methods/common.hpp"
#include "ssm_schemas.hpp"
#include "text/csv.hpp"

namespace holon_ssm::methods {

using nlohmann::json;

namespace {

json optional_flag(const std::optional<bool> &b) { return b ? json(*b) : json(nullptr); }

// The comparison tables of every model as one sheet, by names, as a workshop would fill it in.
std::string comparison_csv(const std::vector<compare::Comparison> &comparisons) {
    holon_plugins::text::CsvWriter csv;
    csv.row({"model", "model name", "activity", "activity name", "kind", "exists", "how", "who", "judged",
             "alternatives", "change"});
    for (const compare::Comparison &c : comparisons)
        for (const compare::Row &r : c.rows)
            csv.row({c.model, c.name, r.activity, r.activity_name, r.kind, r.has_row ? r.exists : std::string(), r.how,
                     r.who, r.judged, r.alternatives, r.change});
    return csv.text();
}

} // namespace

holon::MethodInfo CompareMethod::info() {
    return {"ssm.compare",
            "Compare activity models with the real situation",
            "The comparison stage: for each activity model a row per activity (exists? how? who? judged how? alternatives), "
            "the coverage of the table, and the proposed changes with their systemically desirable and culturally feasible "
            "judgements, each traced to the comparison rows it comes from; several models side by side. The rows are also "
            "put as comparison.csv, by names.",
            schemas::compare_params.data(),
            schemas::compare_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT,
            ""};
}

void CompareMethod::run(holon::Context &ctx) {
    const Inputs in = read_inputs(ctx);
    json models = json::array();
    const std::vector<compare::Comparison> comparisons = compare::compare(in.inquiry, in.only);
    for (const compare::Comparison &c : comparisons) {
        json rows = json::array();
        for (const compare::Row &r : c.rows)
            rows.push_back({{"activity", r.activity}, {"activity_name", r.activity_name}, {"kind", r.kind}, {"has_row", r.has_row},
                            {"exists", r.exists}, {"how", r.how}, {"who", r.who}, {"judged", r.judged},
                            {"alternatives", r.alternatives}, {"change", r.change}});
        json changes = json::array();
        for (const compare::Change &k : c.changes)
            changes.push_back({{"id", k.id}, {"text", k.text}, {"rows", k.rows}, {"row_names", k.row_names},
                               {"desirable", optional_flag(k.desirable)}, {"feasible", optional_flag(k.feasible)},
                               {"status", k.status}, {"rationale", k.rationale}, {"from_row", k.from_row}, {"verdict", k.verdict}});
        models.push_back({{"model", c.model}, {"name", c.name}, {"worldview", c.worldview}, {"transformation", c.transformation},
                          {"rows", rows},
                          {"coverage", {{"activities", c.activities}, {"with_row", c.with_row}, {"exists_yes", c.exists_yes},
                                        {"exists_partly", c.exists_partly}, {"exists_no", c.exists_no},
                                        {"exists_unjudged", c.exists_unjudged}, {"desirable_and_feasible", c.desirable_and_feasible},
                                        {"without_row", c.without_row}, {"rows_without_activity", c.rows_without_activity}}},
                          {"changes", changes}});
    }
    const checks::Report report = checks::check(in.inquiry, check_options(json::object()), in.only);
    std::vector<checks::Finding> comparison_findings;
    for (const checks::Finding &f : report.findings)
        if (f.code.rfind("SSM-CMP-", 0) == 0 || f.code.rfind("SSM-CHG-", 0) == 0) comparison_findings.push_back(f);
    ctx.put_blob("comparison.csv", "text/csv", comparison_csv(comparisons));
    ctx.put_json(json{{"models", models}, {"findings", findings_json(comparison_findings)}}.dump());
}

} // namespace holon_ssm::methods
