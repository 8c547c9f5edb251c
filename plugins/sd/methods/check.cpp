#include "methods/check.hpp"

#include "compile/compiler.hpp"
#include "methods/located_error.hpp"
#include "methods/model_source.hpp"
#include "sd_schemas.hpp"

#include <nlohmann/json.hpp>

namespace holon_sd {

holon::MethodInfo CheckMethod::info() {
    holon::MethodInfo i{"sd.check", "Check equations",
                        "Resolves every equation of the stock-and-flow model as a simulation would, without running "
                        "it: names that do not exist, flows a stock names that are not flows, dimension mismatches "
                        "and algebraic loops are refused as an invalid model with the JSON path of the equation. "
                        "Returns the counts of variables by kind. The host runs it when a model with equations is "
                        "validated or stored.",
                        schemas::check_params.data(), schemas::check_result.data()};
    i.flags = HOLON_METHOD_FLAG_CONCURRENT;
    return i;
}

void CheckMethod::run(holon::Context &ctx) {
    Model model = model_from_context(ctx);
    try {
        (void)compile(model);
    } catch (const ModelError &e) {
        const CompileProblem p = describe(e, model);
        throw to_holon_error(p, {}, locate_in_model_json(ctx.model_json(), p));
    }
    size_t stocks = 0, flows = 0, auxiliaries = 0;
    for (const Variable &v : model.variables)
        (v.kind == VariableKind::stock ? stocks : v.kind == VariableKind::flow ? flows : auxiliaries) += 1;
    ctx.put_json(nlohmann::json{{"variables", model.variables.size()},
                                {"stocks", stocks},
                                {"flows", flows},
                                {"auxiliaries", auxiliaries},
                                {"warnings", model.warnings}}
                     .dump());
}

} // namespace holon_sd
