// The stateless built-ins: each becomes a few instructions of the node that calls it.
#include "compile/lowering.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace holon_sd::compiler {

std::span<const Lowering::CallRule> Lowering::stateless_calls() {
    static constexpr CallRule rules[] = {
        {FunctionKind::unary, &Lowering::lower_unary},
        {FunctionKind::binary, &Lowering::lower_binary},
        {FunctionKind::min_max, &Lowering::lower_min_max},
        {FunctionKind::safediv, &Lowering::lower_safediv},
        {FunctionKind::step, &Lowering::lower_step},
        {FunctionKind::ramp, &Lowering::lower_ramp},
        {FunctionKind::pulse, &Lowering::lower_pulse},
        {FunctionKind::pi, &Lowering::lower_pi},
        {FunctionKind::if_then_else, &Lowering::lower_if_then_else},
        {FunctionKind::lookup, &Lowering::lower_lookup},
        {FunctionKind::reduce_sum, &Lowering::lower_sum},
        {FunctionKind::reduce_prod, &Lowering::lower_prod},
        {FunctionKind::reduce_size, &Lowering::lower_size},
        {FunctionKind::reduce_mean, &Lowering::lower_mean},
        {FunctionKind::reduce_stddev, &Lowering::lower_stddev},
        {FunctionKind::rank, &Lowering::lower_rank},
        {FunctionKind::active_initial, &Lowering::lower_active_initial},
        {FunctionKind::allocate_by_priority, &Lowering::lower_array_function},
        {FunctionKind::allocate_available, &Lowering::lower_array_function},
        {FunctionKind::invert_matrix, &Lowering::lower_array_function},
    };
    return rules;
}

uint32_t Lowering::lower_unary(Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    return emit(c, f->op, arg(c, e, 0), 0, 0, want);
}

uint32_t Lowering::lower_binary(Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    uint32_t a = arg(c, e, 0);
    return emit(c, f->op, a, arg(c, e, 1), 0, want);
}

uint32_t Lowering::lower_min_max(Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    const int n = static_cast<int>(e.args.size());
    if (n == 2) {
        uint32_t a = arg(c, e, 0);
        return emit(c, f->op, a, arg(c, e, 1), 0, want);
    }
    return fold(c, f->op, array_slots(c, *e.args[0]));
}

uint32_t Lowering::lower_safediv(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    const int n = static_cast<int>(e.args.size());
    uint32_t a = arg(c, e, 0), b = arg(c, e, 1);
    uint32_t alt = n == 3 ? arg(c, e, 2) : s_.literal(0);
    return emit(c, Op::safediv, a, b, alt, want);
}

uint32_t Lowering::lower_step(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    fixed_step(c, "uses STEP (a jump CVODE would smooth over)");
    s_.nodes[c.node].reads_state = true;
    uint32_t h = arg(c, e, 0);
    return emit(c, Op::step, h, arg(c, e, 1), 0, want);
}

uint32_t Lowering::lower_ramp(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    const int n = static_cast<int>(e.args.size());
    s_.nodes[c.node].reads_state = true;
    uint32_t s = arg(c, e, 0), t0 = arg(c, e, 1);
    uint32_t t1 = n == 3 ? arg(c, e, 2) : s_.literal(std::numeric_limits<double>::infinity());
    return emit(c, Op::ramp, s, t0, t1, want);
}

uint32_t Lowering::lower_pulse(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    const int n = static_cast<int>(e.args.size());
    fixed_step(c, "uses PULSE (defined per dt)");
    s_.nodes[c.node].reads_state = true;
    uint32_t v = arg(c, e, 0);
    uint32_t first = n >= 2 ? arg(c, e, 1) : slot_start;
    uint32_t interval = n == 3 ? arg(c, e, 2) : s_.literal(0);
    return emit(c, Op::pulse, v, first, interval, want);
}

uint32_t Lowering::lower_pi(Ctx &, const Expr &, const FunctionInfo *, uint32_t) {
    return s_.literal(std::numbers::pi);
}

uint32_t Lowering::lower_if_then_else(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    uint32_t cond = arg(c, e, 0), a = arg(c, e, 1);
    return emit(c, Op::select, cond, a, arg(c, e, 2), want);
}

