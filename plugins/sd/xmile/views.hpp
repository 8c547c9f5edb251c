// Reads what an XMILE file says besides equations: the stock-and-flow views of the main model
// (XMILE 1.0 §6: stock, flow, aux, module, alias, text_box, connector) and the model's units
// (<model_units>: names, equations and aliases).
#pragma once

#include "ir/model.hpp"
#include "xmile/xml_dom.hpp"

namespace holon_sd {

// Fills model.views and model.units from the <xmile> root. Never throws for a malformed display
// object or unit: it is left out with a line in model.warnings (diagrams and unit names never
// change a simulation). Interface views and interface objects (graphs, sliders, ...) are not kept.
void read_views_and_units(const xml::Element &root, Model &model);

} // namespace holon_sd
