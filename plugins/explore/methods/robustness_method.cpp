#include "methods/robustness_method.hpp"

#include "explore_schemas.hpp"
#include "methods/data.hpp"
#include "robustness/robustness.hpp"

#include <cstdio>
#include <algorithm>
#include <map>

namespace holon_explore::methods {

using nlohmann::json;

holon::MethodInfo RobustnessMethod::info() {
    return {"explore.robustness",
            "Robustness of policies",
            "Ranks policies (lever settings) by how they hold up across scenarios: worst and best case (maximin, "
            "maximax), Hurwicz, Laplace, maximum and 90th-percentile regret, mean-variance, satisficing share, "
            "percentile skewness and kurtosis (McPhail et al. 2018; Kwakkel, Eker & Pruyt 2016), from a table of values "
            "per policy or from a batch's experiments and outcomes grouped by policy.",
            schemas::robustness_params.data(),
            schemas::robustness_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL};
}

namespace {

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// Policies from experiments/outcomes: rows grouped by the lever columns (or the "policy" column),
// each group's rows in order are its scenarios, and they must be the same scenarios in every group.
void from_tables(const holon::Context &ctx, const json &params, std::vector<std::string> &names,
                 std::vector<std::vector<double>> &values) {
    const Columns experiments = require_columns(ctx, params, "experiments");
    const Columns outcomes = require_columns(ctx, params, "outcomes");
    require_same_rows(experiments, outcomes);
    if (!params.contains("outcome") || !params["outcome"].is_string())
        holon::fail_params("/outcome", "name the outcome whose robustness to compare (one of: " + join(outcomes.names) + ")");
    const std::string outcome = params["outcome"].get<std::string>();
    const int y = outcomes.find(outcome);
    if (y < 0) holon::fail_params("/outcome", "no outcome '" + outcome + "'; the outcomes are: " + join(outcomes.names));
    std::vector<std::size_t> levers;
    if (params.contains("levers")) {
        for (std::size_t i = 0; i < params["levers"].size(); ++i) {
            const int k = experiments.find(params["levers"][i].get<std::string>());
            if (k < 0)
                holon::fail_params(holon::at("/levers", i), "no experiments column '" + params["levers"][i].get<std::string>() +
                                                                "'; the columns are: " + join(experiments.names));
            levers.push_back(static_cast<std::size_t>(k));
        }
    } else if (experiments.find("policy") >= 0) {
        levers.push_back(static_cast<std::size_t>(experiments.find("policy")));
    } else {
        holon::fail_params("/levers", "name the lever columns that make a policy (or give a 'policy' column)");
    }
    std::map<std::vector<double>, std::size_t> index;
    std::vector<std::vector<std::size_t>> rows;
    for (std::size_t r = 0; r < experiments.rows(); ++r) {
        std::vector<double> key;
        for (std::size_t c : levers) key.push_back(experiments.values[c][r]);
        auto [it, added] = index.emplace(key, rows.size());
        if (added) rows.emplace_back();
        rows[it->second].push_back(r);
    }
    // The columns that tell scenarios apart: a batch design's uncertainties; otherwise every column
    // (but point and the levers) that varies within some policy. A column constant within every
    // policy is a lever too: it names the policy.
    auto constant_within = [&](std::size_t c, const std::vector<std::size_t> &group) {
        for (std::size_t r : group)
            if (experiments.values[c][r] != experiments.values[c][group.front()]) return false;
        return true;
    };
    std::vector<std::size_t> scenario_columns, lever_columns = levers;
    const json design = params.value("design", json::object());
    std::vector<std::string> uncertainties;
    for (const json &u : design.value("uncertainties", json::array()))
        if (u.is_object() && u.contains("name")) uncertainties.push_back(u["name"].get<std::string>());
    for (std::size_t c = 0; c < experiments.names.size(); ++c) {
        const std::string &n = experiments.names[c];
        if (n == "point" || std::find(levers.begin(), levers.end(), c) != levers.end()) continue;
        bool scenario = false;
        if (!uncertainties.empty()) {
            scenario = std::find(uncertainties.begin(), uncertainties.end(), n) != uncertainties.end();
        } else {
            for (const auto &group : rows) scenario = scenario || !constant_within(c, group);
        }
        if (scenario) scenario_columns.push_back(c);
        else if (n != "policy" && n != "scenario") lever_columns.push_back(c);
    }
    for (const auto &group : rows) {
        std::string name;
        for (std::size_t c : lever_columns) {
            if (experiments.names[c] == "policy" && lever_columns.size() > 1) continue; // the levers name it better
            name += (name.empty() ? "" : ", ") + experiments.names[c] + " = " + num(experiments.values[c][group.front()]);
        }
        names.push_back(name);
    }
    for (std::size_t p = 0; p < rows.size(); ++p) {
        if (rows[p].size() != rows[0].size())
            holon::fail_params("/experiments", "policy '" + names[p] + "' has " + std::to_string(rows[p].size()) +
                                                   " rows, policy '" + names[0] + "' " + std::to_string(rows[0].size()) +
                                                   "; every policy needs the same scenarios");
        for (std::size_t s = 0; s < rows[p].size(); ++s)
            for (std::size_t c : scenario_columns)
                if (experiments.values[c][rows[p][s]] != experiments.values[c][rows[0][s]])
                    holon::fail_params("/experiments", "row " + std::to_string(rows[p][s]) + " (policy '" + names[p] + "', scenario " +
                                                           std::to_string(s) + ") has another '" + experiments.names[c] +
                                                           "' than row " + std::to_string(rows[0][s]) +
                                                           " (policy '" + names[0] + "'): the policies must share scenarios, in the same order");
        std::vector<double> v;
        for (std::size_t r : rows[p]) v.push_back(outcomes.values[static_cast<std::size_t>(y)][r]);
        values.push_back(std::move(v));
    }
}

} // namespace

void RobustnessMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    std::vector<std::string> names;
    std::vector<std::vector<double>> values;
    if (params.contains("policies")) {
        for (const auto &[name, list] : params["policies"].items()) {
            names.push_back(name);
            values.push_back(list.get<std::vector<double>>());
        }
    } else {
        from_tables(ctx, params, names, values);
    }
    robustness::Options options;
    options.larger_is_better = params.value("better", "larger") == "larger";
    options.hurwicz_alpha = params.value("hurwicz_alpha", 0.5);
    if (params.contains("threshold")) options.threshold = params["threshold"].get<double>();
    robustness::Robustness r;
    try {
        r = robustness::robustness(names, values, options);
    } catch (const std::invalid_argument &e) {
        holon::fail_params(params.contains("policies") ? "/policies" : "/experiments", e.what());
    }
    json policies = json::array();
    for (const auto &p : r.policies) {
        json entry = {{"policy", p.policy}};
        for (const auto &[k, v] : p.metrics) entry[k] = number_or_null(v);
        policies.push_back(std::move(entry));
    }
    json result = {{"better", options.larger_is_better ? "larger" : "smaller"},
                   {"hurwicz_alpha", options.hurwicz_alpha},
                   {"scenarios", values.front().size()},
                   {"policies", std::move(policies)},
                   {"choice", r.choice}};
    if (params.contains("outcome") && params["outcome"].is_string()) result["outcome"] = params["outcome"];
    if (options.threshold) result["threshold"] = *options.threshold;
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_explore::methods
