// The flat evaluation program the compiler produces and the engine runs: instructions over one
// contiguous array of double slots. No names, no pointers into the model, no virtual calls.
#pragma once

#include "ir/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace holon::sd {

enum class Op : uint8_t {
    copy,      // d = a
    add, sub, mul, div, pow, mod,
    neg,
    lt, le, gt, ge, eq, ne, land, lor, lnot,
    select,    // d = a != 0 ? b : c
    abs, sqrt, exp, ln, log10, sin, cos, tan, asin, acos, atan,
    trunc,     // INT: the integer part, towards zero (as the conformance references compute it)
    min, max,
    safediv,   // d = b == 0 ? c : a / b
    clamp0,    // d = max(a, 0)
    lookup,    // d = table[b](a)
    step,      // d = time >= b ? a : 0
    ramp,      // d = time > b ? a * (min(time, c) - b) : 0   (c = +inf when absent)
    pulse,     // d = volume a / dt at time b and every c after it (c <= 0: once)
    trend_out, // d = (a - b) / (b * c), 0 when b * c == 0
};

struct Instr {
    Op op;
    uint32_t d;
    uint32_t a;
    uint32_t b;
    uint32_t c;
};

struct Lookup {
    GraphicalFunctionType type;
    std::vector<double> xs;
    std::vector<double> ys;
};

// Fixed slot numbers every program shares.
inline constexpr uint32_t slot_time = 0;
inline constexpr uint32_t slot_dt = 1;
inline constexpr uint32_t slot_start = 2;
inline constexpr uint32_t slot_stop = 3;
inline constexpr uint32_t slot_first_stock = 4;

struct OutputColumn {
    std::string name; // the model's own name; array elements as "name[e1,e2]"
    uint32_t slot;
};

struct Program {
    SimSpecs sim_specs;
    std::vector<double> initial_slots; // literals filled in; everything else 0
    uint32_t stock_count = 0;          // stocks occupy [slot_first_stock, +stock_count)
    uint32_t derivative_base = 0;      // derivative of stock i lives at derivative_base + i
    std::vector<uint8_t> stock_non_negative; // per stock
    std::vector<Instr> initial;        // computes every value at the start time
    std::vector<Instr> step;           // time-varying values from stocks and time, then derivatives
    std::vector<std::pair<uint32_t, uint32_t>> previous_updates; // (source, state) after each step
    std::vector<Lookup> lookups;
    std::vector<OutputColumn> outputs;
    size_t variable_count = 0;         // model-level variables (before array expansion)
};

} // namespace holon::sd
