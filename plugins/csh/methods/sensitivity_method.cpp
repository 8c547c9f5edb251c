#include "methods/sensitivity_method.hpp"

#include "csh_schemas.hpp"
#include "drawing/svg_png.hpp"
#include "methods/common.hpp"
#include "report/sensitivity_chart.hpp"
#include "sensitivity/variants.hpp"

#include <algorithm>

#include <cstdio>
#include <set>

namespace holon_csh::methods {
namespace {

using nlohmann::json;

Series simulate(const holon::Context &ctx, const json &params, const std::string &model, const std::string &what) {
    const holon::InvokeResult r = ctx.invoke("sd.simulate", params.dump(), model);
    r.throw_if_failed(what);
    const holon::TableView table = r.table("series");
    Series s;
    for (uint32_t c = 0; c < table.column_count(); ++c) {
        s.names.emplace_back(table.column_name(c));
        const double *values = table.column(c);
        s.columns.emplace_back(values, values + table.row_count());
    }
    return s;
}

// The loops of a model as sorted variable-id sets; nullopt when cld.loops is not available.
std::optional<std::set<std::vector<std::string>>> loops(const holon::Context &ctx, const std::string &model) {
    const holon::InvokeResult r = ctx.invoke("cld.loops", R"({"max_loops": 10000})", model);
    if (!r.ok()) {
        if (r.status() == HOLON_ERR_CANCELLED) throw holon::Error(HOLON_ERR_CANCELLED, "cancelled");
        ctx.warn("cld.loops failed, loops not compared: " + std::string(r.error_message()));
        return std::nullopt;
    }
    std::set<std::vector<std::string>> out;
    for (const auto &[id, vars] : loop_sets(json::parse(r.json()))) out.insert(vars);
    return out;
}

json perspective_names(const Model &m, const std::vector<std::string> &keys) {
    json out = json::array();
    for (const std::string &key : keys)
        for (const Perspective &p : m.perspectives)
            if (p.key == key) out.push_back(p.name);
    return out;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

} // namespace

holon::MethodInfo SensitivityMethod::info() {
    return {"csh.boundary-sensitivity",
            "Boundary sensitivity (CSH x SD)",
            "For each boundary judgement that draws the model's boundary differently (a variable inside in a "
            "perspective's ought but not its is, or the other way; an exogenous variable a perspective counts as the "
            "decision-maker's resource), builds the model variant it implies, runs it through sd.simulate (or "
            "cld.loops for a causal map) and reports which judgements change the category-3 outcome measures or the "
            "feedback loops, and by how much.",
            schemas::boundary_sensitivity_params.data(),
            schemas::boundary_sensitivity_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void SensitivityMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json doc = holon::read_model(ctx);
    const Model model = read_csh_model(doc);
    const double control_change = params.value("control_change", 0.1);
    const double tolerance = params.value("tolerance", 0.01);
    const std::size_t max_variants = params.value("max_variants", 50u);
    const json sim_params = params.value("simulate", json::object());
    const bool compare_loops = params.value("loops", true) && !holon::array_member(doc, "links").empty();
    const bool simulation = is_simulation_model(doc);

    const std::vector<BoundaryJudgement> judgements = boundary_judgements(model);
    const std::vector<std::string> measures = outcome_measures(model);
    json result = {{"model_kind", simulation ? "simulation" : "causal-map"}, {"truncated", false}};
    json measures_json = json::array();
    for (const std::string &id : measures) measures_json.push_back({{"id", id}, {"name", model.name_of({"variable", id})}});
    result["measures"] = measures_json;

    ctx.progress(0.05, "baseline");
    Series base;
    json baseline = json::object();
    if (simulation) {
        base = simulate(ctx, sim_params, "", "the baseline run");
        json finals = json::array();
        for (const MeasureEffect &e : compare_measures(model, measures, base, base))
            finals.push_back({{"id", e.id}, {"name", e.name}, {"final", e.baseline_final}});
        baseline["measures"] = finals;
    }
    std::optional<std::set<std::vector<std::string>>> base_loops;
    if (compare_loops) base_loops = loops(ctx, "");
    baseline["loops"] = base_loops ? json(base_loops->size()) : json(nullptr);
    result["baseline"] = baseline;

    json out = json::array(), changed = json::array();
    std::size_t runs = 0;
    for (std::size_t i = 0; i < judgements.size(); ++i) {
        ctx.check_cancelled();
        ctx.progress(0.1 + 0.85 * static_cast<double>(i) / static_cast<double>(judgements.size()), "variants");
        const BoundaryJudgement &j = judgements[i];
        json entry = {{"id", j.id},
                      {"type", j.type},
                      {"entity", {{"type", j.entity.type}, {"id", j.entity.id}, {"name", model.name_of(j.entity)}}},
                      {"records", j.records},
                      {"perspectives", j.perspectives},
                      {"perspective_names", perspective_names(model, j.perspectives)},
                      {"statements", j.statements},
                      {"simulated", false}};
        if (!j.simulable) {
            entry["reason"] = "an actor has no equation and no causal links, so the model has no variant for this judgement";
            out.push_back(std::move(entry));
            continue;
        }
        if (j.type == "exclude" && std::find(measures.begin(), measures.end(), j.entity.id) != measures.end()) {
            entry["reason"] = "it is itself an outcome measure: holding it outside the boundary would only hide it; its "
                              "baseline values are under baseline.measures";
            out.push_back(std::move(entry));
            continue;
        }
        if (runs >= max_variants) {
            entry["reason"] = "max_variants reached";
            result["truncated"] = true;
            out.push_back(std::move(entry));
            continue;
        }
        ++runs;
        json variant;
        try {
            variant = variant_model(doc, j, simulation, simulation ? &base : nullptr, control_change);
        } catch (const std::invalid_argument &e) {
            entry["reason"] = e.what();
            out.push_back(std::move(entry));
            continue;
        }
        const std::string variant_text = variant.dump();
        entry["simulated"] = true;
        const std::string name = model.name_of(j.entity);
        if (j.type == "exclude")
            entry["variant"] = simulation ? name + " held at its starting value " +
                                                number(base.find(name, j.entity.id)->front()) + " (outside the boundary)"
                                          : name + " and its links taken out of the map";
        else
            entry["variant"] = simulation ? name + " moved by the decision-maker: \u00d7 " + number(1 + control_change)
                                          : name + " set by the decision-maker (its incoming links cut)";
        bool changes_outcome = false;
        if (simulation) {
            const Series v = simulate(ctx, sim_params, variant_text, "the variant of " + j.id);
            json effects = json::array();
            for (const MeasureEffect &e : compare_measures(model, measures, base, v)) {
                const bool changes = e.max_rel_delta > tolerance;
                changes_outcome = changes_outcome || changes;
                effects.push_back({{"measure", e.id},
                                   {"name", e.name},
                                   {"baseline_final", e.baseline_final},
                                   {"variant_final", e.variant_final},
                                   {"max_abs_delta", e.max_abs_delta},
                                   {"max_rel_delta", e.max_rel_delta},
                                   {"final_rel_delta", e.final_rel_delta},
                                   {"changes", changes}});
            }
            entry["effects"] = effects;
            entry["changes_outcome"] = changes_outcome;
        }
        bool changes_loops = false;
        if (base_loops) {
            const auto v = loops(ctx, variant_text);
            if (v) {
                json lost = json::array(), gained = json::array();
                for (const auto &l : *base_loops)
                    if (!v->contains(l)) lost.push_back(l);
                for (const auto &l : *v)
                    if (!base_loops->contains(l)) gained.push_back(l);
                changes_loops = !lost.empty() || !gained.empty();
                entry["loops"] = {{"baseline", base_loops->size()}, {"variant", v->size()}, {"lost", lost}, {"gained", gained}};
            } else {
                entry["loops"] = nullptr;
            }
            entry["changes_loops"] = changes_loops;
        }
        if (changes_outcome || changes_loops) changed.push_back(j.id);
        out.push_back(std::move(entry));
    }
    result["judgements"] = out;
    result["changed"] = changed;
    if (const std::string svg = sensitivity_chart_svg(result); !svg.empty()) {
        ctx.put_blob("csh-sensitivity.svg", "image/svg+xml", svg);
        ctx.put_blob("csh-sensitivity.png", "image/png", holon_plugins::drawing::svg_to_png(svg, 2.0));
    }
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_csh::methods
