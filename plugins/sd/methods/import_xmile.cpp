#include "methods/import_xmile.hpp"

#include "methods/model_source.hpp"
#include "model_json/model_json.hpp"
#include "sd_schemas.hpp"
#include "xmile/reader.hpp"

namespace holon_sd {

holon::MethodInfo ImportXmileMethod::info() {
    holon::MethodInfo i{"sd.import-xmile", "Import XMILE",
                        "Reads an XMILE 1.0 or Stella .stmx model into the shared model: every stock, flow and "
                        "auxiliary becomes a variable with its equation and units, every dependency a causal link "
                        "with its polarity, and the simulation settings, graphical functions and arrays are kept "
                        "under methods.sd so the model can be simulated again.",
                        schemas::import_xmile_params.data(), schemas::import_xmile_result.data()};
    i.kind = HOLON_METHOD_KIND_IMPORTER;
    i.flags = HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL;
    i.formats = "xmile,stmx";
    return i;
}

void ImportXmileMethod::run(holon::Context &ctx) {
    if (ctx.source().empty()) throw holon::Error(HOLON_ERR_INVALID_PARAMS, "no XMILE document given");
    try {
        Model m = read_xmile(ctx.source());
        if (m.name.empty()) m.name = std::string(ctx.source_name());
        std::string format = ctx.source_name().size() > 5 && ctx.source_name().substr(ctx.source_name().size() - 5) == ".stmx"
                                 ? "stmx"
                                 : "xmile";
        ctx.put_json(to_model_json(m, format));
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
}

} // namespace holon_sd
