// XMILE macros (XMILE 1.0 sections 3.6 and 4.8): user functions defined by a <macro> beside the
// <model>s. Holon expands every call where it is written, before compiling:
//   - a macro with only an <eqn> is an expression: the call becomes (eqn) with each parameter
//     replaced by its parenthesised argument, or, when the parameter is used more than once and
//     the argument is more than a name or number, by an auxiliary "<caller>.<macro>#<n>.<parameter>"
//     holding it (arguments are values: SUB(x) = x - x on RANDOM(0,1) is 0);
//   - a macro with <variables> gets its own copy of those variables per call, named
//     "<caller>.<macro>#<n>.<variable>", plus one auxiliary "<caller>.<macro>#<n>.<parameter>"
//     per parameter holding the argument; the call becomes (eqn) over those copies. So each call
//     has its own stocks, as section 4.8.2 requires.
// A macro wins over a builtin function of the same name (macros exist to define or translate
// builtins); the model gets a warning saying so.
#pragma once

#include "ir/model.hpp"

#include <string>
#include <vector>

namespace holon_sd {

struct MacroParameter {
    std::string name;
    std::string default_value; // an expression over earlier parameters; empty: required
};

struct MacroDefinition {
    std::string name;
    std::vector<MacroParameter> parameters;
    std::string equation;            // the value of a call
    std::vector<Variable> variables; // empty for an expression macro
    int line = 0, column = 0;
};

// Per variable: the calls in its equations, and in the macros they expand to.
inline constexpr int max_macro_calls_per_variable = 10000;

// Expands every call of `macros` in m's equations. Throws ModelError naming the macro and the
// calling variable for a wrong number of arguments, a recursive macro (not supported), a
// macro with variables called from an arrayed variable, a name in a macro that is neither a
// parameter nor one of its variables, a call whose text would exceed the equation size bound,
// and calls that would take the model past max_model_variables (xmile/limits.hpp).
void expand_macros(const std::vector<MacroDefinition> &macros, Model &m);

} // namespace holon_sd
