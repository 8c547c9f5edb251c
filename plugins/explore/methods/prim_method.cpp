#include "methods/prim_method.hpp"

#include "discovery/prim.hpp"
#include "explore_schemas.hpp"
#include "methods/data.hpp"
#include "methods/pictures.hpp"
#include "pictures/charts.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace holon_explore::methods {

using nlohmann::json;
using namespace holon_explore::discovery;

holon::MethodInfo PrimMethod::info() {
    return {"explore.prim",
            "PRIM scenario discovery",
            "Finds the box of uncertain inputs where the cases of interest concentrate (PRIM, Friedman & Fisher 1999, "
            "with the EMA Workbench's defaults: LENIENT1 objective, peel and paste alpha 0.05, minimum mass 0.05): the "
            "peeling and pasting trajectory with coverage, density, mass and restricted dimensions, the limits and "
            "quasi-p values of any box on it or of a box you give, and the trade-off and box-limit pictures. "
            "explore.box-scenario turns the box into a scenario set of the model (join J3).",
            schemas::prim_params.data(),
            schemas::prim_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL};
}

namespace {

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

// The cases of interest: outcome OP value, from params.interest.
struct Rule {
    std::string outcome, op, text;
    double value = 0;
    bool holds(double y) const {
        if (op == "above") return y > value;
        if (op == "at_least") return y >= value;
        if (op == "below") return y < value;
        return y <= value; // at_most
    }
};

Rule read_rule(const json &params) {
    if (!params.contains("interest"))
        holon::fail_params("/interest", "say which rows are cases of interest: interest: {outcome, and one of above, at_least, "
                                        "below, at_most}");
    const json &i = params["interest"];
    Rule r;
    r.outcome = i.at("outcome").get<std::string>();
    int given = 0;
    for (const char *op : {"above", "at_least", "below", "at_most"})
        if (i.contains(op)) {
            r.op = op;
            r.value = i[op].get<double>();
            ++given;
        }
    if (given != 1) holon::fail_params("/interest", "give exactly one of above, at_least, below, at_most");
    static const std::map<std::string, std::string> words = {
        {"above", ">"}, {"at_least", ">="}, {"below", "<"}, {"at_most", "<="}};
    r.text = r.outcome + " " + words.at(r.op) + " " + num(r.value);
    return r;
}

json box_json(const TrajectoryBox &b, std::size_t index, const std::vector<std::string> &factors, const Limits &range,
              bool every_dimension) {
    json limits = json::array();
    for (std::size_t j = 0; j < factors.size(); ++j) {
        if (!every_dimension && !restricted(b.limits, range, j)) continue;
        limits.push_back({{"factor", factors[j]},
                          {"lower", b.limits.lower[j]},
                          {"upper", b.limits.upper[j]},
                          {"minimum", range.lower[j]},
                          {"maximum", range.upper[j]},
                          {"restricted", restricted(b.limits, range, j)},
                          {"qp_lower", b.qp[j].lower < 0 ? json(nullptr) : json(b.qp[j].lower)},
                          {"qp_upper", b.qp[j].upper < 0 ? json(nullptr) : json(b.qp[j].upper)}});
    }
    return {{"box", index},
            {"phase", b.phase},
            {"coverage", b.stats.coverage},
            {"density", b.stats.density},
            {"mass", b.stats.mass},
            {"rows", b.stats.rows},
            {"cases_of_interest", b.stats.interest},
            {"restricted", b.stats.restricted},
            {"limits", std::move(limits)}};
}

} // namespace

void PrimMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const Columns experiments = require_columns(ctx, params, "experiments");
    const Columns outcomes = require_columns(ctx, params, "outcomes");
    require_same_rows(experiments, outcomes);
    const Rule rule = read_rule(params);
    const int k = outcomes.find(rule.outcome);
    if (k < 0) holon::fail_params("/interest/outcome", "no outcome '" + rule.outcome + "'; the outcomes are: " + join(outcomes.names));

    PrimData data;
    std::vector<std::string> factors;
    for (std::size_t c : selected_factors(experiments, params)) {
        factors.push_back(experiments.names[c]);
        data.x.push_back(experiments.values[c]);
    }
    for (double y : outcomes.values[static_cast<std::size_t>(k)]) data.y.push_back(rule.holds(y) ? 1 : 0);
    if (data.x.empty()) holon::fail_params("/factors", "PRIM needs at least one experiments column");

    PrimOptions options;
    const std::string objective = params.value("objective", "lenient1");
    options.objective = objective == "original" ? Objective::original
                        : objective == "lenient2" ? Objective::lenient2
                                                  : Objective::lenient1;
    options.peel_alpha = params.value("peel_alpha", 0.05);
    options.paste_alpha = params.value("paste_alpha", 0.05);
    options.mass_min = params.value("mass_min", 0.05);
    options.paste = params.value("paste", true);

    const Limits range = data_range(data);
    std::vector<TrajectoryBox> trajectory;
    std::size_t selected = 0;
    ctx.progress(0.1, "peeling");
    if (params.contains("box")) {
        // Inspect a box the analyst gives: its limits, statistics and quasi-p values.
        Limits box = range;
        for (const auto &[name, lim] : params["box"].items()) {
            int c = -1;
            for (std::size_t j = 0; j < factors.size(); ++j)
                if (factors[j] == name) c = static_cast<int>(j);
            if (c < 0) holon::fail_params(holon::at("/box", name), "no experiments column '" + name + "'; the columns are: " + join(factors));
            const double lo = lim.at(0).get<double>(), hi = lim.at(1).get<double>();
            if (lo > hi) holon::fail_params(holon::at("/box", name), "the lower limit " + num(lo) + " is above the upper " + num(hi));
            box.lower[static_cast<std::size_t>(c)] = lo;
            box.upper[static_cast<std::size_t>(c)] = hi;
        }
        trajectory.push_back({box, box_stats(data, box, range), quasi_p(data, box, range), "given"});
    } else {
        try {
            trajectory = prim(data, options);
        } catch (const std::invalid_argument &e) {
            holon::fail_params("/interest", std::string(e.what()) + " (rule: " + rule.text + ")");
        }
        selected = trajectory.size() - 1;
        if (params.contains("select")) {
            const auto s = params["select"].get<std::size_t>();
            if (s >= trajectory.size())
                holon::fail_params("/select", "the trajectory has boxes 0 to " + std::to_string(trajectory.size() - 1) + ", not " +
                                                  std::to_string(s));
            selected = s;
        }
    }
    ctx.check_cancelled();

    std::size_t interest = 0;
    for (int y : data.y) interest += static_cast<std::size_t>(y);
    json result = {{"rows", data.y.size()},
                   {"cases_of_interest", interest},
                   {"interest", rule.text},
                   {"factors", factors},
                   {"objective", objective},
                   {"peel_alpha", options.peel_alpha},
                   {"paste_alpha", options.paste_alpha},
                   {"mass_min", options.mass_min},
                   {"trajectory", json::array()},
                   {"selected", selected}};
    for (std::size_t i = 0; i < trajectory.size(); ++i)
        result["trajectory"].push_back(box_json(trajectory[i], i, factors, range, false));
    const TrajectoryBox &chosen = trajectory[selected];
    result["box"] = box_json(chosen, selected, factors, range, true);

    const std::string title_rule = "Cases of interest: " + rule.text;
    if (params.value("pictures", true)) {
        ctx.progress(0.7, "pictures");
        if (trajectory.size() > 1) {
            std::vector<pictures::TradeoffPoint> points;
            for (const TrajectoryBox &b : trajectory) points.push_back({b.stats.coverage, b.stats.density, b.stats.restricted});
            put_picture(ctx, "prim-tradeoff", pictures::prim_tradeoff_chart("PRIM trade-off; " + title_rule, points, static_cast<int>(selected)));
        }
        std::vector<pictures::BoxLimit> limits;
        for (std::size_t j = 0; j < factors.size(); ++j)
            if (restricted(chosen.limits, range, j))
                limits.push_back({factors[j], chosen.limits.lower[j], chosen.limits.upper[j], range.lower[j], range.upper[j],
                                  chosen.qp[j].lower, chosen.qp[j].upper});
        put_picture(ctx, "prim-box", pictures::prim_box_chart("PRIM box " + std::to_string(selected) + "; " + title_rule, limits,
                                                             chosen.stats.coverage, chosen.stats.density, chosen.stats.mass));
    }

    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_explore::methods
