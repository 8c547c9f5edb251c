#include "methods/structure.hpp"

#include "methods/model_source.hpp"
#include "model_json/model_json.hpp"
#include "sd_schemas.hpp"
#include "structure/dependencies.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace holon_sd {

holon::MethodInfo StructureMethod::info() {
    holon::MethodInfo i{"sd.structure", "Causal structure",
                        "The causal graph of the stock-and-flow model: one node per variable (with its kind) and "
                        "one link per dependency with its polarity (+, - or ? where the equation does not "
                        "determine it).",
                        schemas::structure_params.data(), schemas::structure_result.data()};
    i.flags = HOLON_METHOD_FLAG_CONCURRENT;
    return i;
}

void StructureMethod::run(holon::Context &ctx) {
    Model m = model_from_context(ctx);
    try {
        nlohmann::json nodes = nlohmann::json::array(), links = nlohmann::json::array();
        for (const Variable &v : m.variables)
            nodes.push_back({{"id", slug(v.name)}, {"name", v.name}, {"kind", to_string(v.kind)}});
        for (const Dependency &d : dependencies(m))
            links.push_back({{"from", slug(d.from)}, {"to", slug(d.to)}, {"polarity", std::string(1, d.polarity)}});
        ctx.put_json(nlohmann::json{{"nodes", nodes}, {"links", links}}.dump());
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
}

} // namespace holon_sd
