#include "methods/export_method.hpp"
#include "cld_schemas.hpp"

#include "formats/dot.hpp"
#include "formats/import_error.hpp"
#include "formats/graphml.hpp"
#include "formats/kumu.hpp"
#include "formats/svg.hpp"
#include "methods/loops_method.hpp"
#include "methods/model_input.hpp"

namespace holon_cld::methods {
namespace {

constexpr const char *params_schema = schemas::export_params.data();

constexpr const char *result_schema = schemas::export_result.data();

constexpr std::size_t max_all_highlighted = 10;

std::vector<HighlightedLoop> highlighted_loops(const holon::Context &ctx, const CausalGraph &graph,
                                               const nlohmann::json &params) {
    std::vector<HighlightedLoop> chosen;
    const auto it = params.find("highlight_loops");
    if (it == params.end() || (it->is_boolean() && !it->get<bool>())) return chosen;
    // Loop ids mean what cld.loops with default params says they mean.
    const LoopInventory inventory = find_loops(graph, loop_options(ctx, graph, nlohmann::json::object()));
    if (inventory.summary.stop == StopReason::cancelled) throw holon::Error(HOLON_ERR_CANCELLED, "run cancelled");
    if (it->is_boolean()) {
        for (std::size_t i = 0; i < inventory.loops.size() && i < max_all_highlighted; ++i)
            chosen.push_back({numbered_id("L", i + 1), inventory.loops[i]});
        if (inventory.loops.size() > max_all_highlighted)
            ctx.warn("highlighting the " + std::to_string(max_all_highlighted) + " shortest of " +
                     std::to_string(inventory.loops.size()) + " loops; name others in highlight_loops");
        return chosen;
    }
    for (const auto &id : *it) {
        const std::string label = id.get<std::string>();
        const std::size_t number = std::stoul(label.substr(1));
        if (number > inventory.loops.size())
            throw holon::Error(HOLON_ERR_INVALID_PARAMS,
                               "highlight_loops: there is no loop " + label + " (the model has " +
                                   std::to_string(inventory.loops.size()) + ")",
                               nlohmann::json{{"path", "/highlight_loops"}}.dump());
        chosen.push_back({label, inventory.loops[number - 1]});
    }
    return chosen;
}

} // namespace

holon::MethodInfo ExportMethod::info() {
    return {"cld.export",
            "Export the causal loop diagram",
            "Writes the causal map as Graphviz DOT, an SVG diagram laid out by Graphviz (polarity marks on links, "
            "delay marks, chosen loops coloured with R/B/U labels), GraphML or a Kumu blueprint.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_EXPORTER,
            HOLON_METHOD_FLAG_CONCURRENT,
            "dot,svg,graphml,kumu"};
}

void ExportMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const CausalGraph graph = read_graph(ctx);
    const std::string format = params.value("format", std::string("svg"));
    const std::string name = params.value("name", std::string("cld"));

    std::string data, media_type, file;
    std::vector<std::string> highlighted_ids;
    if (format == "dot" || format == "svg") {
        DotOptions options;
        options.title = params.value("title", std::string());
        options.highlighted = highlighted_loops(ctx, graph, params);
        for (const auto &h : options.highlighted) highlighted_ids.push_back(h.label);
        data = to_dot(graph, options);
        if (format == "svg") {
            try {
                data = render_svg(data);
            } catch (const RenderError &e) {
                throw holon::Error(HOLON_ERR_FAILED, e.what());
            }
            media_type = "image/svg+xml";
            file = name + ".svg";
        } else {
            media_type = "text/vnd.graphviz";
            file = name + ".dot";
        }
    } else if (format == "graphml") {
        data = write_graphml(graph);
        media_type = "application/graphml+xml";
        file = name + ".graphml";
    } else if (format == "kumu") {
        data = write_kumu(graph);
        media_type = "application/json";
        file = name + ".kumu.json";
    } else {
        throw holon::Error(HOLON_ERR_INVALID_PARAMS, "unknown format '" + format + "'");
    }
    ctx.put_blob(file, media_type, data);
    ctx.put_json(nlohmann::json{{"blob", file}, {"media_type", media_type}, {"bytes", data.size()}, {"highlighted_loops", highlighted_ids}}
                     .dump());
}

} // namespace holon_cld::methods
