#include "methods/features_method.hpp"

#include "explore_schemas.hpp"
#include "features/extra_trees.hpp"
#include "methods/data.hpp"

#include <algorithm>

namespace holon_explore::methods {

using nlohmann::json;

holon::MethodInfo FeaturesMethod::info() {
    return {"explore.features",
            "Feature scoring",
            "Scores how much each uncertain input drives each outcome (or the cases of interest) with extremely "
            "randomised trees, as the EMA Workbench's get_ex_feature_scores does: the impurity decrease of each input's "
            "splits, normalised to sum to 1 and averaged over the trees; seedable.",
            schemas::features_params.data(),
            schemas::features_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL};
}

void FeaturesMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const Columns experiments = require_columns(ctx, params, "experiments");
    const Columns outcomes = require_columns(ctx, params, "outcomes");
    require_same_rows(experiments, outcomes);
    std::vector<std::string> factors;
    std::vector<std::vector<double>> x;
    for (std::size_t k : selected_factors(experiments, params)) {
        factors.push_back(experiments.names[k]);
        x.push_back(experiments.values[k]);
    }
    features::ExtraTreesOptions options;
    options.trees = params.value("trees", 100);
    options.max_features = params.value("max_features", 0);
    options.seed = params.value("seed", static_cast<uint64_t>(1));

    // The targets: each chosen outcome, or the 0/1 cases of interest of one outcome.
    std::vector<std::pair<std::string, std::vector<double>>> targets;
    if (params.contains("interest")) {
        const json &i = params["interest"];
        const std::string name = i.value("outcome", "");
        const int k = outcomes.find(name);
        if (k < 0) holon::fail_params("/interest/outcome", "no outcome '" + name + "'; the outcomes are: " + join(outcomes.names));
        int given = 0;
        std::string op;
        double value = 0;
        for (const char *o : {"above", "at_least", "below", "at_most"})
            if (i.contains(o)) {
                op = o;
                value = i[o].get<double>();
                ++given;
            }
        if (given != 1) holon::fail_params("/interest", "give exactly one of above, at_least, below, at_most");
        std::vector<double> y;
        for (double v : outcomes.values[static_cast<std::size_t>(k)])
            y.push_back((op == "above" ? v > value : op == "at_least" ? v >= value : op == "below" ? v < value : v <= value) ? 1 : 0);
        targets.emplace_back(name + " (" + op + " " + json(value).dump() + ")", std::move(y));
    } else {
        for (std::size_t k : selected_outcomes(outcomes, params)) targets.emplace_back(outcomes.names[k], outcomes.values[k]);
    }

    json result = {{"trees", options.trees},
                   {"max_features", options.max_features > 0 ? std::min<std::size_t>(static_cast<std::size_t>(options.max_features), factors.size())
                                                             : std::max<std::size_t>(1, factors.size() / 3)},
                   {"seed", options.seed},
                   {"outcomes", json::array()}};
    for (std::size_t t = 0; t < targets.size(); ++t) {
        ctx.check_cancelled();
        ctx.progress(static_cast<double>(t) / static_cast<double>(targets.size()), "trees");
        const std::vector<double> s = features::extra_trees_scores(x, targets[t].second, options);
        std::vector<std::size_t> order(factors.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s[a] > s[b]; });
        json scores = json::array();
        for (std::size_t i : order) scores.push_back({{"factor", factors[i]}, {"score", s[i]}});
        result["outcomes"].push_back({{"outcome", targets[t].first}, {"scores", std::move(scores)}});
    }
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_explore::methods
