// The plugins this server found, their methods and each method's params/result schemas.
#include "api/routes.hpp"
#include "execution/executor.hpp"

namespace holon::api {

namespace {

const char* kind_name(int32_t kind) {
    switch (kind) {
    case HOLON_METHOD_KIND_ANALYSIS: return "analysis";
    case HOLON_METHOD_KIND_IMPORTER: return "importer";
    case HOLON_METHOD_KIND_EXPORTER: return "exporter";
    default: return "other";
    }
}

nlohmann::json schema_or_true(const std::string& text) {
    auto doc = parse_stored(text);
    return doc.is_object() || doc.is_boolean() ? doc : nlohmann::json(true);
}

nlohmann::json view(const registry::Registry& registry, const registry::PluginEntry& p) {
    auto methods = nlohmann::json::array();
    for (const auto* m : registry.methods_of(p)) {
        const auto& d = m->description;
        methods.push_back({{"id", d.id},
                           {"name", d.name},
                           {"description", d.description},
                           {"kind", kind_name(d.kind)},
                           {"formats", m->formats},
                           {"params_schema", schema_or_true(d.params_schema)},
                           {"result_schema", schema_or_true(d.result_schema)}});
    }
    nlohmann::json out{{"id", p.manifest.id},
                       {"version", p.manifest.version},
                       {"description", p.manifest.description},
                       {"license", p.manifest.license},
                       {"usable", p.usable()},
                       {"methods", methods}};
    if (!p.usable()) out["error"] = p.error;
    return out;
}

Response list(Call& call) {
    const auto& registry = call.services.executor->registry();
    auto items = nlohmann::json::array();
    for (const auto& p : registry.plugins()) items.push_back(view(registry, *p));
    return json_response(200, {{"items", items}});
}

Response get(Call& call) {
    const auto& registry = call.services.executor->registry();
    for (const auto& p : registry.plugins())
        if (p->manifest.id == call.param("plugin")) return json_response(200, view(registry, *p));
    throw problems::not_found("no plugin " + call.param("plugin"));
}

}  // namespace

void add_plugin_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"listPlugins", Access::any_token, list});
    routes.push_back({"getPlugin", Access::any_token, get});
}

}  // namespace holon::api
