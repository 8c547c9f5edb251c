#include "methods/variety_method.hpp"

#include "methods/common.hpp"
#include "variety/variety.hpp"
#include "vsm_schemas.hpp"

namespace holon_vsm::methods {

holon::MethodInfo VarietyMethod::info() {
    return {"vsm.variety", "Variety arithmetic",
            "Ashby's law of requisite variety in its integer count form per variety estimate (states and bits after "
            "attenuation and amplification, minimum outcomes ceil(D/R), deficit in bits against the acceptable outcomes), "
            "channel capacity and transducers against the variety they must carry, and Beer's triple index per indicator; "
            "exact rationals until printed.",
            schemas::variety_params.data(), schemas::variety_result.data(), HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void VarietyMethod::run(holon::Context &ctx) {
    (void)holon::read_params(ctx);
    const Organisation org = organisation_of(holon::read_model(ctx));
    ctx.put_json(variety_report(org).dump());
}

} // namespace holon_vsm::methods
