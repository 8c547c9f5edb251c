// The stateful built-ins: each adds stocks (SMTH, DELAY1/3/N, TREND, NPV), state slots updated
// after each step (INIT, PREVIOUS, DELAY N's lagged delay times), a pipeline (DELAY) or a random
// draw per step, with the hidden nodes that compute their flows.
#include "compile/lowering.hpp"

#include <vector>

namespace holon_sd::compiler {

namespace {

// A new stock (state integrated like any stock) created by a stateful builtin.
uint32_t new_stock(CompileState &s, std::vector<uint32_t> inflows, std::vector<uint32_t> outflows = {}) {
    uint32_t slot = s.new_slot(SlotKind::stock);
    s.stocks.push_back(Stock{slot, std::move(inflows), std::move(outflows), false});
    return slot;
}

// A hidden node of the current variable and element that computes the flows of a builtin's
// stocks. It has no equation of its own (lower_node skips it); it runs after the stocks are
// initialised (it depends on the owner at the start).
Lowering::Ctx flow_node(Lowering &low, Lowering::Ctx &c, const char *what) {
    CompileState &s = low.state();
    Node fn;
    fn.name = s.nodes[c.node].name + what;
    fn.variable = s.nodes[c.node].variable;
    fn.synthetic = true;
    fn.binding = s.nodes[c.node].binding;
    fn.slot = s.new_slot(SlotKind::value);
    fn.reads_state = true;
    fn.init_deps.push_back(c.node);
    s.nodes.push_back(std::move(fn));
    uint32_t idx = static_cast<uint32_t>(s.nodes.size() - 1);
    return Lowering::Ctx{idx, &s.nodes[idx].code, &s.nodes[idx].step_deps, false};
}

// Lowers `e` in the start-only code of the current node (for initial values of builtin states).
uint32_t lower_initial(Lowering &low, Lowering::Ctx &c, const Expr &e) {
    CompileState &s = low.state();
    Lowering::Ctx ic{c.node, &s.nodes[c.node].init_code, &s.nodes[c.node].init_deps, true};
    return low.lower(ic, e);
}

// A material delay's chain of `order` stages, each starting at `init`: the input (computed in
// the flow node `fc`) enters stage 0; stage k holds what left stage k-1 and not yet itself,
// and flows out at content / stage_time(k). Returns the last stage's outflow.
template <class StageTime>
uint32_t delay_stages(Lowering &low, Lowering::Ctx &c, Lowering::Ctx &fc, uint32_t input, uint32_t init, int order,
                      StageTime stage_time) {
    CompileState &s = low.state();
    uint32_t inflow = s.new_slot(SlotKind::value);
    low.emit(fc, Op::copy, input, 0, 0, inflow);
    uint32_t out = none;
    for (int k = 0; k < order; ++k) {
        uint32_t outflow = s.new_slot(SlotKind::value);
        uint32_t stock = new_stock(s, {inflow}, {outflow});
        s.nodes[c.node].init_code.push_back(Instr{Op::copy, stock, init, 0, 0});
        low.emit(c, Op::div, stock, stage_time(k), 0, outflow);
        inflow = outflow;
        out = outflow;
    }
    return out;
}

uint32_t lower_init(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    CompileState &s = low.state();
    uint32_t state = s.new_slot(SlotKind::value);
    uint32_t v = lower_initial(low, c, *e.args[0]);
    s.nodes[c.node].init_code.push_back(Instr{Op::copy, state, v, 0, 0});
    return state;
}

uint32_t lower_previous(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    CompileState &s = low.state();
    const int n = static_cast<int>(e.args.size());
    low.fixed_step(c, "uses PREVIOUS (defined per dt)");
    // The argument becomes its own hidden node so that reading a previous value does not
    // make this variable depend on the argument's current value.
    uint32_t state = s.new_slot(SlotKind::value);
    s.nodes[c.node].reads_state = true;
    Node src;
    src.name = s.nodes[c.node].name + " (PREVIOUS argument)";
    src.variable = s.nodes[c.node].variable;
    src.synthetic = true;
    src.expr = e.args[0].get();
    src.binding = s.nodes[c.node].binding;
    src.slot = s.new_slot(SlotKind::value);
    src.reads_state = true; // must be recomputed every step to feed the state
    uint32_t init = n == 2 ? lower_initial(low, c, *e.args[1]) : s.literal(0);
    s.nodes[c.node].init_code.push_back(Instr{Op::copy, state, init, 0, 0});
    s.program.previous_updates.emplace_back(src.slot, state);
    s.nodes.push_back(std::move(src));
    return state;
}

uint32_t lower_smooth(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t) {
    CompileState &s = low.state();
    int order = f->kind == FunctionKind::smooth1 ? 1 : f->kind == FunctionKind::smooth3 ? 3 : 0;
    if (order == 0) order = static_cast<int>(low.constant_argument(c, *e.args[2], "SMTHN's order"));
    if (order < 1 || order > 1000) low.fail_node(c, "SMTHN's order must be between 1 and 1000");
    size_t init_arg = f->kind == FunctionKind::smoothn ? 3 : 2;
    // The flows live in their own node: the smoothed value is a stock, so it never
    // depends on the input's current value (a smooth breaks a loop).
    Lowering::Ctx fc = flow_node(low, c, " (SMOOTH flows)");
    uint32_t input = low.lower(fc, *e.args[0]);
    uint32_t stage_time = low.emit(fc, Op::div, low.lower(fc, *e.args[1]), s.literal(order));
    uint32_t init = e.args.size() > init_arg ? lower_initial(low, c, *e.args[init_arg]) : lower_initial(low, c, *e.args[0]);
    s.nodes[c.node].reads_state = true;
    uint32_t prev = input;
    uint32_t stock = none;
    for (int k = 0; k < order; ++k) {
        uint32_t flow = s.new_slot(SlotKind::value);
        stock = new_stock(s, {flow});
        s.nodes[c.node].init_code.push_back(Instr{Op::copy, stock, init, 0, 0});
        uint32_t gap = low.emit(fc, Op::sub, prev, stock);
        low.emit(fc, Op::div, gap, stage_time, 0, flow);
        prev = stock;
    }
    return stock;
}

uint32_t lower_material_delay(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t) {
    CompileState &s = low.state();
    int order = f->kind == FunctionKind::delay1 ? 1 : f->kind == FunctionKind::delay3 ? 3 : 0;
    if (order == 0) order = static_cast<int>(low.constant_argument(c, *e.args[2], "DELAYN's order"));
    if (order < 1 || order > 1000) low.fail_node(c, "DELAYN's order must be between 1 and 1000");
    size_t init_arg = f->kind == FunctionKind::delayn ? 3 : 2;
    // The input enters in its own node: the output (last stage / stage time) never
    // depends on the input's current value (a material delay breaks a loop).
    Lowering::Ctx fc = flow_node(low, c, " (DELAY inflow)");
    uint32_t input = low.lower(fc, *e.args[0]);
    uint32_t stage_time = low.emit(c, Op::div, low.arg(c, e, 1), s.literal(order));
    uint32_t init_value =
        e.args.size() > init_arg ? lower_initial(low, c, *e.args[init_arg]) : lower_initial(low, c, *e.args[0]);
    Lowering::Ctx ic{c.node, &s.nodes[c.node].init_code, &s.nodes[c.node].init_deps, true};
    uint32_t init_stage_time = low.emit(ic, Op::div, low.lower(ic, *e.args[1]), s.literal(order));
    uint32_t init = low.emit(ic, Op::mul, init_value, init_stage_time);
    s.nodes[c.node].reads_state = true;
    return delay_stages(low, c, fc, input, init, order, [&](int) { return stage_time; });
}

uint32_t lower_vensim_delay_n(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t) {
    CompileState &s = low.state();
    // Vensim's DELAY N: the order is fixed at the start, and stage k (0 = the one the
    // input enters) divides its content by the delay time as it was k steps ago, so a
    // change of the delay time travels down the stages one step at a time instead of
    // rescaling every stage's outflow at once (PySD's reading; it reproduces Vensim's
    // output of the conformance model exactly). The output is the last stage's outflow.
    int order = static_cast<int>(low.constant_argument(c, *e.args[3], "DELAY N's order"));
    if (order < 1 || order > 1000) low.fail_node(c, "DELAY N's order must be between 1 and 1000");
    if (order > 1) low.fixed_step(c, "uses DELAY N (its stages see the delay time of earlier steps)");
    Lowering::Ctx fc = flow_node(low, c, " (DELAY N inflow)");
    uint32_t input = low.lower(fc, *e.args[0]);
    uint32_t delay_time = low.arg(c, e, 1);
    Lowering::Ctx ic{c.node, &s.nodes[c.node].init_code, &s.nodes[c.node].init_deps, true};
    uint32_t init_delay_time = low.lower(ic, *e.args[1]);
    uint32_t init_value = low.lower(ic, *e.args[2]);
    uint32_t init = low.emit(ic, Op::mul, init_value, low.emit(ic, Op::div, init_delay_time, s.literal(order)));
    s.nodes[c.node].reads_state = true;
    // lagged[k]: the delay time k steps ago. Updated oldest first, so that every copy
    // reads its source's value from before this step's updates.
    std::vector<uint32_t> lagged{delay_time};
    for (int k = 1; k < order; ++k) {
        uint32_t state = s.new_slot(SlotKind::value);
        s.nodes[c.node].init_code.push_back(Instr{Op::copy, state, init_delay_time, 0, 0});
        lagged.push_back(state);
    }
    for (size_t k = lagged.size() - 1; k >= 1; --k) s.program.previous_updates.emplace_back(lagged[k - 1], lagged[k]);
    uint32_t order_literal = s.literal(order);
    return delay_stages(low, c, fc, input, init, order, [&](int k) {
        return low.emit(c, Op::div, lagged[static_cast<size_t>(k)], order_literal);
    });
}

uint32_t lower_vensim_npv(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    // Vensim's NPV(stream, discount rate, initial, factor), as SDEverywhere expands it
    // (checked against Vensim there): a discount factor stock df (1 at the start,
    // df' = -df * rate / (1 + rate * dt)), an accumulation ncum' = stream * df from the
    // initial value, and the output (ncum + stream * dt * df) * factor, which counts the
    // current step's stream too.
    low.fixed_step(c, "uses NPV (discounted per dt)");
    s.nodes[c.node].reads_state = true;
    Lowering::Ctx fc = flow_node(low, c, " (NPV flows)");
    uint32_t df_flow = s.new_slot(SlotKind::value);
    uint32_t df = new_stock(s, {df_flow});
    s.nodes[c.node].init_code.push_back(Instr{Op::copy, df, s.literal(1), 0, 0});
    uint32_t rate = low.lower(fc, *e.args[1]);
    uint32_t per_step = low.emit(fc, Op::add, s.literal(1), low.emit(fc, Op::mul, rate, slot_dt));
    low.emit(fc, Op::div, low.emit(fc, Op::neg, low.emit(fc, Op::mul, df, rate)), per_step, 0, df_flow);
    uint32_t ncum_flow = s.new_slot(SlotKind::value);
    uint32_t ncum = new_stock(s, {ncum_flow});
    uint32_t init = lower_initial(low, c, *e.args[2]);
    s.nodes[c.node].init_code.push_back(Instr{Op::copy, ncum, init, 0, 0});
    low.emit(fc, Op::mul, low.lower(fc, *e.args[0]), df, 0, ncum_flow);
    uint32_t stream = low.arg(c, e, 0);
    uint32_t this_step = low.emit(c, Op::mul, low.emit(c, Op::mul, stream, slot_dt), df);
    uint32_t factor = low.arg(c, e, 3);
    return low.emit(c, Op::mul, low.emit(c, Op::add, ncum, this_step), factor, 0, want);
}

uint32_t lower_pipeline_delay(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    const int n = static_cast<int>(e.args.size());
    // The input becomes a hidden node recorded after every step (as for PREVIOUS), so
    // the output never depends on the input's current value: a delay breaks a loop.
    low.fixed_step(c, "uses DELAY (a pipeline sampled every dt)");
    s.nodes[c.node].reads_state = true;
    Node src;
    src.name = s.nodes[c.node].name + " (DELAY input)";
    src.variable = s.nodes[c.node].variable;
    src.synthetic = true;
    src.expr = e.args[0].get();
    src.binding = s.nodes[c.node].binding;
    src.slot = s.new_slot(SlotKind::value);
    src.reads_state = true;
    uint32_t delay_time = low.arg(c, e, 1);
    uint32_t init = n == 3 ? lower_initial(low, c, *e.args[2]) : lower_initial(low, c, *e.args[0]);
    uint32_t initial = s.new_slot(SlotKind::value);
    s.nodes[c.node].init_code.push_back(Instr{Op::copy, initial, init, 0, 0});
    s.program.delays.push_back(DelayLine{src.slot, delay_time, initial});
    s.nodes.push_back(std::move(src));
    return low.emit(c, Op::delay, static_cast<uint32_t>(s.program.delays.size() - 1), 0, 0, want);
}

uint32_t lower_random(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *, uint32_t want) {
    CompileState &s = low.state();
    low.fixed_step(c, "uses " + e.name + " (one random draw per dt)");
    s.nodes[c.node].reads_state = true;
    RandomCall call{};
    size_t seed_arg = 2;
    if (e.name == "random") call.distribution = Distribution::uniform;
    else if (e.name == "normal") call.distribution = Distribution::normal;
    else if (e.name == "lognormal") call.distribution = Distribution::lognormal;
    else if (e.name == "exprnd") call.distribution = Distribution::exponential, seed_arg = 1;
    else call.distribution = Distribution::poisson, seed_arg = 1;
    call.p1 = low.arg(c, e, 0);
    if (seed_arg == 2) call.p2 = low.arg(c, e, 1);
    if (e.args.size() > seed_arg) {
        call.has_seed = true;
        call.seed = s.literal(low.constant_argument(c, *e.args[seed_arg], "a random seed"));
    }
    if (e.args.size() == 4) low.fail_node(c, "NORMAL takes mean, sd, seed and then both min and max");
    if (e.args.size() == 5) {
        call.truncated = true;
        call.low = low.arg(c, e, 3);
        call.high = low.arg(c, e, 4);
    }
    s.program.randoms.push_back(call);
    return low.emit(c, Op::random, static_cast<uint32_t>(s.program.randoms.size() - 1), 0, 0, want);
}

uint32_t lower_trend(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want) {
    CompileState &s = low.state();
    bool forecast = f->kind == FunctionKind::forecast;
    size_t init_arg = forecast ? 3 : 2;
    uint32_t input = low.arg(c, e, 0);
    uint32_t avg_time = low.arg(c, e, 1);
    uint32_t horizon = forecast ? low.arg(c, e, 2) : 0;
    Lowering::Ctx ic{c.node, &s.nodes[c.node].init_code, &s.nodes[c.node].init_deps, true};
    uint32_t init_input = low.lower(ic, *e.args[0]);
    uint32_t init_avg_time = low.lower(ic, *e.args[1]);
    uint32_t init_trend = e.args.size() > init_arg ? low.lower(ic, *e.args[init_arg]) : s.literal(0);
    // average(0) = input / (1 + initial trend * averaging time)
    uint32_t denom = low.emit(ic, Op::add, s.literal(1), low.emit(ic, Op::mul, init_trend, init_avg_time));
    s.nodes[c.node].reads_state = true;
    uint32_t flow = s.new_slot(SlotKind::value);
    uint32_t average = new_stock(s, {flow});
    low.emit(ic, Op::div, init_input, denom, 0, average);
    low.emit(c, Op::div, low.emit(c, Op::sub, input, average), avg_time, 0, flow);
    uint32_t trend = low.emit(c, Op::trend_out, input, average, avg_time, forecast ? none : want);
    if (!forecast) return trend;
    uint32_t growth = low.emit(c, Op::add, s.literal(1), low.emit(c, Op::mul, trend, horizon));
    return low.emit(c, Op::mul, input, growth, 0, want);
}

} // namespace

std::span<const CallRule> stateful_calls() {
    static constexpr CallRule rules[] = {
        {FunctionKind::init, &lower_init},
        {FunctionKind::previous, &lower_previous},
        {FunctionKind::smooth1, &lower_smooth},
        {FunctionKind::smooth3, &lower_smooth},
        {FunctionKind::smoothn, &lower_smooth},
        {FunctionKind::delay1, &lower_material_delay},
        {FunctionKind::delay3, &lower_material_delay},
        {FunctionKind::delayn, &lower_material_delay},
        {FunctionKind::vensim_delayn, &lower_vensim_delay_n},
        {FunctionKind::vensim_npv, &lower_vensim_npv},
        {FunctionKind::delay, &lower_pipeline_delay},
        {FunctionKind::random, &lower_random},
        {FunctionKind::trend, &lower_trend},
        {FunctionKind::forecast, &lower_trend},
    };
    return rules;
}

} // namespace holon_sd::compiler
