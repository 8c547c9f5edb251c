#include "methods/morris_method.hpp"

#include "explore_schemas.hpp"
#include "methods/data.hpp"
#include "methods/pictures.hpp"
#include "text/csv.hpp"
#include "pictures/charts.hpp"
#include "sensitivity/morris.hpp"

namespace holon_explore::methods {

using nlohmann::json;

namespace {

// The indices as one sheet, a row per outcome, policy and factor (the JSON result holds the same).
std::string morris_csv(const json &result) {
    holon_plugins::text::CsvWriter csv;
    csv.row({"outcome", "policy", "factor", "mu (outcome units)", "mu_star (outcome units)", "mu_star_conf (outcome units)", "sigma (outcome units)"});
    for (const json &entry : result["outcomes"])
        for (const json &f : entry["factors"]) {
            std::vector<std::string> row{entry["outcome"].get<std::string>(),
                                         entry.contains("policy") ? policy_text(entry["policy"].get<double>()) : std::string(),
                                         f["name"].get<std::string>()};
            for (const char *key : {"mu", "mu_star", "mu_star_conf", "sigma"})
                row.push_back(f[key].is_number() ? holon_plugins::text::csv_number(f[key].get<double>()) : std::string());
            csv.row(row);
        }
    return csv.text();
}

} // namespace

holon::MethodInfo MorrisMethod::info() {
    return {"explore.morris",
            "Morris elementary effects",
            "Morris screening of each outcome from trajectories: mu, mu* (mean absolute elementary effect, with a "
            "bootstrap confidence interval) and sigma (ddof 1) per factor, effects in unit-cube steps as SALib computes "
            "them, and a mu*-sigma plot per outcome.",
            schemas::morris_params.data(),
            schemas::morris_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL};
}

void MorrisMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const Columns experiments = require_columns(ctx, params, "experiments");
    const Columns outcomes = require_columns(ctx, params, "outcomes");
    require_same_rows(experiments, outcomes);
    sensitivity::MorrisOptions options;
    options.levels = setting(params, "levels", 4);
    options.resamples = params.value("resamples", 1000);
    options.confidence = params.value("confidence", 0.95);
    options.seed = params.value("seed", static_cast<uint64_t>(1));
    std::vector<std::string> factors;
    std::vector<std::size_t> factor_columns;
    for (std::size_t k : selected_factors(experiments, params)) {
        factors.push_back(experiments.names[k]);
        factor_columns.push_back(k);
    }
    const std::vector<RowGroup> groups = policy_groups(experiments, params);
    json result = {{"levels", options.levels},
                   {"delta", sensitivity::morris_delta(options.levels)},
                   {"trajectories", groups.front().rows.size() / (factors.size() + 1)},
                   {"confidence", options.confidence},
                   {"seed", options.seed},
                   {"outcomes", json::array()}};
    const std::vector<std::size_t> chosen = selected_outcomes(outcomes, params);
    for (const RowGroup &g : groups) {
        std::vector<std::vector<double>> x;
        for (std::size_t k : factor_columns) x.push_back(subset(Columns{{""}, {experiments.values[k]}}, g.rows).values[0]);
        const Columns out = subset(outcomes, g.rows);
        for (std::size_t n = 0; n < chosen.size(); ++n) {
            ctx.check_cancelled();
            ctx.progress(static_cast<double>(n) / static_cast<double>(chosen.size()), "elementary effects");
            const std::string &name = out.names[chosen[n]];
            std::vector<sensitivity::MorrisFactor> m;
            try {
                m = sensitivity::morris_indices(x, factors, out.values[chosen[n]], options);
            } catch (const std::invalid_argument &e) {
                holon::fail_params("/experiments", std::string("outcome '") + name + "'" +
                                                       (g.policy ? ", policy " + policy_text(*g.policy) + " (rows counted within the policy)" : "") +
                                                       ": " + e.what());
            }
            json entry = {{"outcome", name}, {"factors", json::array()}};
            if (g.policy) entry["policy"] = *g.policy;
            std::vector<pictures::MorrisPoint> points;
            for (std::size_t j = 0; j < factors.size(); ++j) {
                entry["factors"].push_back({{"name", factors[j]},
                                            {"mu", number_or_null(m[j].mu)},
                                            {"mu_star", number_or_null(m[j].mu_star)},
                                            {"sigma", number_or_null(m[j].sigma)},
                                            {"mu_star_conf", number_or_null(m[j].mu_star_conf)}});
                points.push_back({factors[j], m[j].mu_star, m[j].sigma, m[j].mu_star_conf});
            }
            const std::string title = g.policy ? name + ", policy " + policy_text(*g.policy) : name;
            const std::string stem = "morris-" + file_stem(name) + (g.policy ? "-policy" + policy_text(*g.policy) : "");
            if (params.value("pictures", true)) put_picture(ctx, stem, pictures::morris_chart(title, points));
            result["outcomes"].push_back(std::move(entry));
        }
    }
    ctx.put_blob("morris.csv", "text/csv", morris_csv(result));
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_explore::methods
