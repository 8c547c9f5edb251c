// The last stage: final slot numbers.
#include "compile/state.hpp"

namespace holon_sd::compiler {

// Stocks first (the integrator's state vector), then their derivatives, then everything else.
void layout(CompileState &s) {
    std::vector<uint32_t> map(s.kinds.size(), none);
    uint32_t next = 0;
    for (uint32_t i = 0; i < 4; ++i) map[i] = next++;
    for (const Stock &stock : s.stocks) map[stock.slot] = next++;
    s.program.derivative_base = next;
    for (uint32_t d : s.derivative_slots) map[d] = next++;
    for (SlotKind k : {SlotKind::value, SlotKind::literal, SlotKind::temp})
        for (uint32_t i = 0; i < s.kinds.size(); ++i)
            if (s.kinds[i] == k) map[i] = next++;
    auto remap = [&](std::vector<Instr> &code) {
        for (Instr &in : code) {
            in.d = map[in.d];
            // These ops' `a` indexes a side table, not a slot.
            if (in.op != Op::delay && in.op != Op::random && in.op != Op::rank && in.op != Op::array_call &&
                in.op != Op::index)
                in.a = map[in.a];
            if (in.op != Op::lookup) in.b = map[in.b];
            if (in.op != Op::index) in.c = map[in.c]; // index: the stretch of its list, not a slot
        }
    };
    remap(s.program.initial);
    remap(s.program.step);
    for (ControlProgram *control : {&s.program.control_dt, &s.program.control_stop, &s.program.control_save_step}) {
        remap(control->code);
        if (control->slot != no_control) control->slot = map[control->slot];
    }
    for (auto &[src, dst] : s.program.previous_updates) {
        src = map[src];
        dst = map[dst];
    }
    for (OutputColumn &o : s.program.outputs) o.slot = map[o.slot];
    for (FlowTerm &t : s.program.flow_terms) t.slot = map[t.slot];
    for (DelayLine &l : s.program.delays) l = {map[l.input], map[l.delay_time], map[l.initial]};
    for (RandomCall &r : s.program.randoms) {
        r.p1 = map[r.p1];
        r.p2 = map[r.p2];
        r.seed = map[r.seed];
        r.low = map[r.low];
        r.high = map[r.high];
    }
    for (auto &list : s.program.lists)
        for (uint32_t &slot : list) slot = map[slot];
    for (ArrayCall &call : s.program.array_calls) {
        call.width = map[call.width];
        call.supply = map[call.supply];
    }
    s.program.initial_slots.assign(next, 0.0);
    for (const auto &[slot, value] : s.literal_values) s.program.initial_slots[map[slot]] = value;
    for (const Stock &stock : s.stocks) s.program.stock_non_negative.push_back(stock.non_negative ? 1 : 0);
}

} // namespace holon_sd::compiler
