#include "methods/analysis_methods.hpp"
#include "scenarios_schemas.hpp"

#include "methods/axes.hpp"

#include "text/csv.hpp"

namespace holon_scenarios::methods {
namespace {

constexpr const char *params_schema = schemas::matrix2x2_params.data();

constexpr const char *result_schema = schemas::matrix2x2_result.data();

// quadrants.csv: label, title (the poles' names), the two poles by descriptor name, the matching
// named scenario and, with a cross-impact matrix, how many consistent completions it has.
std::string quadrants_csv(const json &quadrants) {
    holon_plugins::text::CsvWriter csv;
    std::vector<std::string> header{"label", "title"};
    for (const json &d : quadrants.at(0).at("descriptors")) header.push_back(d.at("descriptor_name").get<std::string>());
    for (const char *column : {"scenario", "name", "consistent", "plausible"}) header.push_back(column);
    csv.row(header);
    for (const json &q : quadrants) {
        std::vector<std::string> row{q.at("label").get<std::string>(), q.at("title").get<std::string>()};
        for (const json &d : q.at("descriptors")) row.push_back(d.at("variant_name").get<std::string>());
        row.push_back(q.value("scenario", std::string()));
        row.push_back(q.value("name", std::string()));
        const bool scored = q.contains("plausibility");
        row.push_back(scored ? std::to_string(q["plausibility"]["consistent"].get<uint64_t>()) : std::string());
        row.push_back(scored ? (q["plausibility"]["plausible"].get<bool>() ? "true" : "false") : std::string());
        csv.row(row);
    }
    return csv.text();
}

} // namespace

holon::MethodInfo Matrix2x2Method::info() {
    return {"scenarios.matrix2x2",
            "2x2 scenario matrix",
            "Ranks drivers by impact x uncertainty, takes two axes, lays out four quadrants with their narratives and "
            "signposts, and - when the axes are descriptors of a CIB set - checks each quadrant's plausibility by "
            "counting its consistent completions (filter or intervention semantics).",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void Matrix2x2Method::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json doc = holon::read_model(ctx);
    const model::ScenarioSet set = read_set(ctx, doc, params, "");
    const auto axes = axes_from(set, params);
    json out{{"warnings", json::array()}};
    json drivers = json::array();
    for (const auto &d : drivers_of(set))
        drivers.push_back({{"descriptor", set.descriptors[static_cast<size_t>(d.descriptor)].id},
                           {"descriptor_name", display_name(set.descriptors[static_cast<size_t>(d.descriptor)])},
                           {"impact", d.impact}, {"uncertainty", d.uncertainty}, {"score", d.score()}});
    out["drivers"] = drivers;
    json axes_json = json::array();
    for (const auto &a : axes) {
        const auto &desc = set.descriptors[static_cast<size_t>(a.descriptor)];
        const auto &low = desc.variants[static_cast<size_t>(a.poles[0])];
        const auto &high = desc.variants[static_cast<size_t>(a.poles[1])];
        axes_json.push_back({{"descriptor", desc.id},
                             {"descriptor_name", display_name(desc)},
                             {"poles", {low.id, high.id}},
                             {"pole_names", {display_name(low), display_name(high)}}});
    }
    out["axes"] = axes_json;

    // CIB plausibility when the set has a cross-impact matrix.
    std::optional<cib::Matrix> cim;
    const std::string only = text_param(params, "matrix", "");
    for (const model::Matrix *m : set.matrices_of_kind("cross-impact"))
        if (only.empty() || m->id == only) {
            try {
                cib::Matrix one = model::to_cib(set, *m);
                cim = cim ? cib::sum({*cim, one}) : one;
            } catch (const model::ModelError &e) {
                throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what());
            }
        }
    const std::string semantics = text_param(params, "semantics", "filter");
    if (semantics != "filter" && semantics != "intervention") invalid_params("semantics must be filter or intervention");
    out["semantics"] = semantics;
    std::array<cib::SearchResult, 4> plaus;
    if (cim) {
        cib::SearchOptions o;
        o.tolerance = static_cast<int64_t>(count_param(params, "tolerance", 0));
        o.cap = count_param(params, "cap", 20);
        o.time_budget_seconds = number_param(params, "time_budget", 0);
        o.cancelled = [&ctx] { return ctx.cancelled(); };
        plaus = matrix2x2::plausibility(*cim, axes[0], axes[1],
                                        semantics == "filter" ? matrix2x2::Semantics::filter : matrix2x2::Semantics::intervention, o);
        for (const auto &r : plaus)
            if (r.stopped == cib::StopReason::cancelled) ctx.check_cancelled();
        const int32_t strongest = matrix2x2::strongest_cross_impact(*cim, axes[0].descriptor, axes[1].descriptor);
        if (strongest >= 2)
            out["warnings"].push_back({{"rule", "S2X2-AXES-DEPENDENT"},
                                       {"message", "the axis descriptors impact each other strongly (|cell| up to " +
                                                       std::to_string(strongest) + "); the axes are not independent"}});
    }
    json quadrants = json::array();
    const auto poles = matrix2x2::quadrant_poles();
    for (size_t q = 0; q < 4; ++q) {
        const auto &dx = set.descriptors[static_cast<size_t>(axes[0].descriptor)];
        const auto &dy = set.descriptors[static_cast<size_t>(axes[1].descriptor)];
        const int px = axes[0].poles[static_cast<size_t>(poles[q][0])], py = axes[1].poles[static_cast<size_t>(poles[q][1])];
        const std::string vx = dx.variants[static_cast<size_t>(px)].id;
        const std::string vy = dy.variants[static_cast<size_t>(py)].id;
        cib::Scenario chosen(set.descriptors.size(), -1);
        chosen[static_cast<size_t>(axes[0].descriptor)] = px;
        chosen[static_cast<size_t>(axes[1].descriptor)] = py;
        json quadrant{{"label", vx + "/" + vy},
                      {"poles", {{dx.id, vx}, {dy.id, vy}}},
                      {"descriptors", descriptor_rows_json(set, chosen)},
                      {"title", display_name(dx.variants[static_cast<size_t>(px)]) + " / " +
                                    display_name(dy.variants[static_cast<size_t>(py)])}};
        // The narrative and signposts of the first named scenario with both poles.
        for (const auto &s : set.scenarios) {
            const bool has_x = std::find(s.variants.begin(), s.variants.end(), vx) != s.variants.end();
            const bool has_y = std::find(s.variants.begin(), s.variants.end(), vy) != s.variants.end();
            if (has_x && has_y) {
                quadrant["scenario"] = s.id;
                quadrant["name"] = s.name;
                quadrant["narrative"] = s.narrative;
                quadrant["signposts"] = s.signposts;
                break;
            }
        }
        if (cim) {
            json completions = json::array();
            for (const auto &f : plaus[q].scenarios)
                completions.push_back({{"label", label(set, f.scenario)},
                                       {"variants", variants_json(set, f.scenario)},
                                       {"descriptors", descriptor_rows_json(set, f.scenario)},
                                       {"total_impact_score", f.total_impact_score},
                                       {"inconsistency", f.inconsistency}});
            quadrant["plausibility"] = {{"consistent", plaus[q].count}, {"truncated", plaus[q].truncated()},
                                        {"plausible", plaus[q].count > 0}, {"scenarios", completions}};
        }
        quadrants.push_back(std::move(quadrant));
    }
    out["quadrants"] = quadrants;
    ctx.put_blob("quadrants.csv", "text/csv", quadrants_csv(quadrants));
    ctx.put_json(out.dump());
}

} // namespace holon_scenarios::methods
