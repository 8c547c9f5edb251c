#include "methods/loops_method.hpp"
#include "cld_schemas.hpp"

#include "loops/loop_names.hpp"
#include "methods/model_input.hpp"

#include "text/csv.hpp"

namespace holon_cld::methods {
namespace {

constexpr const char *params_schema = schemas::loops_params.data();

constexpr const char *result_schema = schemas::loops_result.data();

const char *stop_text(StopReason reason) {
    switch (reason) {
    case StopReason::max_loops: return "max_loops was reached";
    case StopReason::max_loop_steps: return "max_result_mb was reached";
    case StopReason::time_budget: return "the time budget ran out";
    case StopReason::cancelled: return "the run was cancelled";
    case StopReason::completed: break;
    }
    return "";
}

} // namespace

LoopSearchOptions loop_options(const holon::Context &ctx, const CausalGraph &graph, const nlohmann::json &params) {
    LoopSearchOptions options;
    if (params.contains("through")) options.through = variable_param(graph, params, "through");
    options.max_loops = params.value("max_loops", std::uint64_t{100000});
    options.time_budget = std::chrono::milliseconds(params.value("time_budget_ms", std::int64_t{10000}));
    // One loop step is written as a variable id, its name and a link id in JSON (quoted,
    // comma-separated), the name again in the CSV chain, plus a share of the loop's own fields; the
    // mean lengths turn the megabytes into steps.
    double id_bytes = 0;
    for (const Variable &v : graph.variables())
        id_bytes += static_cast<double>(v.id.size() + 2 * v.name.size()) / static_cast<double>(graph.variables().size());
    double link_bytes = 0;
    for (const Link &l : graph.links()) link_bytes += static_cast<double>(l.id.size()) / static_cast<double>(graph.links().size());
    const double step_bytes = id_bytes + link_bytes + 9 + 4 + 8; // quotes, commas, arrows, + amortised per-loop fields
    const double budget = static_cast<double>(params.value("max_result_mb", std::uint64_t{64})) * 1024 * 1024;
    options.max_loop_steps = static_cast<std::uint64_t>(budget / step_bytes) + 1;
    options.cancelled = [&ctx] { return ctx.cancelled(); };
    return options;
}

std::string loops_result_json(const CausalGraph &graph, const LoopInventory &inventory) {
    std::vector<std::string> variable_ids, variable_names, link_ids;
    for (const Variable &v : graph.variables()) variable_ids.push_back(json_string(v.id));
    for (const Variable &v : graph.variables()) variable_names.push_back(json_string(v.name));
    for (const Link &l : graph.links()) link_ids.push_back(json_string(l.id));
    const std::vector<std::string> names = loop_names(inventory.loops);

    std::string out = "{\"count\":" + std::to_string(inventory.summary.count) +
                      ",\"truncated\":" + (inventory.summary.truncated() ? "true" : "false") + ",\"loops\":[";
    for (std::size_t i = 0; i < inventory.loops.size(); ++i) {
        const Loop &loop = inventory.loops[i];
        if (i) out += ',';
        out.append("{\"id\":\"L").append(std::to_string(i + 1)).append("\",\"name\":\"").append(names[i]);
        out += "\",\"variables\":[";
        for (std::size_t k = 0; k < loop.variables.size(); ++k) out += (k ? "," : "") + variable_ids[loop.variables[k]];
        out += "],\"variable_names\":[";
        for (std::size_t k = 0; k < loop.variables.size(); ++k) out += (k ? "," : "") + variable_names[loop.variables[k]];
        out += "],\"links\":[";
        for (std::size_t k = 0; k < loop.links.size(); ++k) out += (k ? "," : "") + link_ids[loop.links[k]];
        out += "],\"polarity\":\"" + std::string(loop_polarity_letter(loop.polarity)) +
               "\",\"length\":" + std::to_string(loop.links.size()) + "}";
    }
    out += "],\"partitions\":[";
    for (std::size_t i = 0; i < inventory.summary.partitions.size(); ++i) {
        const Partition &p = inventory.summary.partitions[i];
        if (i) out += ',';
        out += "{\"variables\":[";
        for (std::size_t k = 0; k < p.variables.size(); ++k) out += (k ? "," : "") + variable_ids[p.variables[k]];
        out += "],\"variable_names\":[";
        for (std::size_t k = 0; k < p.variables.size(); ++k) out += (k ? "," : "") + variable_names[p.variables[k]];
        out += "],\"loops\":" + std::to_string(p.loops) + ",\"independent_loops\":" + std::to_string(p.independent_loops()) + "}";
    }
    return out + "]}";
}

std::string loops_csv(const CausalGraph &graph, const LoopInventory &inventory) {
    holon_plugins::text::CsvWriter csv;
    csv.row({"id", "name", "polarity", "length", "loop", "variable_ids"});
    const std::vector<std::string> names = loop_names(inventory.loops);
    for (std::size_t i = 0; i < inventory.loops.size(); ++i) {
        const Loop &loop = inventory.loops[i];
        std::string ids;
        for (std::size_t v : loop.variables) ids += graph.variables()[v].id + " \u2192 ";
        csv.row({"L" + std::to_string(i + 1), names[i], std::string(loop_polarity_letter(loop.polarity)),
                 std::to_string(loop.links.size()), loop_chain(graph, loop),
                 ids + graph.variables()[loop.variables.front()].id});
    }
    return csv.text();
}

holon::MethodInfo LoopsMethod::info() {
    return {"cld.loops",
            "Feedback loops",
            "Finds every feedback loop of the causal map (elementary circuits, per strongly connected component), "
            "labels each R (reinforcing), B (balancing) or U (undetermined, when a link's polarity is unknown), and "
            "lists the partitions with the size of their independent loop set. Parallel links make distinct loops. "
            "Loops are named R1, B1, U1, ... and listed with their variables' ids and names, also as loops.csv. "
            "Capped by max_loops and a time budget; a capped result says truncated.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT,
            ""};
}

void LoopsMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const CausalGraph graph = read_graph(ctx);
    const LoopSearchOptions options = loop_options(ctx, graph, params);
    ctx.progress(0.0, "finding loops");
    const LoopInventory inventory = find_loops(graph, options);
    if (inventory.summary.stop == StopReason::cancelled) throw holon::Error(HOLON_ERR_CANCELLED, "run cancelled");
    if (inventory.summary.truncated())
        ctx.warn("loop search stopped after " + std::to_string(inventory.summary.count) + " loops: " +
                 stop_text(inventory.summary.stop));
    ctx.put_blob("loops.csv", "text/csv", loops_csv(graph, inventory));
    ctx.put_json(loops_result_json(graph, inventory));
    ctx.progress(1.0, "done");
}

} // namespace holon_cld::methods
