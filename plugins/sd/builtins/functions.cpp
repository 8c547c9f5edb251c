#include "builtins/functions.hpp"

#include <array>

namespace holon_sd {

namespace {

constexpr std::array<FunctionInfo, 51> functions{{
    {"abs", FunctionKind::unary, Op::abs, 1, 1},
    {"sqrt", FunctionKind::unary, Op::sqrt, 1, 1},
    {"exp", FunctionKind::unary, Op::exp, 1, 1},
    {"ln", FunctionKind::unary, Op::ln, 1, 1},
    {"log10", FunctionKind::unary, Op::log10, 1, 1},
    {"sin", FunctionKind::unary, Op::sin, 1, 1},
    {"cos", FunctionKind::unary, Op::cos, 1, 1},
    {"tan", FunctionKind::unary, Op::tan, 1, 1},
    {"arcsin", FunctionKind::unary, Op::asin, 1, 1},
    {"arccos", FunctionKind::unary, Op::acos, 1, 1},
    {"arctan", FunctionKind::unary, Op::atan, 1, 1},
    {"int", FunctionKind::unary, Op::trunc, 1, 1},
    {"min", FunctionKind::min_max, Op::min, 1, 2},
    {"max", FunctionKind::min_max, Op::max, 1, 2},
    {"mod", FunctionKind::binary, Op::mod, 2, 2},
    {"safediv", FunctionKind::safediv, Op::safediv, 2, 3},
    {"step", FunctionKind::step, Op::step, 2, 2},
    {"ramp", FunctionKind::ramp, Op::ramp, 2, 3},
    {"pulse", FunctionKind::pulse, Op::pulse, 1, 3},
    {"pi", FunctionKind::pi, Op::copy, 0, 0},
    {"if then else", FunctionKind::if_then_else, Op::select, 3, 3},
    {"lookup", FunctionKind::lookup, Op::lookup, 2, 2},
    {"sum", FunctionKind::reduce_sum, Op::add, 1, 1},
    {"mean", FunctionKind::reduce_mean, Op::add, 1, 1},
    {"size", FunctionKind::reduce_size, Op::copy, 1, 1},
    {"stddev", FunctionKind::reduce_stddev, Op::add, 1, 1},
    {"prod", FunctionKind::reduce_prod, Op::mul, 1, 1},
    {"init", FunctionKind::init, Op::copy, 1, 1},
    {"previous", FunctionKind::previous, Op::copy, 1, 2},
    {"smth1", FunctionKind::smooth1, Op::copy, 2, 3},
    {"smth3", FunctionKind::smooth3, Op::copy, 2, 3},
    {"smthn", FunctionKind::smoothn, Op::copy, 3, 4},
    {"delay1", FunctionKind::delay1, Op::copy, 2, 3},
    {"delay3", FunctionKind::delay3, Op::copy, 2, 3},
    {"delayn", FunctionKind::delayn, Op::copy, 3, 4},
    {"delay n", FunctionKind::vensim_delayn, Op::copy, 4, 4},
    {"npv", FunctionKind::vensim_npv, Op::copy, 4, 4},
    {"trend", FunctionKind::trend, Op::copy, 2, 3},
    {"forcst", FunctionKind::forecast, Op::copy, 3, 4},
    {"delay", FunctionKind::delay, Op::delay, 2, 3},
    {"random", FunctionKind::random, Op::random, 2, 3},
    {"normal", FunctionKind::random, Op::random, 2, 5},
    {"lognormal", FunctionKind::random, Op::random, 2, 3},
    {"exprnd", FunctionKind::random, Op::random, 1, 2},
    {"poisson", FunctionKind::random, Op::random, 1, 2},
    {"rank", FunctionKind::rank, Op::rank, 2, 2},
    {"active initial", FunctionKind::active_initial, Op::copy, 2, 2},
    {"allocate by priority", FunctionKind::allocate_by_priority, Op::array_call, 5, 5},
    {"invert matrix", FunctionKind::invert_matrix, Op::array_call, 2, 2},
    {"allocate available", FunctionKind::allocate_available, Op::array_call, 4, 4},
    {"vensim clock", FunctionKind::clock, Op::clock, 1, 1},
}};

} // namespace

std::span<const FunctionInfo> all_functions() { return functions; }

const FunctionInfo *find_function(std::string_view canonical_name) {
    for (const FunctionInfo &f : functions)
        if (f.name == canonical_name) return &f;
    return nullptr;
}

} // namespace holon_sd
