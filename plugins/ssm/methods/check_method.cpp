#include "methods/check_method.hpp"

#include "methods/common.hpp"
#include "ssm_schemas.hpp"

namespace holon_ssm::methods {

holon::MethodInfo CheckMethod::info() {
    return {"ssm.check",
            "Check root definitions and activity models",
            "Checks every SSM activity model: CATWOE and PQR complete, T an input entity changed in state, one worldview, "
            "7 +/- 2 operational activities with monitoring and control, 3E measures bound to indicators, every root-definition "
            "element reflected in an activity, acyclic dependencies reachable from T's input, the comparison and changes, and "
            "the joins to actors, exogenous variables, the causal map and CSH worldview answers. Findings carry stable codes "
            "(SSM-RD-*, SSM-PAM-*, SSM-CMP-*, SSM-CHG-*, SSM-JOIN-*).",
            schemas::check_params.data(),
            schemas::check_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT,
            ""};
}

void CheckMethod::run(holon::Context &ctx) {
    const Inputs in = read_inputs(ctx);
    const checks::Report report = checks::check(in.inquiry, check_options(in.params), in.only);
    ctx.put_json(report_json(report).dump());
}

} // namespace holon_ssm::methods
