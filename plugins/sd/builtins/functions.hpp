// The builtin function table: which names exist, how many arguments they take, and how the
// compiler lowers them. Stateless functions map to one instruction; stateful ones (SMTH, DELAY,
// TREND, INIT, PREVIOUS) are expanded by the compiler into their own stocks or state slots.
#pragma once

#include "vm/program.hpp"

#include <span>
#include <string_view>

namespace holon_sd {

enum class FunctionKind {
    unary,      // one instruction, one argument (op)
    binary,     // one instruction, two arguments (op)
    min_max,    // two arguments: elementwise (op); one argument: over an array
    safediv,    // SAFEDIV(a, b [, c])
    step, ramp, pulse,
    pi,
    if_then_else,
    lookup,     // LOOKUP(table, x)
    reduce_sum, reduce_mean, reduce_size, reduce_stddev, reduce_prod,
    init, previous,
    smooth1, smooth3, smoothn,
    delay1, delay3, delayn,
    vensim_delayn, // DELAY_N(input, delay time, initial, order): Vensim's DELAY N (see the compiler)
    vensim_npv,    // NPV(stream, discount rate, initial, factor): Vensim's net present value
    trend, forecast,
    delay,      // DELAY(input, delay time [, initial]): pipeline delay
    random,     // RANDOM, NORMAL, LOGNORMAL, EXPRND, POISSON
    rank,       // RANK(array, ith)
    active_initial, // ACTIVE_INITIAL(expression, initial): the whole equation only (Vensim)
    allocate_by_priority, // ALLOCATE_BY_PRIORITY(request[..,*], priority[..,*], element, width, supply)
    invert_matrix,        // INVERT_MATRIX(matrix[..,*,*], element)
    allocate_available,   // ALLOCATE_AVAILABLE(request[..,*], profiles[..,*,*], element, available)
    clock,                // VENSIM_CLOCK(measure): Vensim's GET TIME VALUE relative to the computer's clock
};

struct FunctionInfo {
    std::string_view name; // canonical: lower case, spaces for underscores
    FunctionKind kind;
    Op op;
    int min_args;
    int max_args;
};

// The builtin called `canonical_name`, or nullptr.
const FunctionInfo *find_function(std::string_view canonical_name);

// Every builtin, in the catalogue's order.
std::span<const FunctionInfo> all_functions();

} // namespace holon_sd
