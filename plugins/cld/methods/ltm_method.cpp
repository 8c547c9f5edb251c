#include "methods/ltm_method.hpp"
#include "cld_schemas.hpp"

#include "graph/causal_graph.hpp"
#include "loops/loop_finder.hpp"
#include "loops/loop_names.hpp"
#include "ltm/loop_scores.hpp"
#include "methods/model_input.hpp"

#include <nlohmann/json.hpp>

#include "text/csv.hpp"

namespace holon_cld::methods {
namespace {

using nlohmann::json;

constexpr const char *params_schema = schemas::ltm_params.data();

constexpr const char *result_schema = schemas::ltm_result.data();

struct ScoredGraph {
    CausalGraph graph;
    std::vector<std::vector<double>> link_scores; // per graph link
    std::vector<double> times;
};

ScoredGraph scored_graph(const json &result, const holon::TableView &table) {
    ScoredGraph out;
    const std::int64_t time_column = table.find("time");
    if (time_column < 0) throw holon::Error(HOLON_ERR_INVOKE, "sd.link-scores returned no time column");
    const double *time = table.column(static_cast<uint32_t>(time_column));
    out.times.assign(time, time + table.row_count());
    for (const json &link : result.at("links")) {
        for (const char *end : {"from", "to"}) {
            const std::string id = link.at(end).get<std::string>();
            if (!out.graph.find_variable(id))
                out.graph.add_variable(Variable{id, link.at(std::string(end) + "_name").get<std::string>(), "", ""});
        }
        const std::string column = link.at("column").get<std::string>();
        const std::int64_t c = table.find(column);
        if (c < 0) throw holon::Error(HOLON_ERR_INVOKE, "sd.link-scores returned no column '" + column + "'");
        const auto polarity = parse_polarity(link.at("polarity").get<std::string>());
        out.graph.add_link(column, link.at("from").get<std::string>(), link.at("to").get<std::string>(),
                           polarity.value_or(Polarity::unknown));
        const double *values = table.column(static_cast<uint32_t>(c));
        out.link_scores.emplace_back(values, values + table.row_count());
    }
    return out;
}

json sd_params(const json &params) {
    json forwarded = json::object();
    for (const char *key : {"start", "stop", "dt", "method", "flow_to_stock"})
        if (params.contains(key)) forwarded[key] = params[key];
    return forwarded;
}

} // namespace

holon::MethodInfo LtmMethod::info() {
    return {"cld.ltm",
            "Loops That Matter",
            "Explains which feedback loops drive the behaviour of a stock-and-flow model over time (Schoenberg, "
            "Davidsen & Eberlein 2020, with the 2023 flow-to-stock correction): link scores from sd.link-scores, "
            "loop scores as their products around every loop of the dependency graph, relative loop scores per "
            "cycle partition, and the loops that explain at least half of the change in each period. The score "
            "labelled T describes the change from T to T + dt.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT,
            ""};
}

void LtmMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    ctx.progress(0.0, "scoring links");
    const holon::InvokeResult nested = ctx.invoke("sd.link-scores", sd_params(params).dump());
    nested.throw_if_failed("sd.link-scores");
    const std::string_view text = nested.json();
    const json link_result = json::parse(text.begin(), text.end(), nullptr, false);
    if (!link_result.is_object()) throw holon::Error(HOLON_ERR_INVOKE, "sd.link-scores returned no result object");
    ScoredGraph scored = scored_graph(link_result, nested.table("link_scores"));
    ctx.check_cancelled();

    ctx.progress(0.4, "finding loops");
    LoopSearchOptions options;
    options.max_loops = params.value("max_loops", std::uint64_t{10000});
    options.time_budget = std::chrono::milliseconds(params.value("time_budget_ms", std::int64_t{10000}));
    options.cancelled = [&ctx] { return ctx.cancelled(); };
    const LoopInventory inventory = find_loops(scored.graph, options);
    if (inventory.summary.stop == StopReason::cancelled) throw holon::Error(HOLON_ERR_CANCELLED, "run cancelled");
    if (inventory.summary.truncated())
        ctx.warn("loop search stopped after " + std::to_string(inventory.summary.count) +
                 " loops: relative scores cover the loops found only");

