#include "methods/analysis_methods.hpp"
#include "scenarios_schemas.hpp"

#include "methods/common.hpp"
#include "morphological/field.hpp"

#include "text/csv.hpp"

namespace holon_scenarios::methods {
namespace {

constexpr const char *params_schema = schemas::morphological_params.data();

constexpr const char *result_schema = schemas::morphological_result.data();

// A configuration as a labelled table row: {"label", "descriptors": [{descriptor, descriptor_name,
// variant, variant_name}]}.
json named_configuration(const model::ScenarioSet &set, const cib::Scenario &c) {
    return json{{"label", label(set, c)}, {"descriptors", descriptor_rows_json(set, c)}};
}

// configurations.csv (or ranking.csv): label, the variant name per descriptor (columns headed by
// the descriptors' names), then any extra columns.
std::string configurations_csv(const model::ScenarioSet &set, const std::vector<cib::Scenario> &configurations,
                               const std::vector<std::string> &extra_header,
                               const std::vector<std::vector<std::string>> &extra) {
    holon_plugins::text::CsvWriter csv;
    std::vector<std::string> header{"label"};
    for (const std::string &name : descriptor_names(set)) header.push_back(name);
    header.insert(header.end(), extra_header.begin(), extra_header.end());
    csv.row(header);
    for (size_t i = 0; i < configurations.size(); ++i) {
        std::vector<std::string> row{label(set, configurations[i])};
        for (const std::string &name : variant_names(set, configurations[i])) row.push_back(name);
        if (i < extra.size()) row.insert(row.end(), extra[i].begin(), extra[i].end());
        csv.row(row);
    }
    return csv.text();
}

} // namespace

holon::MethodInfo MorphologicalMethod::info() {
    return {"scenarios.morphological",
            "Morphological analysis",
            "Counts and lists the configurations of a morphological field that contain no excluded pair (cross-"
            "consistency judgements are intersected, never overwritten), per-value survival counts and dead values, the "
            "inference query with fixed parameters, and bundles ranked by 1-5 consistency ratings. Configurations are "
            "labelled by their variant ids and listed with descriptor and variant names, also as configurations.csv "
            "(and ranking.csv).",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void MorphologicalMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json doc = holon::read_model(ctx);
    const model::ScenarioSet set = read_set(ctx, doc, params, "");
    morphological::SolveOptions o;
    o.fixed = fixed_from(set, params.value("fixed", json()));
    o.cap = count_param(params, "cap", 1000);
    o.time_budget_seconds = number_param(params, "time_budget", 0);
    o.cancelled = [&ctx] { return ctx.cancelled(); };
    morphological::CrossConsistency cc = model::to_cross_consistency(set);
    const auto ratings_matrices = set.matrices_of_kind("consistency");
    const int unrated = static_cast<int>(count_param(params, "unrated", 3));
    morphological::ConsistencyRatings ratings(set.variant_counts(), unrated);
    for (const model::Matrix *m : ratings_matrices)
        for (const model::Cell &c : m->cells) {
            if (c.number < 1 || c.number > 5 || static_cast<int>(c.number) != c.number)
                throw holon::Error(HOLON_ERR_INVALID_MODEL, "matrix '" + m->id + "': consistency ratings are integers 1..5");
            ratings.rate(c.from_descriptor, c.from_variant, c.to_descriptor, c.to_variant, static_cast<int>(c.number));
            if (c.number == 1) cc.judge(c.from_descriptor, c.from_variant, c.to_descriptor, c.to_variant, false);
        }
    const morphological::SolveResult r = morphological::solve(cc, o);
    if (r.cancelled) ctx.check_cancelled();
    json out{{"count", r.count}, {"truncated", r.truncated()}, {"complete", r.complete}, {"exclusions", cc.exclusion_count()}};
    json configurations = json::array(), named = json::array();
    for (const auto &c : r.listed) {
        configurations.push_back(variants_json(set, c));
        named.push_back(named_configuration(set, c));
    }
    out["configurations"] = configurations;
    out["configuration_tables"] = named;
    ctx.put_blob("configurations.csv", "text/csv", configurations_csv(set, r.listed, {}, {}));
    json survival = json::object();
    json dead = json::array(), dead_named = json::array();
    for (size_t p = 0; p < set.descriptors.size(); ++p) {
        json values = json::object();
        for (size_t v = 0; v < set.descriptors[p].variants.size(); ++v) {
            values[set.descriptors[p].variants[v].id] = r.survival[p][v];
            const bool fixed_away = o.fixed[p] >= 0 && o.fixed[p] != static_cast<int>(v);
            if (r.survival[p][v] == 0 && r.complete && !fixed_away) {
                dead.push_back(set.descriptors[p].variants[v].id);
                dead_named.push_back({{"descriptor", set.descriptors[p].id},
                                      {"descriptor_name", display_name(set.descriptors[p])},
                                      {"variant", set.descriptors[p].variants[v].id},
                                      {"variant_name", display_name(set.descriptors[p].variants[v])}});
            }
        }
        survival[set.descriptors[p].id] = values;
    }
    out["survival"] = survival;
    out["dead_values"] = dead;
    out["dead_value_names"] = dead_named;
    if (!ratings_matrices.empty()) {
        const auto ranked = morphological::rank_bundles(ratings, count_param(params, "top", 10), o);
        json bundles = json::array();
        std::vector<cib::Scenario> listed;
        std::vector<std::vector<std::string>> scores;
        for (const auto &b : ranked.bundles) {
            json bundle = named_configuration(set, b.configuration);
            bundle["variants"] = variants_json(set, b.configuration);
            bundle["sum"] = b.sum;
            bundle["min"] = b.min;
            bundles.push_back(std::move(bundle));
            listed.push_back(b.configuration);
            scores.push_back({std::to_string(b.sum), std::to_string(b.min)});
        }
        ctx.put_blob("ranking.csv", "text/csv", configurations_csv(set, listed, {"sum", "min"}, scores));
        out["ranking"] = {{"count", ranked.count}, {"complete", ranked.complete}, {"unrated", unrated}, {"bundles", bundles},
                          {"rule", "pairs rated 1 exclude a bundle; bundles rank by the sum of all pair ratings, then the weakest pair"}};
    }
    ctx.put_json(out.dump());
}

} // namespace holon_scenarios::methods