uint32_t Lowering::lower_lookup(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    const Expr &t = *e.args[0];
    const VariableInfo *vi = t.kind == ExprKind::name ? s_.find_variable(t.name) : nullptr;
    if (!vi || !(vi->table_only || vi->v->gf)) fail_node(c, "LOOKUP needs a graphical function as its first argument");
    uint32_t table = vi->table_only ? vi->lookup : s_.add_lookup(*vi->v->gf);
        note_discrete(c, *vi->v->gf);
    return emit(c, Op::lookup, arg(c, e, 1), table, 0, want);
}

uint32_t Lowering::lower_sum(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    return fold(c, Op::add, array_slots(c, *e.args[0]));
}

uint32_t Lowering::lower_prod(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    return fold(c, Op::mul, array_slots(c, *e.args[0]));
}

uint32_t Lowering::lower_size(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    return s_.literal(static_cast<double>(array_slots(c, *e.args[0]).size()));
}

uint32_t Lowering::lower_mean(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    auto slots = array_slots(c, *e.args[0]);
    return emit(c, Op::div, fold(c, Op::add, slots), s_.literal(static_cast<double>(slots.size())), 0, want);
}

uint32_t Lowering::lower_stddev(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    // Population standard deviation, as Stella computes it.
    auto slots = array_slots(c, *e.args[0]);
    uint32_t count = s_.literal(static_cast<double>(slots.size()));
    uint32_t mean = emit(c, Op::div, fold(c, Op::add, slots), count);
    std::vector<uint32_t> squares;
    for (uint32_t s : slots) {
        uint32_t d = emit(c, Op::sub, s, mean);
        squares.push_back(emit(c, Op::mul, d, d));
    }
    return emit(c, Op::sqrt, emit(c, Op::div, fold(c, Op::add, squares), count), 0, 0, want);
}

uint32_t Lowering::lower_rank(Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    s_.program.lists.push_back(array_slots(c, *e.args[0]));
    uint32_t ith = arg(c, e, 1);
    return emit(c, Op::rank, static_cast<uint32_t>(s_.program.lists.size() - 1), ith, 0, want);
}

uint32_t Lowering::lower_active_initial(Ctx &c, const Expr &, const FunctionInfo *, uint32_t) {
    fail_node(c, "ACTIVE INITIAL must be the whole equation");
}

uint32_t Lowering::lower_array_function(Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    ArrayCall call{};
    s_.program.lists.push_back(array_slots(c, *e.args[0]));
    call.a = static_cast<uint32_t>(s_.program.lists.size() - 1);
    size_t n_a = s_.program.lists.back().size();
    double element = 0;
    if (f->kind == FunctionKind::allocate_by_priority) {
        call.function = ArrayFunction::allocate;
        s_.program.lists.push_back(array_slots(c, *e.args[1]));
        call.b = static_cast<uint32_t>(s_.program.lists.size() - 1);
        if (s_.program.lists.back().size() != n_a) fail_node(c, "ALLOCATE BY PRIORITY: requests and priorities differ in size");
        element = constant_argument(c, *e.args[2], "ALLOCATE BY PRIORITY's element");
        call.width = arg(c, e, 3);
        call.supply = arg(c, e, 4);
    } else if (f->kind == FunctionKind::allocate_available) {
        call.function = ArrayFunction::allocate_available;
        s_.program.lists.push_back(array_slots(c, *e.args[1]));
        call.b = static_cast<uint32_t>(s_.program.lists.size() - 1);
        if (s_.program.lists.back().size() != 4 * n_a)
            fail_node(c, "ALLOCATE AVAILABLE: each request needs a priority profile of four elements "
                         "(type, priority, width, extra)");
        element = constant_argument(c, *e.args[2], "ALLOCATE AVAILABLE's element");
        call.supply = arg(c, e, 3);
    } else {
        call.function = ArrayFunction::invert;
        auto side = static_cast<size_t>(std::llround(std::sqrt(static_cast<double>(n_a))));
        if (side * side != n_a) fail_node(c, "INVERT MATRIX needs a square matrix");
        element = constant_argument(c, *e.args[1], "INVERT MATRIX's element");
    }
    if (element < 1 || element > static_cast<double>(n_a) || element != std::floor(element))
        fail_node(c, "array function element out of range");
    call.element = static_cast<uint32_t>(element) - 1;
    s_.program.array_calls.push_back(call);
    return emit(c, Op::array_call, static_cast<uint32_t>(s_.program.array_calls.size() - 1), 0, 0, want);
}

} // namespace holon_sd::compiler
