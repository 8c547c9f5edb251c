#include "methods/export_method.hpp"
#include "cld_schemas.hpp"

#include "formats/dot.hpp"
#include "formats/import_error.hpp"
#include "formats/graphml.hpp"
#include "formats/kumu.hpp"
#include "formats/svg.hpp"
#include "drawing/svg_png.hpp"
#include "formats/diagram.hpp"
#include "loops/loop_names.hpp"
#include "methods/loops_method.hpp"
#include "methods/model_input.hpp"

#include <algorithm>
#include <optional>

namespace holon_cld::methods {
namespace {

constexpr const char *params_schema = schemas::export_params.data();

constexpr const char *result_schema = schemas::export_result.data();

constexpr std::size_t max_all_highlighted = 10;
constexpr std::size_t max_marked = 12;

struct ChosenLoops {
    std::vector<HighlightedLoop> loops; // id (L7) and loop
    std::vector<std::string> names;     // R3, B1, ... as cld.loops names them
    bool coloured = false;              // the user chose them: their links are coloured
    std::size_t total = 0;              // loops in the map
};

// The loops a picture marks: the ones named in highlight_loops (ids L7 or names R3), the ten
// shortest for `true`, otherwise every loop up to twelve (uncoloured). Ids and names mean what
// cld.loops with default params says they mean.
ChosenLoops chosen_loops(const holon::Context &ctx, const CausalGraph &graph, const nlohmann::json &params) {
    ChosenLoops chosen;
    const auto it = params.find("highlight_loops");
    const LoopInventory inventory = find_loops(graph, loop_options(ctx, graph, nlohmann::json::object()));
    if (inventory.summary.stop == StopReason::cancelled) throw holon::Error(HOLON_ERR_CANCELLED, "run cancelled");
    const std::vector<std::string> names = loop_names(inventory.loops);
    chosen.total = inventory.loops.size();
    const auto take = [&](std::size_t i) {
        chosen.loops.push_back({numbered_id("L", i + 1), inventory.loops[i]});
        chosen.names.push_back(names[i]);
    };
    if (it == params.end() || (it->is_boolean() && !it->get<bool>())) {
        for (std::size_t i = 0; i < inventory.loops.size() && i < max_marked; ++i) take(i);
        if (inventory.loops.size() > max_marked)
            ctx.warn("marking the " + std::to_string(max_marked) + " shortest of " + std::to_string(inventory.loops.size()) +
                     " loops; name the ones to show in highlight_loops");
        return chosen;
    }
    chosen.coloured = true;
    if (it->is_boolean()) {
        for (std::size_t i = 0; i < inventory.loops.size() && i < max_all_highlighted; ++i) take(i);
        if (inventory.loops.size() > max_all_highlighted)
            ctx.warn("highlighting the " + std::to_string(max_all_highlighted) + " shortest of " +
                     std::to_string(inventory.loops.size()) + " loops; name others in highlight_loops");
        return chosen;
    }
    for (const auto &id : *it) {
        const std::string label = id.get<std::string>();
        std::optional<std::size_t> index;
        if (label.front() == 'L') {
            const std::size_t number = std::stoul(label.substr(1));
            if (number <= inventory.loops.size()) index = number - 1;
        } else {
            const auto found = std::find(names.begin(), names.end(), label);
            if (found != names.end()) index = static_cast<std::size_t>(found - names.begin());
        }
        if (!index)
            throw holon::Error(HOLON_ERR_INVALID_PARAMS,
                               "highlight_loops: there is no loop " + label + " (the model has " +
                                   std::to_string(inventory.loops.size()) + " loops, L1 to L" +
                                   std::to_string(inventory.loops.size()) + ", named as cld.loops names them)",
                               nlohmann::json{{"path", "/highlight_loops"}}.dump());
        take(*index);
    }
    return chosen;
}

} // namespace

holon::MethodInfo ExportMethod::info() {
    return {"cld.export",
            "Export the causal loop diagram",
            "Writes the causal map as a picture (SVG or PNG: laid out by Graphviz, names wrapped to fit their "
            "boxes, a style per variable kind, polarity signs and delay marks on links, a named R/B marker inside "
            "each loop and a legend), as Graphviz DOT, GraphML or a Kumu blueprint. An empty map draws no picture "
            "and says so.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_EXPORTER,
            HOLON_METHOD_FLAG_CONCURRENT,
            "dot,svg,png,graphml,kumu"};
}

void ExportMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const CausalGraph graph = read_graph(ctx);
    const std::string format = params.value("format", std::string("svg"));
    const std::string name = params.value("name", std::string("cld"));

    std::string data, media_type, file;
    std::vector<std::string> highlighted_ids, marked;
    if (format == "svg" || format == "png") {
        if (graph.variable_count() == 0) {
            ctx.warn("the causal map has no variables: there is nothing to draw, so no picture was written");
            ctx.put_json(nlohmann::json{{"blob", nullptr}, {"media_type", nullptr}, {"bytes", 0},
                                        {"highlighted_loops", nlohmann::json::array()}, {"loops", nlohmann::json::array()}}
                             .dump());
            return;
        }
        const ChosenLoops chosen = chosen_loops(ctx, graph, params);
        DiagramOptions options;
        options.title = params.value("title", std::string());
        options.loop_count = chosen.total;
        nlohmann::json loops = nlohmann::json::array();
        for (std::size_t i = 0; i < chosen.loops.size(); ++i) {
            const Loop &loop = chosen.loops[i].loop;
            const std::string colour = chosen.coloured ? loop_palette()[i % loop_palette().size()] : std::string();
            options.loops.push_back({chosen.names[i], loop, colour});
            if (chosen.coloured) highlighted_ids.push_back(chosen.loops[i].label);
            loops.push_back({{"id", chosen.loops[i].label},
                             {"name", chosen.names[i]},
                             {"polarity", std::string(loop_polarity_letter(loop.polarity))},
                             {"chain", loop_chain(graph, loop)}});
        }
        try {
            data = draw_diagram(graph, options).svg;
            if (format == "png") data = holon_plugins::drawing::svg_to_png(data, 2.0);
        } catch (const RenderError &e) {
            throw holon::Error(HOLON_ERR_FAILED, e.what());
        } catch (const std::runtime_error &e) {
            throw holon::Error(HOLON_ERR_FAILED, e.what());
        }
        media_type = format == "png" ? "image/png" : "image/svg+xml";
        file = name + "." + format;
        ctx.put_blob(file, media_type, data);
        ctx.put_json(nlohmann::json{{"blob", file},
                                    {"media_type", media_type},
                                    {"bytes", data.size()},
                                    {"highlighted_loops", highlighted_ids},
                                    {"loops", loops}}
                         .dump());
        return;
    }
    if (format == "dot") {
        DotOptions options;
        options.title = params.value("title", std::string());
        const ChosenLoops chosen = chosen_loops(ctx, graph, params);
        if (chosen.coloured) {
            options.highlighted = chosen.loops;
            for (std::size_t i = 0; i < chosen.loops.size(); ++i) options.highlighted[i].name = chosen.names[i];
        }
        for (const auto &h : options.highlighted) highlighted_ids.push_back(h.label);
        data = to_dot(graph, options);
        media_type = "text/vnd.graphviz";
        file = name + ".dot";
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
