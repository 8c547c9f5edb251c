// Maps the SD model IR to and from the shared system-of-interest model (holon-model/1 JSON).
// Shared fields hold what every method reads (variables with kind, units, equation,
// documentation; causal links with polarity); SD-only data lives under variables[].sd
// (inflows, outflows, non_negative, gf, dimensions, elements) and methods.sd (sim_specs,
// dimensions, views, units), enough to rebuild the IR, simulate again and export the diagram.
#pragma once

#include "ir/model.hpp"

#include <string>
#include <string_view>

namespace holon_sd {

// A holon-model/1 document (JSON text) for the model, with a link for every dependency.
std::string to_model_json(const Model &model, std::string_view source_format = "xmile");

// Rebuilds the IR from a holon-model/1 document. Variables whose kind is not stock, flow or aux
// and that have no equation (factors added by other methods) are left out. Throws ModelError.
Model from_model_json(std::string_view json);

// A stable identifier for any name, the same rule for XMILE and .mdl: ASCII letters and digits
// lower-cased, runs of other characters as '_', "v_" in front when it would start with a digit
// (the shared model's ids start with a letter: a Vensim variable named 1995 becomes v_1995), "v"
// when nothing is left. The name itself is kept exactly beside it.
std::string slug(std::string_view name);

} // namespace holon_sd