    ctx.progress(0.7, "scoring loops");
    const LoopScores scores =
        loop_scores(scored.graph, inventory.loops, inventory.summary.partitions, scored.link_scores);
    const auto periods =
        dominance(scores, inventory.summary.partitions.size(), params.value("dominance_share", 0.5));

    const auto &variables = scored.graph.variables();
    const auto &links = scored.graph.links();
    std::vector<std::string> ids;
    const std::vector<std::string> names = loop_names(inventory.loops);
    holon_plugins::text::CsvWriter csv;
    csv.row({"id", "name", "polarity", "length", "partition", "loop", "variable_ids"});
    json loops = json::array();
    holon::Table table;
    table.name = "loop_scores";
    {
        const holon::TableView link_table = nested.table("link_scores");
        const std::int64_t time_column = link_table.find("time");
        const auto tc = static_cast<uint32_t>(time_column);
        table.add_column("time", scored.times,
                         link_table.column_label(tc).empty() ? "Time" : std::string(link_table.column_label(tc)),
                         std::string(link_table.column_units(tc)));
    }
    for (std::size_t i = 0; i < inventory.loops.size(); ++i) {
        const Loop &loop = inventory.loops[i];
        const std::string letter(loop_polarity_letter(loop.polarity));
        ids.push_back("L" + std::to_string(i + 1));
        json loop_variables = json::array(), loop_names_json = json::array(), loop_links = json::array();
        std::string id_chain;
        for (std::size_t v : loop.variables) {
            loop_variables.push_back(variables[v].id);
            loop_names_json.push_back(variables[v].name);
            id_chain += variables[v].id + " \u2192 ";
        }
        for (std::size_t l : loop.links) loop_links.push_back(links[l].id);
        loops.push_back({{"id", ids.back()},
                         {"name", names[i]},
                         {"variables", loop_variables},
                         {"variable_names", loop_names_json},
                         {"links", loop_links},
                         {"polarity", letter},
                         {"length", loop.links.size()},
                         {"partition", scores.partition_of[i]},
                         {"score", scores.score[i]},
                         {"relative", scores.relative[i]}});
        csv.row({ids.back(), names[i], letter, std::to_string(loop.links.size()), std::to_string(scores.partition_of[i]),
                 loop_chain(scored.graph, loop), id_chain + variables[loop.variables.front()].id});
        // Loop scores are products of dimensionless link scores.
        table.add_column(ids.back(), scores.score[i], names[i] + " loop score", "dimensionless");
        table.add_column(ids.back() + ".relative", scores.relative[i], names[i] + " relative loop score", "dimensionless");
    }
    json partitions = json::array();
    for (std::size_t p = 0; p < inventory.summary.partitions.size(); ++p) {
        const Partition &partition = inventory.summary.partitions[p];
        json members = json::array(), member_names = json::array(), partition_loops = json::array();
        for (std::size_t v : partition.variables) members.push_back(variables[v].id);
        for (std::size_t v : partition.variables) member_names.push_back(variables[v].name);
        for (std::size_t i = 0; i < inventory.loops.size(); ++i)
            if (scores.partition_of[i] == p) partition_loops.push_back(ids[i]);
        partitions.push_back(
            {{"variables", members}, {"variable_names", member_names}, {"loops", partition_loops}, {"independent_loops", partition.independent_loops()}});
    }
    json dominant = json::array();
    for (const DominancePeriod &period : periods) {
        json period_loops = json::array();
        for (std::size_t i : period.loops) period_loops.push_back(ids[i]);
        dominant.push_back({{"partition", period.partition},
                            {"from", scored.times[period.first]},
                            {"to", scored.times[period.last]},
                            {"loops", period_loops}});
    }
    ctx.put_table(table);
    ctx.put_blob("loops.csv", "text/csv", csv.text());
    ctx.put_json(json{{"count", inventory.summary.count},
                      {"truncated", inventory.summary.truncated()},
                      {"flow_to_stock", link_result.value("flow_to_stock", std::string("2023"))},
                      {"time_convention", link_result.value("time_convention", std::string())},
                      {"times", scored.times},
                      {"loops", loops},
                      {"partitions", partitions},
                      {"dominance", dominant}}
                     .dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_cld::methods
