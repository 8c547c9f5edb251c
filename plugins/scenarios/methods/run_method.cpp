#include "methods/analysis_methods.hpp"
#include "scenarios_schemas.hpp"

#include "cib/search.hpp"
#include "methods/axes.hpp"

#include "text/csv.hpp"

#include <algorithm>
#include <limits>

namespace holon_scenarios::methods {
namespace {

constexpr const char *params_schema = schemas::run_params.data();

constexpr const char *result_schema = schemas::run_result.data();

struct Planned {
    std::string label;
    json variants;
    std::vector<std::pair<int, int>> chosen; // (descriptor, variant)
};

// The planned scenario as one variant index per descriptor (-1 where it chooses none).
cib::Scenario as_scenario(const model::ScenarioSet &set, const Planned &p) {
    cib::Scenario s(set.descriptors.size(), -1);
    for (const auto &[d, v] : p.chosen) s[static_cast<size_t>(d)] = v;
    return s;
}

} // namespace

holon::MethodInfo RunMethod::info() {
    return {"scenarios.run",
            "Scenario-driven model runs",
            "Turns each consistent CIB scenario (or each named scenario or 2x2 quadrant) of a set with variable bindings "
            "into an sd.simulate run through the host, and returns one labelled series per scenario (table 'series', "
            "columns '<label>:<variable>') and a comparison of final, minimum and maximum values (table 'comparison', "
            "columns '<label>:<variable>:final|min|max'; runs.csv: one row per scenario with its label and variant "
            "names). Every file uses the same scenario labels.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void RunMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json doc = holon::read_model(ctx);
    const model::ScenarioSet set = read_set(ctx, doc, params, "");
    const auto names = model::variable_names(doc);
    const std::string which = text_param(params, "scenarios", "consistent");
    const uint64_t max_runs = count_param(params, "max_runs", 20);
    std::vector<Planned> plan;
    bool truncated = false;

    if (which == "consistent") {
        std::vector<cib::Matrix> ms;
        const std::string only = text_param(params, "matrix", "");
        try {
            for (const model::Matrix *m : set.matrices_of_kind("cross-impact"))
                if (only.empty() || m->id == only) ms.push_back(model::to_cib(set, *m));
        } catch (const model::ModelError &e) {
            throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what());
        }
        if (ms.empty()) throw holon::Error(HOLON_ERR_INVALID_MODEL, "scenario set '" + set.id + "' has no cross-impact matrix");
        cib::SearchOptions o;
        o.tolerance = static_cast<int64_t>(count_param(params, "tolerance", 0));
        o.cap = max_runs;
        o.fixed = fixed_from(set, params.value("fixed", json()));
        o.cancelled = [&ctx] { return ctx.cancelled(); };
        const cib::SearchResult r = cib::search(cib::sum(ms), o);
        if (r.stopped == cib::StopReason::cancelled) ctx.check_cancelled();
        truncated = r.truncated();
        for (const auto &f : r.scenarios) {
            Planned p{label(set, f.scenario), variants_json(set, f.scenario), {}};
            for (size_t d = 0; d < f.scenario.size(); ++d) p.chosen.emplace_back(static_cast<int>(d), f.scenario[d]);
            plan.push_back(std::move(p));
        }
    } else if (which == "named") {
        for (const auto &s : set.scenarios) {
            Planned p{s.name.empty() ? s.id : s.name, json::object(), {}};
            try {
                for (const auto &v : s.variants) {
                    const auto [d, i] = set.locate(v);
                    p.chosen.emplace_back(d, i);
                    p.variants[set.descriptors[static_cast<size_t>(d)].id] = v;
                }
            } catch (const model::ModelError &e) {
                throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what());
            }
            plan.push_back(std::move(p));
        }
    } else if (which == "quadrants") {
        const auto axes = axes_from(set, params);
        for (const auto &q : matrix2x2::quadrant_poles()) {
            Planned p;
            for (size_t k = 0; k < 2; ++k) {
                const int d = axes[k].descriptor, v = axes[k].poles[static_cast<size_t>(q[k])];
                p.chosen.emplace_back(d, v);
                const std::string &id = set.descriptors[static_cast<size_t>(d)].variants[static_cast<size_t>(v)].id;
                p.variants[set.descriptors[static_cast<size_t>(d)].id] = id;
                p.label += (k ? "/" : "") + id;
            }
            plan.push_back(std::move(p));
        }
    } else {
        invalid_params("scenarios must be consistent, named or quadrants");
    }
    if (plan.size() > max_runs) {
        plan.resize(static_cast<size_t>(max_runs));
        truncated = true;
    }
    if (plan.empty()) throw holon::Error(HOLON_ERR_FAILED, "there is no scenario to run");

    const std::string range = text_param(params, "range", "mid");
    json sim_base = json::object();
    for (const char *key : {"start", "stop", "dt"})
        if (params.contains(key)) sim_base[key] = params[key];
    if (params.contains("outputs")) sim_base["variables"] = params["outputs"];

