#include "methods/prim_method.hpp"

#include "discovery/box_scenario.hpp"
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
            "quasi-p values of any box on it or of a box you give, the trade-off and box-limit pictures, and the box "
            "as a scenario set of the shared model (join J3) to keep and re-run with scenarios.run.",
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

std::string lower_text(std::string s) {
    for (char &c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        else if (c == ' ' || c == '-') c = '_';
    return s;
}

// The model variable a swept column sets: the column without a leading "overrides.", matched to a
// variable's id, then its name, then its name ignoring case, spaces and underscores.
std::string variable_for(const std::string &column, const json &model) {
    std::string name = column.rfind("overrides.", 0) == 0 ? column.substr(10) : column;
    if (!model.is_object() || !model.contains("variables")) return as_id(name);
    const json &vars = model["variables"];
    for (int pass = 0; pass < 3; ++pass)
        for (const json &v : vars) {
            const std::string id = v.value("id", ""), vname = v.value("name", "");
            if ((pass == 0 && id == name) || (pass == 1 && vname == name) ||
                (pass == 2 && !vname.empty() && lower_text(vname) == lower_text(name)))
                return id;
        }
    holon::fail_params("/to_scenario", "the model has no variable '" + name + "' (from the experiments column '" + column +
                                           "'); name the columns after the model's variables");
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

    if (params.contains("to_scenario")) {
        const json &ts = params["to_scenario"];
        const json model = ctx.model_json().empty() ? json() : holon::read_model(ctx);
        std::vector<BoxDimension> dims;
        for (std::size_t j = 0; j < factors.size(); ++j)
            if (restricted(chosen.limits, range, j))
                dims.push_back({factors[j], variable_for(factors[j], model), chosen.limits.lower[j], chosen.limits.upper[j],
                                range.lower[j], range.upper[j]});
        ScenarioNames names;
        names.set_id = ts.value("set_id", "prim-box");
        names.set_name = ts.value("set_name", "Where " + rule.text);
        names.scenario_id = ts.value("scenario_id", "box");
        names.scenario_name = ts.value("scenario_name", "PRIM box " + std::to_string(selected));
        names.narrative = "PRIM box " + std::to_string(selected) + " of the cases where " + rule.text + ": coverage " +
                          num(chosen.stats.coverage) + ", density " + num(chosen.stats.density) + ", mass " +
                          num(chosen.stats.mass) + ".";
        json set;
        try {
            set = box_scenario_set(dims, names);
        } catch (const std::invalid_argument &e) {
            holon::fail_params("/select", e.what());
        }
        if (model.is_object())
            for (const json &s : model.value("scenario_sets", json::array()))
                if (s.value("id", "") == names.set_id)
                    holon::fail_params("/to_scenario/set_id", "the model already has a scenario set '" + names.set_id +
                                                                  "'; choose another set_id");
        const bool has_sets = model.is_object() && model.contains("scenario_sets");
        result["scenario_set"] = set;
        result["model_patch"] = json::array({has_sets ? json{{"op", "add"}, {"path", "/scenario_sets/-"}, {"value", set}}
                                                      : json{{"op", "add"}, {"path", "/scenario_sets"}, {"value", json::array({set})}}});
        if (model.is_object()) {
            json patched = model;
            patched["scenario_sets"].push_back(set);
            ctx.put_blob("model-with-box.json", "application/json", patched.dump(2) + "\n");
        }
    }
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_explore::methods
