#include "methods/check_units.hpp"

#include "methods/model_source.hpp"
#include "sd_schemas.hpp"
#include "units/units.hpp"

#include <nlohmann/json.hpp>

namespace holon_sd {

holon::MethodInfo CheckUnitsMethod::info() {
    holon::MethodInfo i{"sd.check-units", "Check units",
                        "Checks the dimensional consistency of every equation against the declared units: "
                        "findings (warnings) name the variable, the expected and the found units.",
                        schemas::check_units_params.data(), schemas::check_units_result.data()};
    i.flags = HOLON_METHOD_FLAG_CONCURRENT;
    return i;
}

void CheckUnitsMethod::run(holon::Context &ctx) {
    Model m = model_from_context(ctx);
    try {
        nlohmann::json findings = nlohmann::json::array();
        for (const UnitFinding &f : check_units(m)) {
            findings.push_back({{"severity", "warning"},
                                {"variable", f.variable},
                                {"expected", f.expected},
                                {"found", f.found},
                                {"message", f.message}});
            ctx.log(HOLON_LOG_WARNING, f.message);
        }
        ctx.put_json(nlohmann::json{{"findings", findings}}.dump());
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    }
}

} // namespace holon_sd
