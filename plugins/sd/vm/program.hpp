// The flat evaluation program the compiler produces and the engine runs: instructions over one
// contiguous array of double slots. No names, no pointers into the model, no virtual calls.
#pragma once

#include "ir/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace holon_sd {

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
    delay,     // d = delays[a]: the input as it was `delay time` ago (pipeline delay)
    random,    // d = randoms[a]: one draw per time step
    rank,      // d = 1-based position in lists[a] of the element ranked b-th (ascending, stable)
    array_call, // d = array_calls[a]: one element of an array function's result (allocation, inverse)
    clock,      // d = part a of the computer's local date and time (vm/clock.hpp)
    // Computed subscripts (only in models that use them):
    index,            // d = slot lists[indexed_reads[a].list][c * stride + b - 1] for the 1-based position b
                      //     (1 <= b <= stride; NaN outside); c is a plain number, not a slot
    subscript_check,  // d = the whole position a if 1 <= a <= b, else NaN (one of several computed subscripts)
};

// A computed subscript's position within this of a whole number counts as that number (TIME / DT
// and the like carry rounding error); otherwise its fraction is dropped.
inline constexpr double position_tolerance = 1e-9;

struct Instr {
    Op op;
    uint32_t d;
    uint32_t a;
    uint32_t b;
    uint32_t c;
};

// A pipeline delay: the engine records `input` after every step and reads it back `delay_time`
// later; before any recorded time has passed the delay time, the output is `initial`.
struct DelayLine {
    uint32_t input, delay_time, initial;
};

enum class Distribution : uint8_t { uniform, normal, lognormal, exponential, poisson };

// A call of a statistical function: its parameters (slots; unused ones 0), and its own seed when
// the equation gave one (else the run's generator is used).
struct RandomCall {
    Distribution distribution;
    uint32_t p1 = 0, p2 = 0;
    bool has_seed = false;
    uint32_t seed = 0;
    bool truncated = false;
    uint32_t low = 0, high = 0; // NORMAL(mean, sd, seed, min, max): redrawn until inside
};

// Array functions whose result for one element depends on whole arrays.
//   allocate: ALLOCATE BY PRIORITY: element `element` of the allocation of `supply` among the
//             requests lists[a] with priorities lists[b], rectangular priority profiles of `width`
//   invert:   INVERT MATRIX: element `element` (row-major) of the inverse of the square matrix lists[a]
//   allocate_available: ALLOCATE AVAILABLE: element `element` of the allocation of `supply` among
//             the requests lists[a]; lists[b] holds each request's priority profile as four
//             slots (type, priority, width, extra), request-major
enum class ArrayFunction : uint8_t { allocate, invert, allocate_available };

struct ArrayCall {
    ArrayFunction function;
    uint32_t a = 0, b = 0;      // indexes into Program::lists
    uint32_t element = 0;
    uint32_t width = 0, supply = 0; // slots (width: allocate; supply: allocate, allocate_available)
};

// A reference with computed subscripts: the slots it may read, lists[list], in stretches of
// `stride` (one per element the reference spans, each row-major over the computed dimensions),
// and, for the warning when a position falls outside them, what it is.
struct IndexedRead {
    uint32_t list;
    uint32_t stride;
    std::string what; // "variable 'x[e1]': a subscript of 'a'"
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

// One flow's share of a stock's derivative.
struct FlowTerm {
    uint32_t slot;
    double sign; // +1 inflow, -1 outflow
};

// A control variable that changes during the run (SimSpecs::*_variable): `code` computes it
// (with everything it depends on) from the time and the stocks, ahead of the step's own program;
// its value is then in `slot`. slot == no_control when the control is a constant.
inline constexpr uint32_t no_control = UINT32_MAX;
struct ControlProgram {
    std::vector<Instr> code;
    uint32_t slot = no_control;
};

struct Program {
    SimSpecs sim_specs;
    std::vector<double> initial_slots; // literals filled in; everything else 0
    uint32_t stock_count = 0;          // stocks occupy [slot_first_stock, +stock_count)
    uint32_t derivative_base = 0;      // derivative of stock i lives at derivative_base + i
    std::vector<uint8_t> stock_non_negative; // per stock
    std::vector<Instr> initial;        // computes every value at the start time
    std::vector<Instr> step;           // time-varying values from stocks and time
    // derivative of stock k = sum of flow_terms[flow_begin[k] .. flow_begin[k + 1])
    std::vector<uint32_t> flow_begin;
    std::vector<FlowTerm> flow_terms;
    std::vector<std::pair<uint32_t, uint32_t>> previous_updates; // (source, state) after each step
    std::vector<Lookup> lookups;
    std::vector<DelayLine> delays;
    std::vector<RandomCall> randoms;
    std::vector<std::vector<uint32_t>> lists; // slot lists of array functions (RANK, array calls)
    std::vector<ArrayCall> array_calls;
    std::vector<IndexedRead> indexed_reads;
    // Why the model needs a fixed-step method ("variable 'x' uses PULSE"); CVODE refuses it then.
    std::vector<std::string> fixed_step_only;
    // The variables that read the computer's clock (VENSIM_CLOCK): a run of them cannot be repeated.
    std::vector<std::string> clock_readers;
    // Evaluated in this order at every step: dt (then copied to slot_dt), stop (to slot_stop), save step.
    ControlProgram control_dt, control_stop, control_save_step;
    std::vector<OutputColumn> outputs;
    size_t variable_count = 0;         // model-level variables (before array expansion)
};

} // namespace holon_sd
