// Turns the model IR into a Program: resolves names, expands arrays into contiguous element slots,
// expands stateful builtins (SMTH, DELAY, TREND, ...) into their own stocks, orders the initial
// and per-step computations (reporting algebraic loops by their members), and lowers every
// equation to instructions. The stages and the files that hold them: compile/state.hpp.
#pragma once

#include "ir/model.hpp"
#include "vm/program.hpp"

namespace holon_sd {

// Throws ModelError naming the variable and the problem.
Program compile(const Model &model);

} // namespace holon_sd