    holon::Table series;
    series.name = "series";
    std::vector<std::string> outputs, output_labels, output_units; // from sd.simulate's table
    std::vector<std::vector<double>> stats_final, stats_min, stats_max; // [run][output]
    json runs = json::array();
    for (size_t k = 0; k < plan.size(); ++k) {
        ctx.check_cancelled();
        ctx.progress(static_cast<double>(k) / static_cast<double>(plan.size()), "simulate");
        json overrides = json::object();
        for (const auto &[d, v] : plan[k].chosen)
            for (const auto &b : set.descriptors[static_cast<size_t>(d)].variants[static_cast<size_t>(v)].bindings) {
                double value = 0;
                if (b.value) {
                    value = *b.value;
                } else if (b.min && b.max) {
                    value = range == "min" ? *b.min : range == "max" ? *b.max : (*b.min + *b.max) / 2;
                } else {
                    continue; // an equation binding is not a number sd.simulate can override
                }
                auto it = names.find(b.variable);
                overrides[it == names.end() ? b.variable : it->second] = value;
            }
        json sim = sim_base;
        sim["overrides"] = overrides;
        holon::InvokeResult result = ctx.invoke("sd.simulate", sim.dump());
        result.throw_if_failed("sd.simulate for scenario '" + plan[k].label + "'");
        const holon::TableView t = result.table("series");
        const int64_t time_col = t.find("time");
        if (time_col < 0) throw holon::Error(HOLON_ERR_INVOKE, "sd.simulate returned no time column");
        const size_t rows = static_cast<size_t>(t.row_count());
        if (k == 0) {
            const auto tc = static_cast<uint32_t>(time_col);
            series.add_column("time", std::vector<double>(t.column(tc), t.column(tc) + rows),
                              t.column_label(tc).empty() ? "Time" : std::string(t.column_label(tc)),
                              std::string(t.column_units(tc)));
            for (uint32_t c = 0; c < t.column_count(); ++c)
                if (static_cast<int64_t>(c) != time_col) {
                    outputs.emplace_back(t.column_name(c));
                    output_labels.emplace_back(t.column_label(c).empty() ? t.column_name(c) : t.column_label(c));
                    output_units.emplace_back(t.column_units(c));
                }
        } else if (rows != series.row_count()) {
            throw holon::Error(HOLON_ERR_INVOKE, "scenario runs have different time grids");
        }
        std::vector<double> fin, lo, hi;
        for (size_t o = 0; o < outputs.size(); ++o) {
            const std::string &name = outputs[o];
            const int64_t c = t.find(name);
            if (c < 0) throw holon::Error(HOLON_ERR_INVOKE, "sd.simulate returned no column '" + name + "'");
            const double *col = t.column(static_cast<uint32_t>(c));
            series.add_column(plan[k].label + ":" + name, std::vector<double>(col, col + rows),
                              plan[k].label + ": " + output_labels[o], output_units[o]);
            fin.push_back(rows ? col[rows - 1] : std::numeric_limits<double>::quiet_NaN());
            lo.push_back(rows ? *std::min_element(col, col + rows) : std::numeric_limits<double>::quiet_NaN());
            hi.push_back(rows ? *std::max_element(col, col + rows) : std::numeric_limits<double>::quiet_NaN());
        }
        stats_final.push_back(fin);
        stats_min.push_back(lo);
        stats_max.push_back(hi);
        runs.push_back({{"label", plan[k].label},
                        {"descriptors", descriptor_rows_json(set, as_scenario(set, plan[k]))},
                        {"variants", plan[k].variants},
                        {"overrides", overrides}});
    }
    ctx.put_table(series);

    // One row, columns named by scenario label: a numeric table has no text column for the labels,
    // and a number in their place would not match the labels of the series table and the JSON.
    holon::Table comparison;
    comparison.name = "comparison";
    json comparison_json = json::array();
    holon_plugins::text::CsvWriter csv;
    std::vector<std::string> header{"label"};
    for (const std::string &name : descriptor_names(set)) header.push_back(name);
    for (const std::string &output : outputs)
        for (const char *stat : {":final", ":min", ":max"}) header.push_back(output + stat);
    csv.row(header);
    for (size_t k = 0; k < plan.size(); ++k) {
        json row{{"label", plan[k].label}};
        std::vector<std::string> line{plan[k].label};
        for (const std::string &name : variant_names(set, as_scenario(set, plan[k]))) line.push_back(name);
        for (size_t o = 0; o < outputs.size(); ++o) {
            row[outputs[o]] = {{"final", stats_final[k][o]}, {"min", stats_min[k][o]}, {"max", stats_max[k][o]}};
            const std::string label = plan[k].label + ": " + output_labels[o];
            comparison.add_column(plan[k].label + ":" + outputs[o] + ":final", {stats_final[k][o]}, label + " (final)", output_units[o]);
            comparison.add_column(plan[k].label + ":" + outputs[o] + ":min", {stats_min[k][o]}, label + " (minimum)", output_units[o]);
            comparison.add_column(plan[k].label + ":" + outputs[o] + ":max", {stats_max[k][o]}, label + " (maximum)", output_units[o]);
            for (double value : {stats_final[k][o], stats_min[k][o], stats_max[k][o]})
                line.push_back(holon_plugins::text::csv_number(value));
        }
        comparison_json.push_back(row);
        csv.row(line);
    }
    ctx.put_table(comparison);
    ctx.put_blob("runs.csv", "text/csv", csv.text());
    ctx.progress(1.0, "done");
    ctx.put_json(json{{"runs", runs}, {"comparison", comparison_json}, {"truncated", truncated},
                      {"scenario_source", which}, {"range", range}}.dump());
}

} // namespace holon_scenarios::methods
