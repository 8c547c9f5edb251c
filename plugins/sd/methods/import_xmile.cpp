#include "methods/import_xmile.hpp"

#include "compile/compiler.hpp"
#include "methods/located_error.hpp"
#include "methods/model_source.hpp"
#include "model_json/model_json.hpp"
#include "sd_schemas.hpp"
#include "xmile/reader.hpp"

#include <holon/inputs.hpp>

namespace holon_sd {

holon::MethodInfo ImportXmileMethod::info() {
    holon::MethodInfo i{"sd.import-xmile", "Import XMILE",
                        "Reads an XMILE 1.0 or Stella .stmx model into the shared model: every stock, flow and "
                        "auxiliary becomes a variable with its equation and units, every dependency a causal link "
                        "with its polarity, and the simulation settings, graphical functions and arrays are kept "
                        "under methods.sd so the model can be simulated again. Every equation is resolved on the "
                        "way in (unknown names, flows a stock names that do not exist, dimension mismatches): a "
                        "model that cannot run is refused with its line and column unless `check` is false.",
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
        if (holon::read_params(ctx).value("check", true)) {
            // Resolve every equation now, so that a broken model is refused here, at its line,
            // rather than stored and refused by its first run.
            try {
                (void)compile(m);
            } catch (const ModelError &e) {
                const CompileProblem p = describe(e, m);
                throw to_holon_error(p, locate_in_xmile(ctx.source(), p));
            }
        }
        std::string format = ctx.source_name().size() > 5 && ctx.source_name().substr(ctx.source_name().size() - 5) == ".stmx"
                                 ? "stmx"
                                 : "xmile";
        ctx.put_json(to_model_json(m, format));
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
}

} // namespace holon_sd
