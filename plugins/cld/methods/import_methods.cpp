#include "methods/import_methods.hpp"
#include "cld_schemas.hpp"

#include "formats/graphml.hpp"
#include "formats/kumu.hpp"
#include "graph/model_json.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace holon_cld::methods {
namespace {

constexpr const char *params_schema = schemas::import_params.data();

constexpr const char *result_schema = schemas::import_result.data();

// Kinds the shared model knows; a foreign "type" outside them is not a kind.
const std::set<std::string> &model_kinds() {
    static const std::set<std::string> kinds{"stock", "flow", "aux", "exogenous", "lever", "outcome", "indicator", "factor"};
    return kinds;
}

// The model's id and name come from the file name when there is one.
ModelHeader header_for(const holon::Context &ctx, const char *format) {
    ModelHeader header;
    const std::string file(ctx.source_name());
    const std::string stem = file.substr(0, file.find('.'));
    std::set<std::string> none;
    header.id = model_id(stem.empty() ? std::string(format) + "-import" : stem, "m-", none);
    header.name = stem.empty() ? std::string("Imported ") + format + " map" : stem;
    header.asserted_by = file.empty() ? std::string(format) + " import" : file;
    header.method = std::string(format) + " import";
    return header;
}

template <class Reader>
void import_with(holon::Context &ctx, const char *format, Reader read) {
    if (ctx.source().empty()) throw holon::Error(HOLON_ERR_INVALID_MODEL, "there is no source document to import");
    Imported imported;
    try {
        imported = read(ctx.source());
    } catch (const ImportError &e) {
        nlohmann::json details = nlohmann::json::object();
        if (e.line() > 0) {
            details["line"] = e.line();
            details["column"] = e.column();
        }
        throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what(), details.dump());
    }
    // Foreign ids and kinds are made to fit the model schema; every change is logged.
    CausalGraph graph;
    std::set<std::string> variable_ids, link_ids;
    std::vector<std::string> new_variable_id;
    for (const Variable &v : imported.graph.variables()) {
        Variable copy = v;
        copy.id = model_id(v.id, "v-", variable_ids);
        if (copy.id != v.id) ctx.warn("variable id '" + v.id + "' is not a model id; imported as '" + copy.id + "'");
        if (!copy.kind.empty() && !model_kinds().count(copy.kind)) {
            ctx.warn("variable '" + copy.id + "': '" + v.kind + "' is not a model kind; imported as a factor");
            copy.kind.clear();
        }
        new_variable_id.push_back(copy.id);
        graph.add_variable(std::move(copy));
    }
    for (const Link &l : imported.graph.links()) {
        const std::string id = model_id(l.id, "l-", link_ids);
        if (id != l.id) ctx.warn("link id '" + l.id + "' is not a model id; imported as '" + id + "'");
        graph.add_link(id, new_variable_id[l.from], new_variable_id[l.to], l.polarity, l.delay, l.weight);
    }
    for (const std::string &w : imported.warnings) ctx.warn(w);
    ctx.put_json(write_model(graph, header_for(ctx, format)));
}

} // namespace

holon::MethodInfo ImportGraphmlMethod::info() {
    return {"cld.import-graphml",
            "Import GraphML",
            "Reads a GraphML causal map (node data name/label and kind; edge data polarity or sign, delay, weight) "
            "into a holon-model/1 document. DTDs and entities are refused; errors name the line and column.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_IMPORTER,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL,
            "graphml"};
}

void ImportGraphmlMethod::run(holon::Context &ctx) {
    import_with(ctx, "graphml", [](std::string_view source) { return read_graphml(source); });
}

holon::MethodInfo ImportKumuMethod::info() {
    return {"cld.import-kumu",
            "Import a Kumu blueprint",
            "Reads a Kumu JSON blueprint (elements and connections; polarity from the connection type) into a "
            "holon-model/1 document.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_IMPORTER,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL,
            "kumu"};
}

void ImportKumuMethod::run(holon::Context &ctx) {
    import_with(ctx, "kumu", [](std::string_view source) { return read_kumu(source); });
}

} // namespace holon_cld::methods
