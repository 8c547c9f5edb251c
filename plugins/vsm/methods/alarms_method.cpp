#include "methods/alarms_method.hpp"

#include "alarms/alarms.hpp"
#include "methods/common.hpp"
#include "vsm_schemas.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace holon_vsm::methods {

using nlohmann::json;

holon::MethodInfo AlarmsMethod::info() {
    return {"vsm.alarms", "Algedonic alarms",
            "Algedonic alarms over indicator series: the series is filtered with a running median (one-period transients "
            "dropped, steps and trends kept), a threshold breached for its number of periods raises an alarm at the "
            "indicator's unit, and an unacknowledged alarm escalates one recursion level per delay up to the root's System 5. "
            "Series come from the indicators' actuals or from sd.simulate on the variables they are bound to (join J5).",
            schemas::alarms_params.data(), schemas::alarms_result.data(), HOLON_METHOD_KIND_ANALYSIS, 0};
}

namespace {

struct Series {
    std::vector<double> values;
    std::vector<json> at; // label or time per period
    std::string source;
};

// Variable id -> display name, from the model's /variables.
std::map<std::string, std::string> variable_names(const json &model) {
    std::map<std::string, std::string> names;
    for (const json &v : holon::array_member(model, "variables"))
        if (v.is_object() && v.contains("id") && v["id"].is_string())
            names[v["id"].get<std::string>()] = v.value("name", v["id"].get<std::string>());
    return names;
}

} // namespace

void AlarmsMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json model = holon::read_model(ctx);
    const Organisation org = organisation_of(model);
    const std::string source = params.value("source", "auto");
    const std::string measure = params.value("measure", "value");
    AlarmOptions options;
    options.window = params.value("window", options.window);
    options.escalation_delay = params.value("escalation_delay", options.escalation_delay);
    std::map<std::string, int> acknowledged;
    for (const json &a : params.value("acknowledged", json::array())) acknowledged[a.at("indicator")] = a.at("period");
    std::set<std::string> only;
    for (const json &id : params.value("indicators", json::array())) only.insert(id.get<std::string>());
    for (const std::string &id : only)
        if (std::none_of(org.indicators.begin(), org.indicators.end(), [&](const Indicator &i) { return i.id == id; }))
            holon::fail_params("/indicators", "unknown indicator '" + id + "'");

    json indicators = json::array();
    std::vector<const Indicator *> chosen;
    std::map<const Indicator *, std::string> sd_column;
    const std::map<std::string, std::string> names = variable_names(model);
    for (const Indicator &ind : org.indicators) {
        if (!only.empty() && !only.count(ind.id)) continue;
        json row{{"id", ind.id}, {"name", ind.name}};
        auto skip = [&](const std::string &why) {
            row["skipped"] = why;
            indicators.push_back(row);
        };
        if (ind.thresholds.empty()) { skip("no thresholds"); continue; }
        if (ind.unit < 0) { skip("not bound to an organisation unit (indicators[].unit)"); continue; }
        if (measure == "performance" && !ind.potentiality) { skip("no potentiality for the performance index"); continue; }
        if (measure == "productivity" && !ind.capability) { skip("no capability for the productivity index"); continue; }
        if (measure == "performance" && ind.potentiality->value == 0) { skip("potentiality is 0: the performance index is undefined"); continue; }
        if (measure == "productivity" && ind.capability->value == 0) { skip("capability is 0: the productivity index is undefined"); continue; }
        const bool use_actuals = source == "actuals" || (source == "auto" && !ind.actuals.empty());
        if (use_actuals) {
            if (ind.actuals.empty()) { skip("no actuals"); continue; }
        } else {
            if (ind.variables.size() != 1) { skip("bound to " + std::to_string(ind.variables.size()) + " variables; an SD series needs exactly one"); continue; }
            const auto name = names.find(ind.variables[0]);
            if (name == names.end()) { skip("variable '" + ind.variables[0] + "' is not in the model"); continue; }
            sd_column[&ind] = name->second;
        }
        row["unit"] = org.units[static_cast<std::size_t>(ind.unit)].id;
        row["unit_name"] = org.units[static_cast<std::size_t>(ind.unit)].name;
        row["source"] = use_actuals ? "actuals" : "sd";
        indicators.push_back(row);
        chosen.push_back(&ind);
    }

    // Join J5: one SD run gives every bound indicator its series.
    std::map<const Indicator *, Series> series;
    json sd_run;
    if (!sd_column.empty()) {
        json sd = params.value("sd", json::object());
        json variables = json::array();
        for (const auto &[ind, column] : sd_column) variables.push_back(column);
        sd["variables"] = variables;
        ctx.progress(0.1, "sd.simulate");
        const holon::InvokeResult nested = ctx.invoke("sd.simulate", sd.dump());
        nested.throw_if_failed("sd.simulate");
        const holon::TableView table = nested.table("series");
        const std::int64_t time = table.find("time");
        for (const auto &[ind, column] : sd_column) {
            const std::int64_t c = table.find(column);
            if (c < 0) throw holon::Error(HOLON_ERR_INVOKE, "sd.simulate returned no column '" + column + "'");
            Series s;
            s.source = "sd";
            const double *v = table.column(static_cast<uint32_t>(c));
            for (uint64_t r = 0; r < table.row_count(); ++r) {
                s.values.push_back(v[r]);
                s.at.push_back(time >= 0 ? json(table.column(static_cast<uint32_t>(time))[r]) : json(r));
            }
            series[ind] = std::move(s);
        }
        const json run = json::parse(nested.json(), nullptr, false);
        sd_run = {{"rows", table.row_count()}};
        for (const char *key : {"start", "stop", "dt", "save_step", "method"})
            if (run.is_object() && run.contains(key)) sd_run[key] = run[key];
    }
    for (const Indicator *ind : chosen) {
        if (series.count(ind)) continue;
        Series s;
        s.source = "actuals";
        for (std::size_t k = 0; k < ind->actuals.size(); ++k) {
            s.values.push_back(ind->actuals[k].value);
            s.at.push_back(ind->actual_labels[k].empty() ? json(k) : json(ind->actual_labels[k]));
        }
        series[ind] = std::move(s);
    }

    json alarms = json::array();
    for (const Indicator *ind : chosen) {
        Series &s = series[ind];
        if (measure != "value") {
            const double base = measure == "performance" ? ind->potentiality->value : ind->capability->value;
            for (double &v : s.values) v /= base;
        }
        const auto ack = acknowledged.find(ind->id);
        const std::optional<int> ack_at = ack == acknowledged.end() ? std::nullopt : std::optional<int>(ack->second);
        auto when = [&](int period) { return json{{"period", period}, {"at", s.at[static_cast<std::size_t>(period)]}}; };
        for (const Alarm &a : indicator_alarms(org, *ind, ind->unit, s.values, options, ack_at)) {
            const Threshold &th = ind->thresholds[a.threshold];
            const Unit &u = org.units[static_cast<std::size_t>(a.unit)];
            json escalations = json::array();
            for (const Escalation &e : a.escalations) {
                const Unit &to = org.units[static_cast<std::size_t>(e.unit)];
                escalations.push_back({{"unit", to.id}, {"unit_name", to.name}, {"recursion_level", to.level}, {"period", e.period},
                                       {"at", s.at[static_cast<std::size_t>(e.period)]}});
            }
            const int final_unit = a.escalations.empty() ? a.unit : a.escalations.back().unit;
            json row{{"indicator", ind->id},
                     {"indicator_name", ind->name},
                     {"severity", th.level},
                     {"threshold", {{"comparison", th.below ? "below" : "above"}, {"value", th.value.value}, {"periods", th.periods}}},
                     {"unit", u.id},
                     {"unit_name", u.name},
                     {"recursion_level", u.level},
                     {"raised", when(a.raised)},
                     {"value", a.value},
                     {"filtered", a.filtered},
                     {"pattern", a.pattern},
                     {"escalations", escalations},
                     {"final_unit", org.units[static_cast<std::size_t>(final_unit)].id},
                     {"final_unit_name", org.units[static_cast<std::size_t>(final_unit)].name},
                     {"reached_root", a.reached_root},
                     {"source", s.source}};
            if (a.cleared) row["cleared"] = when(*a.cleared);
            if (a.acknowledged) row["acknowledged"] = when(*a.acknowledged);
            alarms.push_back(std::move(row));
        }
    }
    json result{{"alarms", alarms},
                {"indicators", indicators},
                {"filter", {{"kind", options.window > 1 ? "running-median" : "none"}, {"window", options.window}}},
                {"escalation_delay", options.escalation_delay},
                {"measure", measure}};
    if (!sd_run.is_null()) result["sd_run"] = sd_run;
    ctx.put_json(result.dump());
}

} // namespace holon_vsm::methods
