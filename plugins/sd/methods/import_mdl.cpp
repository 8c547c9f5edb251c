#include "methods/import_mdl.hpp"

#include "compile/compiler.hpp"
#include "mdl/reader.hpp"
#include "methods/located_error.hpp"
#include "methods/model_source.hpp"
#include "model_json/model_json.hpp"
#include "sd_schemas.hpp"

#include <nlohmann/json.hpp>

namespace holon_sd {

holon::MethodInfo ImportMdlMethod::info() {
    holon::MethodInfo i{"sd.import-mdl", "Import Vensim",
                        "Reads a Vensim .mdl model into the shared model: every variable with its equation "
                        "(translated to the XMILE equation language), units and documentation, every dependency a "
                        "causal link with its polarity, subscripts as dimensions, lookups as graphical functions, "
                        "macros expanded, external data (GET XLS/DIRECT ...) read from the model's folder, and the "
                        "sketch kept as views, so the model can be simulated and exported to XMILE. Data variables "
                        "without an equation take their series from `data_files` (.tab/.csv in the model's folder). "
                        "Every equation is resolved on the way in: a model that cannot run is refused with its line "
                        "and column unless `check` is false.",
                        schemas::import_mdl_params.data(), schemas::import_mdl_result.data()};
    i.kind = HOLON_METHOD_KIND_IMPORTER;
    i.flags = HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL;
    i.formats = "mdl";
    return i;
}

void ImportMdlMethod::run(holon::Context &ctx) {
    if (ctx.source().empty()) throw holon::Error(HOLON_ERR_INVALID_PARAMS, "no Vensim model given");
    try {
        MdlOptions options;
        options.source_dir = std::string(ctx.source_dir());
        options.source_name = std::string(ctx.source_name());
        nlohmann::json params = nlohmann::json::parse(ctx.params_json(), nullptr, false);
        if (params.is_object() && params.contains("data_files"))
            for (const auto &f : params["data_files"]) {
                if (!f.is_string()) throw holon::Error(HOLON_ERR_INVALID_PARAMS, "data_files must be file names");
                options.data_files.push_back(f.get<std::string>());
            }
        Model m;
        try {
            m = read_mdl(ctx.source(), options);
        } catch (const ModelError &e) {
            // The reader resolves names as it translates: suggest from the names the file defines.
            const CompileProblem p = describe_read_error(e, mdl_defined_names(ctx.source()));
            if (p.unknown.empty()) throw;
            throw to_holon_error(p, {e.line(), e.column()});
        }
        if (m.name.empty()) m.name = std::string(ctx.source_name());
        if (!params.is_object() || params.value("check", true)) {
            // Resolve every equation now (see sd.import-xmile).
            try {
                (void)compile(m);
            } catch (const ModelError &e) {
                const CompileProblem p = describe(e, m);
                throw to_holon_error(p, locate_in_mdl(ctx.source(), p));
            }
        }
        ctx.put_json(to_model_json(m, "mdl"));
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
}

} // namespace holon_sd
