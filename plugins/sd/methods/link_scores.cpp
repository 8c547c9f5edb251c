#include "methods/link_scores.hpp"

#include "ir/names.hpp"
#include "ltm/link_scores.hpp"
#include "methods/model_source.hpp"
#include "model_json/model_json.hpp"
#include "sd_schemas.hpp"

#include <holon/inputs.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace holon_sd {

namespace {

// Variable ids as the shared model gives them (canonical name -> id); slug() when it gives none.
std::unordered_map<std::string, std::string> model_ids(std::string_view model_json) {
    std::unordered_map<std::string, std::string> ids;
    const nlohmann::json doc = nlohmann::json::parse(model_json.begin(), model_json.end(), nullptr, false);
    if (!doc.is_object() || !doc.contains("variables") || !doc["variables"].is_array()) return ids;
    for (const nlohmann::json &v : doc["variables"])
        if (v.is_object() && v.contains("id") && v["id"].is_string() && v.contains("name") && v["name"].is_string())
            ids.emplace(canonical_name(v["name"].get<std::string>()), v["id"].get<std::string>());
    return ids;
}

} // namespace

holon::MethodInfo LinkScoresMethod::info() {
    holon::MethodInfo i{"sd.link-scores", "Link scores (Loops That Matter)",
                        "Simulates the model with Euler, saving every dt, and scores every link of its dependency "
                        "graph at every step: |Δ_x z / Δz| · sign(Δ_x z / Δx), where Δ_x z is the change of z had "
                        "only x changed (Schoenberg, Davidsen & Eberlein 2020); flow-to-stock links by the 2023 "
                        "correction (or the 2020 form). The score labelled T describes the change from T to T + dt (the model runs one dt past stop). "
                        "Returns the table 'link_scores' (time and one column per link). Arrayed models and "
                        "equations with stateful builtins are refused.",
                        schemas::link_scores_params.data(), schemas::link_scores_result.data()};
    i.flags = HOLON_METHOD_FLAG_CONCURRENT;
    return i;
}

void LinkScoresMethod::run(holon::Context &ctx) {
    const Model model = model_from_context(ctx);
    // A causal map without equations has nothing to simulate: say so instead of scoring nothing.
    if (std::none_of(model.variables.begin(), model.variables.end(),
                     [](const Variable &v) { return v.kind == VariableKind::stock && !v.equation.empty(); }))
        throw holon::Error(HOLON_ERR_INVALID_MODEL,
                           "link scores need a stock-and-flow model: this model has no stock with equations");
    const nlohmann::json params = holon::read_params(ctx);
    RunSettings settings;
    if (params.contains("start")) settings.start = params["start"].get<double>();
    if (params.contains("stop")) settings.stop = params["stop"].get<double>();
    if (params.contains("dt")) settings.dt = params["dt"].get<double>();
    if (params.contains("method")) {
        const auto method = integration_method_from_string(params["method"].get<std::string>());
        if (!method) throw holon::Error(HOLON_ERR_INVALID_PARAMS, "unknown method; use euler");
        settings.method = *method;
    }
    const std::string form_name = params.value("flow_to_stock", std::string("2023"));
    const ltm::FlowStockForm form =
        form_name == "2020" ? ltm::FlowStockForm::original_2020 : ltm::FlowStockForm::corrected_2023;

    ltm::LinkScores scores;
    try {
        ctx.progress(0.0, "simulating the partial changes");
        scores = ltm::link_scores(model, settings, form);
    } catch (const ltm::Unsupported &e) {
        throw holon::Error(HOLON_ERR_UNSUPPORTED, e.what());
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
    ctx.check_cancelled();

    const auto ids = model_ids(ctx.model_json());
    auto id_of = [&](const std::string &name) {
        const auto it = ids.find(canonical_name(name));
        return it == ids.end() ? slug(name) : it->second;
    };
    holon::Table table;
    table.name = "link_scores";
    table.add_column("time", scores.times);
    nlohmann::json links = nlohmann::json::array();
    for (ltm::ScoredLink &l : scores.links) {
        const std::string from = id_of(l.from), to = id_of(l.to);
        const std::string column = from + "->" + to;
        links.push_back({{"from", from},
                         {"to", to},
                         {"from_name", l.from},
                         {"to_name", l.to},
                         {"polarity", std::string(1, l.polarity)},
                         {"kind", l.flow_to_stock ? "flow-to-stock" : "auxiliary"},
                         {"column", column}});
        table.add_column(column, std::move(l.scores));
    }
    ctx.put_table(table);
    ctx.put_json(nlohmann::json{{"start", scores.times.empty() ? settings.start.value_or(model.sim_specs.start)
                                                               : scores.times.front()},
                                {"dt", scores.dt},
                                {"steps", scores.times.size()},
                                {"flow_to_stock", form_name},
                                {"time_convention", "the score labelled T describes the change from T to T + dt; the model runs one dt past stop"},
                                {"links", links}}
                     .dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_sd
