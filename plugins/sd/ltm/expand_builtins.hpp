// Rewrites the smoothing and material-delay builtins of a model into explicit stocks and flows
// (what the compiler does internally), so that Loops That Matter can score the links through
// them: SMTH1/SMTH3/SMTHN become chains of first-order smoothing stocks, DELAY1/DELAY3/DELAYN chains
// of stages each draining at content / (delay time / order), INIT(x) a stock with no flows. The
// hidden variables are named after the variable that called the builtin ("<name> smth1 2 stage 1").
#pragma once

#include "ir/model.hpp"

namespace holon_sd::ltm {

// Expands every such call in the equations of auxiliaries and flows, nested calls included.
// Throws ModelError on an equation that does not tokenise or a call with the wrong number of
// arguments, and Unsupported when the order of SMTHN/DELAYN is not a plain number.
void expand_stateful_builtins(Model &model);

} // namespace holon_sd::ltm
