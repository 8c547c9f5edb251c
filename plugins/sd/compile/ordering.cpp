// The stages after lowering: each stock's flows, then the initial and per-step code of every node in
// dependency order (an algebraic loop is reported by its members), and the code of the control
// variables that change during the run.
#include "compile/state.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <algorithm>

namespace holon_sd::compiler {

namespace {

// Depth-first topological order over `deps`; a cycle is an algebraic loop, reported by its
// members in dependency order.
std::vector<uint32_t> order(const CompileState &s, bool init_phase) {
    std::vector<uint8_t> state(s.nodes.size(), 0); // 0 new, 1 on stack, 2 done
    std::vector<uint32_t> out, path;
    auto deps_of = [&](uint32_t n) -> const std::vector<uint32_t> & {
        return init_phase ? s.nodes[n].init_deps : s.nodes[n].step_deps;
    };
    auto visit = [&](auto &self, uint32_t n) -> void {
        if (state[n] == 2) return;
        if (state[n] == 1) {
            auto start = std::find(path.begin(), path.end(), n);
            std::string members;
            for (auto it = start; it != path.end(); ++it) {
                if (!members.empty()) members += " -> ";
                members += s.nodes[*it].name;
            }
            members += " -> " + s.nodes[n].name;
            throw ModelError("algebraic loop: " + members, s.nodes[n].name);
        }
        state[n] = 1;
        path.push_back(n);
        for (uint32_t d : deps_of(n)) self(self, d);
        if (init_phase && !s.nodes[n].active_initial)
            for (uint32_t d : s.nodes[n].step_deps) self(self, d);
        path.pop_back();
        state[n] = 2;
        out.push_back(n);
    };
    for (uint32_t n = 0; n < s.nodes.size(); ++n) {
        if (!init_phase && s.nodes[n].role == Role::stock) continue;
        visit(visit, n);
    }
    return out;
}

// The code of the named variable and of every value it depends on, in evaluation order.
void emit_control(CompileState &s, const std::string &name, const char *what,
                  const std::vector<uint32_t> &step_order, ControlProgram &out) {
    if (name.empty()) return;
    const VariableInfo *vi = s.find_variable(canonical_name(name));
    if (!vi || vi->table_only || vi->element_count != 1)
        throw ModelError(std::string(what) + " names '" + name + "', which is not a single model variable");
    if (s.program.fixed_step_only.size() < 20) s.program.fixed_step_only.push_back(std::string(what) + " changes during the run");
    std::vector<uint8_t> needed(s.nodes.size(), 0);
    std::vector<uint32_t> todo{vi->first_node};
    while (!todo.empty()) {
        uint32_t n = todo.back();
        todo.pop_back();
        if (needed[n]) continue;
        needed[n] = 1;
        for (uint32_t d : s.nodes[n].step_deps) todo.push_back(d);
    }
    for (uint32_t n : step_order)
        if (needed[n]) out.code.insert(out.code.end(), s.nodes[n].code.begin(), s.nodes[n].code.end());
    out.slot = s.nodes[vi->first_node].slot;
}

} // namespace

void connect_stocks(CompileState &s) {
    for (uint32_t n = 0; n < s.nodes.size(); ++n) {
        const Node &node = s.nodes[n];
        if (node.role != Role::stock) continue;
        const Variable &v = s.model.variables[node.variable];
        Stock stock{node.slot, {}, {}, node.non_negative};
        if (node.non_negative && s.program.fixed_step_only.size() < 20)
            s.program.fixed_step_only.push_back("stock '" + node.name + "' is non-negative (clamped after each dt)");
        auto flow_slot = [&](const std::string &flow_name) {
            const VariableInfo *fi = s.find_variable(canonical_name(flow_name));
            if (!fi || fi->table_only) s.fail_var(v, "unknown flow '" + flow_name + "'");
            if (fi->dims.empty()) return s.nodes[fi->first_node].slot;
            if (fi->dims != s.infos[node.variable].dims)
                s.fail_var(v, "flow '" + flow_name + "' has different dimensions than the stock");
            return s.nodes[fi->first_node + (n - s.infos[node.variable].first_node)].slot;
        };
        for (const std::string &f : v.inflows) stock.inflows.push_back(flow_slot(f));
        for (const std::string &f : v.outflows) stock.outflows.push_back(flow_slot(f));
        s.stocks.push_back(std::move(stock));
    }
}

void order_and_emit(CompileState &s) {
    std::vector<uint32_t> init_order = order(s, true);
    std::vector<uint32_t> step_order = order(s, false);
    for (uint32_t n : init_order) {
        const Node &node = s.nodes[n];
        s.program.initial.insert(s.program.initial.end(), node.init_code.begin(), node.init_code.end());
        if (!node.active_initial) s.program.initial.insert(s.program.initial.end(), node.code.begin(), node.code.end());
    }
    // A value that reads neither time nor any state is constant for the run: it is computed
    // once at the start and left out of the per-step program.
    std::vector<uint8_t> varying(s.nodes.size(), 0);
    for (uint32_t n : step_order) {
        bool v = s.nodes[n].reads_state;
        for (uint32_t d : s.nodes[n].step_deps) v = v || varying[d];
        varying[n] = v;
        if (v) s.program.step.insert(s.program.step.end(), s.nodes[n].code.begin(), s.nodes[n].code.end());
    }
    // Derivatives of every stock from its flows: not instructions but a list of signed flow
    // slots per stock, summed by the engine in a tight loop (and fused into the Euler update).
    s.program.stock_count = static_cast<uint32_t>(s.stocks.size());
    for (Stock &stock : s.stocks) {
        s.derivative_slots.push_back(s.new_slot(SlotKind::derivative));
        s.program.flow_begin.push_back(static_cast<uint32_t>(s.program.flow_terms.size()));
        for (uint32_t f : stock.inflows) s.program.flow_terms.push_back(FlowTerm{f, 1.0});
        for (uint32_t f : stock.outflows) s.program.flow_terms.push_back(FlowTerm{f, -1.0});
    }
    s.program.flow_begin.push_back(static_cast<uint32_t>(s.program.flow_terms.size()));
    emit_control(s, s.model.sim_specs.dt_variable, "TIME STEP", step_order, s.program.control_dt);
    emit_control(s, s.model.sim_specs.stop_variable, "FINAL TIME", step_order, s.program.control_stop);
    emit_control(s, s.model.sim_specs.save_step_variable, "SAVEPER", step_order, s.program.control_save_step);
}

} // namespace holon_sd::compiler
