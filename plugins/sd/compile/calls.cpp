// The stateless built-ins: each becomes a few instructions of the node that calls it.
#include "compile/lowering.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace holon_sd::compiler {

namespace {

uint32_t lower_unary(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    return low.emit(c, f->op, low.arg(c, e, 0), 0, 0, want);
}

uint32_t lower_binary(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    uint32_t a = low.arg(c, e, 0);
    return low.emit(c, f->op, a, low.arg(c, e, 1), 0, want);
}

uint32_t lower_min_max(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    const int n = static_cast<int>(e.args.size());
    if (n == 2) {
        uint32_t a = low.arg(c, e, 0);
        return low.emit(c, f->op, a, low.arg(c, e, 1), 0, want);
    }
    return low.fold(c, f->op, low.array_slots(c, *e.args[0]));
}

uint32_t lower_safediv(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    const int n = static_cast<int>(e.args.size());
    uint32_t a = low.arg(c, e, 0), b = low.arg(c, e, 1);
    uint32_t alt = n == 3 ? low.arg(c, e, 2) : s.literal(0);
    return low.emit(c, Op::safediv, a, b, alt, want);
}

uint32_t lower_step(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    low.fixed_step(c, "uses STEP (a jump CVODE would smooth over)");
    s.nodes[c.node].reads_state = true;
    uint32_t h = low.arg(c, e, 0);
    return low.emit(c, Op::step, h, low.arg(c, e, 1), 0, want);
}

uint32_t lower_ramp(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    const int n = static_cast<int>(e.args.size());
    s.nodes[c.node].reads_state = true;
    uint32_t slope = low.arg(c, e, 0), t0 = low.arg(c, e, 1);
    uint32_t t1 = n == 3 ? low.arg(c, e, 2) : s.literal(std::numeric_limits<double>::infinity());
    return low.emit(c, Op::ramp, slope, t0, t1, want);
}

uint32_t lower_pulse(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    const int n = static_cast<int>(e.args.size());
    low.fixed_step(c, "uses PULSE (defined per dt)");
    s.nodes[c.node].reads_state = true;
    uint32_t v = low.arg(c, e, 0);
    uint32_t first = n >= 2 ? low.arg(c, e, 1) : slot_start;
    uint32_t interval = n == 3 ? low.arg(c, e, 2) : s.literal(0);
    return low.emit(c, Op::pulse, v, first, interval, want);
}

uint32_t lower_pi(Lowering &low, Lowering::Ctx &, const Expr &, const FunctionInfo *, uint32_t) {
    CompileState &s = low.state();
    return s.literal(std::numbers::pi);
}

uint32_t lower_if_then_else(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    uint32_t cond = low.arg(c, e, 0), a = low.arg(c, e, 1);
    return low.emit(c, Op::select, cond, a, low.arg(c, e, 2), want);
}

uint32_t lower_lookup(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    const Expr &t = *e.args[0];
    const VariableInfo *vi = t.kind == ExprKind::name ? s.find_variable(t.name) : nullptr;
    if (!vi || !(vi->table_only || vi->v->gf)) low.fail_node(c, "LOOKUP needs a graphical function as its first argument");
    uint32_t table = vi->table_only ? vi->lookup : s.add_lookup(*vi->v->gf);
        low.note_discrete(c, *vi->v->gf);
    return low.emit(c, Op::lookup, low.arg(c, e, 1), table, 0, want);
}

uint32_t lower_sum(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    return low.fold(c, Op::add, low.array_slots(c, *e.args[0]));
}

uint32_t lower_prod(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    return low.fold(c, Op::mul, low.array_slots(c, *e.args[0]));
}

uint32_t lower_size(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    CompileState &s = low.state();
    return s.literal(static_cast<double>(low.array_slots(c, *e.args[0]).size()));
}

uint32_t lower_mean(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    auto slots = low.array_slots(c, *e.args[0]);
    return low.emit(c, Op::div, low.fold(c, Op::add, slots), s.literal(static_cast<double>(slots.size())), 0, want);
}

uint32_t lower_stddev(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    // Population standard deviation, as Stella computes it.
    auto slots = low.array_slots(c, *e.args[0]);
    uint32_t count = s.literal(static_cast<double>(slots.size()));
    uint32_t mean = low.emit(c, Op::div, low.fold(c, Op::add, slots), count);
    std::vector<uint32_t> squares;
    for (uint32_t slot : slots) {
        uint32_t d = low.emit(c, Op::sub, slot, mean);
        squares.push_back(low.emit(c, Op::mul, d, d));
    }
    return low.emit(c, Op::sqrt, low.emit(c, Op::div, low.fold(c, Op::add, squares), count), 0, 0, want);
}

uint32_t lower_rank(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    s.program.lists.push_back(low.array_slots(c, *e.args[0]));
    uint32_t ith = low.arg(c, e, 1);
    return low.emit(c, Op::rank, static_cast<uint32_t>(s.program.lists.size() - 1), ith, 0, want);
}

uint32_t lower_active_initial(Lowering &low, Lowering::Ctx &c, const Expr &, const FunctionInfo *, uint32_t) {
    low.fail_node(c, "ACTIVE INITIAL must be the whole equation");
}

uint32_t lower_array_function(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    CompileState &s = low.state();
    ArrayCall call{};
    s.program.lists.push_back(low.array_slots(c, *e.args[0]));
    call.a = static_cast<uint32_t>(s.program.lists.size() - 1);
    size_t n_a = s.program.lists.back().size();
    double element = 0;
    if (f->kind == FunctionKind::allocate_by_priority) {
        call.function = ArrayFunction::allocate;
        s.program.lists.push_back(low.array_slots(c, *e.args[1]));
        call.b = static_cast<uint32_t>(s.program.lists.size() - 1);
        if (s.program.lists.back().size() != n_a) low.fail_node(c, "ALLOCATE BY PRIORITY: requests and priorities differ in size");
        element = low.constant_argument(c, *e.args[2], "ALLOCATE BY PRIORITY's element");
        call.width = low.arg(c, e, 3);
        call.supply = low.arg(c, e, 4);
    } else if (f->kind == FunctionKind::allocate_available) {
        call.function = ArrayFunction::allocate_available;
        s.program.lists.push_back(low.array_slots(c, *e.args[1]));
        call.b = static_cast<uint32_t>(s.program.lists.size() - 1);
        if (s.program.lists.back().size() != 4 * n_a)
            low.fail_node(c, "ALLOCATE AVAILABLE: each request needs a priority profile of four elements "
                         "(type, priority, width, extra)");
        element = low.constant_argument(c, *e.args[2], "ALLOCATE AVAILABLE's element");
        call.supply = low.arg(c, e, 3);
    } else {
        call.function = ArrayFunction::invert;
        auto side = static_cast<size_t>(std::llround(std::sqrt(static_cast<double>(n_a))));
        if (side * side != n_a) low.fail_node(c, "INVERT MATRIX needs a square matrix");
        element = low.constant_argument(c, *e.args[1], "INVERT MATRIX's element");
    }
    if (element < 1 || element > static_cast<double>(n_a) || element != std::floor(element))
        low.fail_node(c, "array function element out of range");
    call.element = static_cast<uint32_t>(element) - 1;
    s.program.array_calls.push_back(call);
    return low.emit(c, Op::array_call, static_cast<uint32_t>(s.program.array_calls.size() - 1), 0, 0, want);
}

// The computer's clock changes while the run goes on: recomputed at every step, never folded.
uint32_t lower_clock(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    s.nodes[c.node].reads_state = true;
    const std::string name = s.nodes[c.node].name.substr(0, s.nodes[c.node].name.find('['));
    if (s.program.clock_readers.empty() || s.program.clock_readers.back() != name) s.program.clock_readers.push_back(name);
    return low.emit(c, Op::clock, low.arg(c, e, 0), 0, 0, want);
}

} // namespace

