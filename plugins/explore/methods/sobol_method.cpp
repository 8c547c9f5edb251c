#include "methods/sobol_method.hpp"

#include "explore_schemas.hpp"
#include "methods/data.hpp"
#include "methods/pictures.hpp"
#include "text/csv.hpp"
#include "pictures/charts.hpp"
#include "sensitivity/sobol.hpp"

namespace holon_explore::methods {

using nlohmann::json;

namespace {

// The indices as one sheet, a row per outcome, policy and factor (the JSON result holds the same).
std::string sobol_csv(const json &result) {
    holon_plugins::text::CsvWriter csv;
    csv.row({"outcome", "policy", "factor", "S1", "S1_conf", "ST", "ST_conf"});
    for (const json &entry : result["outcomes"])
        for (const json &f : entry["factors"]) {
            std::vector<std::string> row{entry["outcome"].get<std::string>(),
                                         entry.contains("policy") ? policy_text(entry["policy"].get<double>()) : std::string(),
                                         f["name"].get<std::string>()};
            for (const char *key : {"S1", "S1_conf", "ST", "ST_conf"})
                row.push_back(f[key].is_number() ? holon_plugins::text::csv_number(f[key].get<double>()) : std::string());
            csv.row(row);
        }
    return csv.text();
}

} // namespace

holon::MethodInfo SobolMethod::info() {
    return {"explore.sobol",
            "Sobol sensitivity indices",
            "First-order, total and second-order Sobol indices of each outcome from a Saltelli sample (SALib's "
            "estimators: Saltelli 2010 first order, Jansen total, Saltelli 2002 second order), with seedable bootstrap "
            "confidence intervals and a bar chart per outcome.",
            schemas::sobol_params.data(),
            schemas::sobol_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL};
}

void SobolMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const Columns outcomes = require_columns(ctx, params, "outcomes");
    const Columns experiments = read_columns(ctx, params, "experiments");
    sensitivity::SobolOptions options;
    options.second_order = setting(params, "second_order", true);
    options.resamples = params.value("resamples", 100);
    options.confidence = params.value("confidence", 0.95);
    options.seed = params.value("seed", static_cast<uint64_t>(1));

    std::vector<std::string> factors;
    std::vector<std::size_t> factor_columns;
    if (!experiments.empty()) {
        require_same_rows(experiments, outcomes);
        for (std::size_t k : selected_factors(experiments, params)) {
            factors.push_back(experiments.names[k]);
            factor_columns.push_back(k);
        }
    } else if (params.contains("factors")) {
        for (const json &f : params["factors"]) factors.push_back(f.get<std::string>());
    } else {
        holon::fail_params("/factors", "name the factors (params.factors) or give the experiments, so the Saltelli "
                                       "blocks can be read");
    }
    std::vector<RowGroup> groups;
    if (experiments.empty()) {
        RowGroup all;
        for (std::size_t r = 0; r < outcomes.rows(); ++r) all.rows.push_back(r);
        groups.push_back(std::move(all));
    } else {
        groups = policy_groups(experiments, params);
    }
    for (const RowGroup &g : groups) {
        if (experiments.empty()) break;
        std::vector<std::vector<double>> x;
        for (std::size_t k : factor_columns) x.push_back(subset(Columns{{""}, {experiments.values[k]}}, g.rows).values[0]);
        std::string problem = sensitivity::check_saltelli_layout(x, factors, options.second_order);
        if (!problem.empty()) {
            if (g.policy) problem = "policy " + policy_text(*g.policy) + ": " + problem + " (rows counted within the policy)";
            holon::fail_params("/experiments", problem);
        }
    }

    json result = {{"second_order", options.second_order},
                   {"resamples", options.resamples},
                   {"confidence", options.confidence},
                   {"seed", options.seed},
                   {"factors", factors},
                   {"estimators",
                    {{"first_order", "Saltelli et al. 2010: mean(f(B)(f(AB_j) - f(A))) / V"},
                     {"total", "Jansen 1999: mean((f(A) - f(AB_j))^2) / 2V"},
                     {"second_order", "Saltelli 2002: mean(f(BA_j) f(AB_k) - f(A) f(B)) / V - S_j - S_k"}}},
                   {"outcomes", json::array()}};
    const std::vector<std::size_t> chosen = selected_outcomes(outcomes, params);
    const std::size_t work = chosen.size() * groups.size();
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const RowGroup &g = groups[gi];
        const Columns out = subset(outcomes, g.rows);
        for (std::size_t n = 0; n < chosen.size(); ++n) {
            ctx.check_cancelled();
            ctx.progress(static_cast<double>(gi * chosen.size() + n) / static_cast<double>(work), "indices");
            const std::string &name = out.names[chosen[n]];
            sensitivity::SobolIndices s;
            try {
                s = sensitivity::sobol_indices(out.values[chosen[n]], factors.size(), options);
            } catch (const std::invalid_argument &e) {
                holon::fail_params(holon::at("/outcomes", name), std::string("outcome '") + name + "': " + e.what());
            }
            result["base_samples"] = s.base_samples;
            json entry = {{"outcome", name}, {"variance", s.variance}, {"factors", json::array()}};
            if (g.policy) entry["policy"] = *g.policy;
            std::vector<pictures::SobolBar> bars;
            for (std::size_t j = 0; j < factors.size(); ++j) {
                entry["factors"].push_back({{"name", factors[j]},
                                            {"S1", number_or_null(s.s1[j])},
                                            {"S1_conf", number_or_null(s.s1_conf[j])},
                                            {"ST", number_or_null(s.st[j])},
                                            {"ST_conf", number_or_null(s.st_conf[j])}});
                bars.push_back({factors[j], s.s1[j], s.s1_conf[j], s.st[j], s.st_conf[j]});
            }
            if (options.second_order) {
                entry["pairs"] = json::array();
                const std::size_t d = factors.size();
                for (std::size_t j = 0; j < d; ++j)
                    for (std::size_t k = j + 1; k < d; ++k)
                        entry["pairs"].push_back({{"a", factors[j]},
                                                  {"b", factors[k]},
                                                  {"S2", number_or_null(s.s2[j * d + k])},
                                                  {"S2_conf", number_or_null(s.s2_conf[j * d + k])}});
            }
            const std::string title = g.policy ? name + ", policy " + policy_text(*g.policy) : name;
            const std::string stem = "sobol-" + file_stem(name) + (g.policy ? "-policy" + policy_text(*g.policy) : "");
            if (!(s.variance > 0)) entry["note"] = "the outcome is constant over the sample: it has no indices";
            else if (params.value("pictures", true)) put_picture(ctx, stem, pictures::sobol_chart(title, bars, options.confidence));
            result["outcomes"].push_back(std::move(entry));
        }
    }
    ctx.put_blob("sobol.csv", "text/csv", sobol_csv(result));
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_explore::methods
