#include "methods/cib_method.hpp"
#include "scenarios_schemas.hpp"

#include "cib/balance.hpp"
#include "cib/ensemble.hpp"
#include "cib/monte_carlo.hpp"
#include "cib/search.hpp"
#include "cib/succession.hpp"
#include "formats/scw.hpp"
#include "methods/common.hpp"

#include "text/csv.hpp"

namespace holon_scenarios::methods {
namespace {

constexpr const char *params_schema = schemas::cib_params.data();

constexpr const char *result_schema = schemas::cib_result.data();

json scenario_json(const model::ScenarioSet &set, const cib::Found &f) {
    return json{{"label", label(set, f.scenario)},
                {"variants", variants_json(set, f.scenario)},
                {"descriptors", descriptor_rows_json(set, f.scenario)},
                {"total_impact_score", f.total_impact_score},
                {"inconsistency", f.inconsistency},
                {"margin", f.min_margin},
                {"weakly_consistent", f.min_margin == 0}};
}

const char *stop_name(cib::StopReason r) {
    switch (r) {
    case cib::StopReason::none: return "none";
    case cib::StopReason::time_budget: return "time_budget";
    case cib::StopReason::cancelled: return "cancelled";
    }
    return "?";
}

cib::Scenario scenario_from(const model::ScenarioSet &set, const json &variants) {
    const std::vector<int> chosen = fixed_from(set, variants);
    for (size_t d = 0; d < chosen.size(); ++d)
        if (chosen[d] < 0) invalid_params("evaluate: no variant given for descriptor '" + set.descriptors[d].id + "'");
    return chosen;
}

json balances_json(const model::ScenarioSet &set, const cib::Evaluation &e) {
    json balances = json::object(), margins = json::object();
    for (size_t d = 0; d < set.descriptors.size(); ++d) {
        balances[set.descriptors[d].id] = e.balances[d];
        margins[set.descriptors[d].id] = e.margins[d];
    }
    return json{{"balances", balances}, {"margins", margins}};
}

// scenarios.csv: one row per scenario, its label, the variant name of every descriptor (columns
// headed by the descriptors' names) and its scores.
std::string scenarios_csv(const model::ScenarioSet &set, const json &scenarios, bool ensemble) {
    holon_plugins::text::CsvWriter csv;
    std::vector<std::string> header{"label"};
    for (const std::string &name : descriptor_names(set)) header.push_back(name);
    for (const char *column : {"total_impact_score", "inconsistency", "margin", "weakly_consistent"}) header.push_back(column);
    if (ensemble) header.push_back("matrices_agreeing");
    csv.row(header);
    for (const json &scenario : scenarios) {
        std::vector<std::string> row{scenario.at("label").get<std::string>()};
        for (const json &d : scenario.at("descriptors")) row.push_back(d.at("variant_name").get<std::string>());
        row.push_back(std::to_string(scenario.at("total_impact_score").get<int64_t>()));
        row.push_back(std::to_string(scenario.at("inconsistency").get<int64_t>()));
        row.push_back(std::to_string(scenario.at("margin").get<int64_t>()));
        row.push_back(scenario.at("weakly_consistent").get<bool>() ? "true" : "false");
        if (ensemble) row.push_back(std::to_string(scenario.value("matrices_agreeing", 0)));
        csv.row(row);
    }
    return csv.text();
}

} // namespace

holon::MethodInfo CibMethod::info() {
    return {"scenarios.cib",
            "Cross-Impact Balance analysis",
            "Finds the self-consistent scenarios of a CIB scenario set (Weimer-Jehle 2006) by exact branch and bound "
            "or Monte Carlo: impact balances, inconsistency with a tolerance, total impact scores, margins (ties are "
            "weak consistency), ensembles of expert matrices, fixed descriptors, succession basins, attractors and "
            "cycles with a named tie rule, and the inconsistency histogram. Each scenario is labelled by its variant ids "
            "(A1/B3/C1) and listed descriptor by descriptor with names; scenarios.csv holds the same table.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void CibMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json doc = holon::read_model(ctx);
    const model::ScenarioSet set = read_set(ctx, doc, params, "cross-impact");
    std::vector<cib::Matrix> matrices;
    std::vector<std::string> matrix_ids;
    const std::string only = text_param(params, "matrix", "");
    try {
        for (const model::Matrix *m : set.matrices_of_kind("cross-impact"))
            if (only.empty() || m->id == only) {
                matrices.push_back(model::to_cib(set, *m));
                matrix_ids.push_back(m->id);
            }
    } catch (const model::ModelError &e) {
        throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what());
    }
    if (matrices.empty())
        throw holon::Error(HOLON_ERR_INVALID_MODEL, only.empty() ? "scenario set '" + set.id + "' has no cross-impact matrix"
                                                                 : "scenario set '" + set.id + "' has no cross-impact matrix '" + only + "'");
    const cib::Matrix total = cib::sum(matrices);
    if (const int self = total.self_impact_cells(); self > 0)
        ctx.warn(std::to_string(self) + " cell(s) within one descriptor (self-impacts, matrix marked self_impacts) are counted "
                 "in the impact balances, as ScenarioWizard counts them");

    cib::SearchOptions o;
    o.tolerance = static_cast<int64_t>(count_param(params, "tolerance", 0));
    o.fixed = fixed_from(set, params.value("fixed", json()));
    const std::string semantics = text_param(params, "fixed_semantics", "intervention");
    o.fixed_exempt = semantics != "filter";
    o.cap = count_param(params, "cap", 10000);
    o.time_budget_seconds = number_param(params, "time_budget", 0);
    o.threads = static_cast<unsigned>(count_param(params, "threads", 2));
    o.cancelled = [&ctx] { return ctx.cancelled(); };
    std::vector<bool> exempt(set.descriptors.size(), false);
    for (size_t d = 0; d < exempt.size(); ++d) exempt[d] = o.fixed[d] >= 0 && o.fixed_exempt;

    const std::string how = text_param(params, "search", "exhaustive");
    json out;
    out["tolerance"] = o.tolerance;
    out["consistency_rule"] =
        "a descriptor holds when its variant's impact balance is >= every rival's minus the tolerance; ties count as "
        "consistent (weak consistency, margin 0)";
    ctx.progress(0.0, "search");
    if (matrices.size() > 1) {
        const auto rule = cib::ensemble_rule_from_name(text_param(params, "ensemble", "all"));
        if (!rule) invalid_params("ensemble must be all, majority or sum");
        if (how != "exhaustive") invalid_params("ensembles are searched exhaustively");
        const cib::EnsembleResult r = cib::ensemble_search(matrices, *rule, o);
        if (r.stopped == cib::StopReason::cancelled) ctx.check_cancelled();
        out["count"] = r.count;
        out["truncated"] = !r.complete || r.count > r.scenarios.size();
        out["scenarios"] = json::array();
        for (const auto &s : r.scenarios) {
            json j = scenario_json(set, s.found);
            j["matrices_agreeing"] = s.agreeing;
            json by = json::array();
            for (size_t k = 0; k < matrix_ids.size(); ++k)
                if (s.accepted_by[k]) by.push_back(matrix_ids[k]);
            j["accepted_by"] = by;
            out["scenarios"].push_back(std::move(j));
        }
        json per = json::array();
        for (size_t k = 0; k < matrix_ids.size(); ++k)
            per.push_back({{"matrix", matrix_ids[k]}, {"count", r.per_matrix[k].count}, {"complete", r.per_matrix[k].complete}});
        out["ensemble"] = {{"rule", cib::name_of(*rule)}, {"matrices", per},
                           {"scores", "total_impact_score and inconsistency are those of the sum matrix"}};
        out["search"] = {{"method", "branch-and-bound"}, {"complete", r.complete}, {"stopped", stop_name(r.stopped)},
                         {"space", total.scenario_count()}};
    } else {
        cib::SearchResult r;
        if (how == "monte-carlo") {
            cib::MonteCarloOptions mc;
            mc.samples = count_param(params, "samples", 100000);
            mc.seed = count_param(params, "seed", 1);
            r = cib::monte_carlo(total, o, mc);
        } else if (how == "exhaustive") {
            r = cib::search(total, o);
        } else {
            invalid_params("search must be exhaustive or monte-carlo");
        }
        if (r.stopped == cib::StopReason::cancelled) ctx.check_cancelled();
        out["count"] = r.count;
        out["truncated"] = r.truncated();
        out["scenarios"] = json::array();
        for (const cib::Found &f : r.scenarios) out["scenarios"].push_back(scenario_json(set, f));
        out["search"] = {{"method", how == "monte-carlo" ? "monte-carlo" : "branch-and-bound"},
                         {"complete", r.complete},
                         {"stopped", stop_name(r.stopped)},
                         {"nodes", r.nodes},
                         {"space", total.scenario_count()}};
        if (how == "monte-carlo") out["search"]["seed"] = count_param(params, "seed", 1);
    }
    out["standardised"] = total.standardised();
    out["fixed_semantics"] = semantics;

    if (params.value("histogram", false)) {
        if (total.scenario_count() > 10'000'000) invalid_params("histogram: the space has more than 10 million scenarios");
        json h = json::array();
        for (const auto &[ic, n] : cib::inconsistency_histogram(total, o.fixed, o.fixed_exempt))
            h.push_back({{"inconsistency", ic}, {"count", n}});
        out["histogram"] = h;
    }
    if (params.contains("succession")) {
        const json &sp = params["succession"];
        cib::SuccessionOptions so;
        const auto mode = cib::succession_mode_from_name(text_param(sp, "mode", "global"));
        const auto tie = cib::tie_rule_from_name(text_param(sp, "tie_rule", "keep-else-first"));
        if (!mode || !tie) invalid_params("succession: unknown mode or tie_rule");
        so.mode = *mode;
        so.tie = *tie;
        so.fixed = o.fixed;
        cib::BasinOptions bo;
        bo.max_starts = count_param(sp, "max_starts", 5'000'000);
        bo.seed = count_param(sp, "seed", 1);
        bo.cancelled = [&ctx] { return ctx.cancelled(); };
        ctx.progress(0.5, "succession");
        const cib::BasinResult b = cib::basins(total, so, bo);
        if (b.cancelled) ctx.check_cancelled();
        json attractors = json::array();
        for (const auto &a : b.attractors) {
            json states = json::array();
            for (const auto &s : a.states) states.push_back(variants_json(set, s));
            json j{{"kind", a.states.size() == 1 ? "fixed-point" : "cycle"}, {"basin", a.basin}};
            if (a.states.size() == 1) {
                j["variants"] = states[0];
                j["label"] = label(set, a.states[0]);
                j["descriptors"] = descriptor_rows_json(set, a.states[0]);
            } else {
                j["cycle"] = states;
                json labels = json::array();
                for (const auto &state : a.states) labels.push_back(label(set, state));
                j["cycle_labels"] = labels;
            }
            attractors.push_back(std::move(j));
        }
        out["succession"] = {{"mode", cib::name_of(so.mode)}, {"tie_rule", cib::name_of(so.tie)},
                             {"descriptor_order", "as listed in the set"}, {"starts", b.starts},
                             {"exhaustive", b.exhaustive}, {"attractors", attractors}};
    }
    if (params.contains("evaluate")) {
        json evaluated = json::array();
        for (const json &v : params["evaluate"]) {
            const cib::Scenario s = scenario_from(set, v);
            const cib::Evaluation e = cib::evaluate(total, s, exempt);
            json j = balances_json(set, e);
            j["label"] = label(set, s);
            j["variants"] = variants_json(set, s);
            j["descriptors"] = descriptor_rows_json(set, s);
            j["inconsistency"] = e.inconsistency;
            j["total_impact_score"] = e.total_impact_score;
            evaluated.push_back(std::move(j));
        }
        out["evaluated"] = evaluated;
    }
    if (params.contains("solution_list")) {
        formats::SolutionList sl;
        try {
            sl = formats::read_sl(text_param(params, "solution_list", ""));
        } catch (const formats::FormatError &e) {
            invalid_params(std::string("solution_list: ") + e.what());
        }
        json rows = json::array();
        for (const auto &row : sl.rows) {
            if (row.scenario.size() != set.descriptors.size())
                invalid_params("solution_list: a row does not give one variant per descriptor");
            for (size_t d = 0; d < row.scenario.size(); ++d)
                if (row.scenario[d] >= static_cast<int>(set.descriptors[d].variants.size()))
                    invalid_params("solution_list: variant number out of range");
            const cib::Evaluation e = cib::evaluate(total, row.scenario, exempt);
            json j{{"variants", variants_json(set, row.scenario)}, {"columns", row.numbers}, {"note", row.note},
                   {"total_impact_score", e.total_impact_score}, {"inconsistency", e.inconsistency}};
            if (row.numbers.size() >= 4) j["file_total_impact_score"] = row.numbers[3];
            rows.push_back(std::move(j));
        }
        out["solution_list"] = {{"header", sl.header}, {"rows", rows}};
    }
    ctx.progress(1.0, "done");
    ctx.put_blob("scenarios.csv", "text/csv", scenarios_csv(set, out["scenarios"], matrices.size() > 1));
    ctx.put_json(out.dump());
}

} // namespace holon_scenarios::methods