std::span<const CallRule> stateless_calls() {
    static constexpr CallRule rules[] = {
        {FunctionKind::unary, &lower_unary},
        {FunctionKind::binary, &lower_binary},
        {FunctionKind::min_max, &lower_min_max},
        {FunctionKind::safediv, &lower_safediv},
        {FunctionKind::step, &lower_step},
        {FunctionKind::ramp, &lower_ramp},
        {FunctionKind::pulse, &lower_pulse},
        {FunctionKind::pi, &lower_pi},
        {FunctionKind::if_then_else, &lower_if_then_else},
        {FunctionKind::lookup, &lower_lookup},
        {FunctionKind::reduce_sum, &lower_sum},
        {FunctionKind::reduce_prod, &lower_prod},
        {FunctionKind::reduce_size, &lower_size},
        {FunctionKind::reduce_mean, &lower_mean},
        {FunctionKind::reduce_stddev, &lower_stddev},
        {FunctionKind::rank, &lower_rank},
        {FunctionKind::active_initial, &lower_active_initial},
        {FunctionKind::allocate_by_priority, &lower_array_function},
        {FunctionKind::allocate_available, &lower_array_function},
        {FunctionKind::invert_matrix, &lower_array_function},
        {FunctionKind::clock, &lower_clock},
    };
    return rules;
}

} // namespace holon_sd::compiler
