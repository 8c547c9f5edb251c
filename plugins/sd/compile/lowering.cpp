#include "compile/lowering.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace holon_sd::compiler {

void Lowering::fail_node(const Ctx &c, const std::string &what) const {
    const Node &n = s_.nodes[c.node];
    throw ModelError("variable '" + n.name + "': " + what, s_.model.variables[n.variable].name);
}

uint32_t Lowering::emit(Ctx &c, Op op, uint32_t a, uint32_t b, uint32_t cc, uint32_t want) {
    double va = 0, vb = 0;
    bool la = s_.is_literal(a, va);
    bool lb = s_.is_literal(b, vb);
    if (want == none && la && (lb || op == Op::neg || op == Op::abs || op == Op::sqrt || op == Op::exp ||
                               op == Op::ln)) {
        switch (op) {
        case Op::add: return s_.literal(va + vb);
        case Op::sub: return s_.literal(va - vb);
        case Op::mul: return s_.literal(va * vb);
        case Op::div: return s_.literal(va / vb);
        case Op::pow: return s_.literal(std::pow(va, vb));
        case Op::neg: return s_.literal(-va);
        case Op::abs: return s_.literal(std::fabs(va));
        case Op::sqrt: return s_.literal(std::sqrt(va));
        case Op::exp: return s_.literal(std::exp(va));
        case Op::ln: return s_.literal(std::log(va));
        default: break;
        }
    }
    uint32_t d = want == none ? s_.new_slot(SlotKind::temp) : want;
    c.code->push_back(Instr{op, d, a, b, cc});
    return d;
}

void Lowering::read_node(Ctx &c, uint32_t n) {
    const Node &node = s_.nodes[n];
    if (node.role == Role::stock) {
        // Per-step code also runs at the start, when the stock must already be initialised.
        s_.nodes[c.node].reads_state = true;
        // (ACTIVE_INITIAL's running equation is the exception: it does not run at the start.)
        if (!(s_.nodes[c.node].active_initial && !c.init_phase)) s_.nodes[c.node].init_deps.push_back(n);
    } else {
        c.deps->push_back(n);
    }
}

const Binding &Lowering::binding(const Ctx &c) const {
    return s_.nodes[c.node].binding;
}

// Records that the model cannot be integrated by CVODE exactly (see Program::fixed_step_only).
void Lowering::fixed_step(const Ctx &c, const std::string &what) {
    std::string reason = "variable '" + s_.nodes[c.node].name + "' " + what;
    if (s_.program.fixed_step_only.size() < 20 &&
        std::find(s_.program.fixed_step_only.begin(), s_.program.fixed_step_only.end(), reason) == s_.program.fixed_step_only.end())
        s_.program.fixed_step_only.push_back(std::move(reason));
}

void Lowering::note_discrete(const Ctx &c, const GraphicalFunction &gf) {
    if (gf.type == GraphicalFunctionType::discrete) fixed_step(c, "uses a discrete graphical function (a staircase)");
}

uint32_t Lowering::lower(Ctx &c, const Expr &e, uint32_t want) {
    switch (e.kind) {
    case ExprKind::number: return s_.literal(e.value);
    case ExprKind::name: {
        if (const VariableInfo *vi = s_.find_variable(e.name)) return reference_slot(c, *vi, nullptr, false);
        if (e.name == "time") {
            s_.nodes[c.node].reads_state = true;
            return slot_time;
        }
        if (e.name == "dt") {
            fixed_step(c, "reads DT");
            if (!s_.model.sim_specs.dt_variable.empty()) s_.nodes[c.node].reads_state = true;
            return slot_dt;
        }
        if (e.name == "self") {
            // The variable being defined (meaningful inside PREVIOUS, whose argument node
            // belongs to the same variable and element).
            const VariableInfo &vi = s_.infos[s_.nodes[c.node].variable];
            return variable_slot(c, vi, flat_of_binding(vi, binding(c)));
        }
        if (e.name == "starttime") return slot_start;
        if (e.name == "stoptime") {
            if (!s_.model.sim_specs.stop_variable.empty()) s_.nodes[c.node].reads_state = true;
            return slot_stop;
        }
        if (e.name == "pi") return s_.literal(std::numbers::pi);
        if (s_.dims.count(e.name)) {
            for (const auto &[dn, idx] : binding(c))
                if (dn == e.name) return s_.literal(static_cast<double>(idx + 1));
            fail_node(c, "dimension '" + s_.model.dimensions[s_.dims.at(e.name)].name +
                             "' used as a number where the equation is not over it");
        }
        if (uint32_t position = qualified_position(e.name)) return s_.literal(position);
        fail_node(c, "undefined variable '" + e.name + "'");
    }
    case ExprKind::subscript: {
        const VariableInfo *vi = s_.find_variable(e.name);
        if (!vi) fail_node(c, "undefined variable '" + e.name + "'");
        return reference_slot(c, *vi, &e, false);
    }
    case ExprKind::transpose: {
        const Expr &ref = *e.args[0];
        if (ref.kind != ExprKind::name && ref.kind != ExprKind::subscript)
            fail_node(c, "the transpose operator ' applies to a variable or a subscripted variable, not to an expression");
        const VariableInfo *vi = s_.find_variable(ref.name);
        if (!vi) fail_node(c, "undefined variable '" + ref.name + "'");
        return reference_slot(c, *vi, ref.kind == ExprKind::subscript ? &ref : nullptr, true);
    }
    case ExprKind::wildcard: fail_node(c, "'*' outside a subscript");
    case ExprKind::range: fail_node(c, "a range (first:last) outside a subscript");
    case ExprKind::unary: {
        uint32_t a = lower(c, *e.args[0]);
        if (e.op == '+') return a;
        return emit(c, e.op == '-' ? Op::neg : Op::lnot, a, 0, 0, want);
    }
    case ExprKind::binary: {
        uint32_t a = lower(c, *e.args[0]);
        uint32_t b = lower(c, *e.args[1]);
        return emit(c, binary_op(c, e.op), a, b, 0, want);
    }
    case ExprKind::if_then_else: {
        uint32_t cond = lower(c, *e.args[0]);
        uint32_t a = lower(c, *e.args[1]);
        uint32_t b = lower(c, *e.args[2]);
        return emit(c, Op::select, cond, a, b, want);
    }
    case ExprKind::call: return lower_call(c, e, want);
    }
    fail_node(c, "unknown expression");
}

Op Lowering::binary_op(const Ctx &c, char op) const {
    switch (op) {
    case '+': return Op::add;
    case '-': return Op::sub;
    case '*': return Op::mul;
    case '/': return Op::div;
    case '^': return Op::pow;
    case '%': return Op::mod;
    case '<': return Op::lt;
    case '>': return Op::gt;
    case 'l': return Op::le;
    case 'g': return Op::ge;
    case '=': return Op::eq;
    case '#': return Op::ne;
    case '&': return Op::land;
    case '|': return Op::lor;
    default: fail_node(c, std::string("unknown operator '") + op + "'");
    }
}

uint32_t Lowering::fold(Ctx &c, Op op, const std::vector<uint32_t> &slots) {
    uint32_t acc = slots[0];
    for (size_t i = 1; i < slots.size(); ++i) acc = emit(c, op, acc, slots[i]);
    return acc;
}

double Lowering::constant_argument(Ctx &c, const Expr &e, const char *what) {
    if (e.kind == ExprKind::number) return e.value;
    if (e.kind == ExprKind::name)
        if (const VariableInfo *vi = s_.find_variable(e.name); vi && vi->dims.empty() && vi->parsed.size() == 1 &&
                                                             vi->parsed[0] && vi->parsed[0]->kind == ExprKind::number)
            return vi->parsed[0]->value;
    fail_node(c, std::string(what) + " must be a constant number");
}

void Lowering::lower_node(uint32_t n) {
    Node &node = s_.nodes[n];
    if (!node.expr) return; // a builtin's flow node, filled when its owner was lowered
    if (node.role == Role::stock) {
        Ctx c{n, &s_.nodes[n].init_code, &s_.nodes[n].init_deps, true};
        uint32_t v = lower(c, *s_.nodes[n].expr, s_.nodes[n].slot);
        if (v != s_.nodes[n].slot) s_.nodes[n].init_code.push_back(Instr{Op::copy, s_.nodes[n].slot, v, 0, 0});
        return;
    }
    Ctx c{n, &s_.nodes[n].code, &s_.nodes[n].step_deps, false};
    const Expr &top = *s_.nodes[n].expr;
    if (top.kind == ExprKind::call && top.name == "active initial" && top.args.size() == 2 && !s_.nodes[n].gf) {
        Ctx ic{n, &s_.nodes[n].init_code, &s_.nodes[n].init_deps, true};
        uint32_t start = lower(ic, *top.args[1], s_.nodes[n].slot);
        if (start != s_.nodes[n].slot) s_.nodes[n].init_code.push_back(Instr{Op::copy, s_.nodes[n].slot, start, 0, 0});
        s_.nodes[n].active_initial = true;
        uint32_t v = lower(c, *top.args[0], s_.nodes[n].slot);
        if (v != s_.nodes[n].slot) s_.nodes[n].code.push_back(Instr{Op::copy, s_.nodes[n].slot, v, 0, 0});
        return;
    }
    const GraphicalFunction *gf = s_.nodes[n].gf;
    bool clamp = s_.nodes[n].non_negative && s_.model.variables[s_.nodes[n].variable].kind == VariableKind::flow &&
                 !s_.nodes[n].synthetic;
    uint32_t target = s_.nodes[n].slot;
    uint32_t v = lower(c, *s_.nodes[n].expr, gf || clamp ? none : target);
    if (gf) {
        note_discrete(c, *gf);
        v = emit(c, Op::lookup, v, s_.add_lookup(*gf), 0, clamp ? none : target);
    }
    if (clamp) v = emit(c, Op::clamp0, v, 0, 0, target);
    if (v != target) s_.nodes[n].code.push_back(Instr{Op::copy, target, v, 0, 0});
}

uint32_t Lowering::arg(Ctx &c, const Expr &e, int i) { return lower(c, *e.args[static_cast<size_t>(i)]); }

uint32_t Lowering::lower_call(Ctx &c, const Expr &e, uint32_t want) {
    const FunctionInfo *f = find_function(e.name);
    if (!f) {
        // A graphical function called by name: table(x).
        if (const VariableInfo *vi = s_.find_variable(e.name); vi && (vi->table_only || vi->v->gf)) {
            if (e.args.size() != 1) fail_node(c, "graphical function '" + vi->v->name + "' takes one argument");
            uint32_t table = vi->table_only ? vi->lookup : s_.add_lookup(*vi->v->gf);
            note_discrete(c, *vi->v->gf);
            uint32_t x = lower(c, *e.args[0]);
            return emit(c, Op::lookup, x, table, 0, want);
        }
        fail_node(c, "unknown function '" + e.name + "'");
    }
    int n = static_cast<int>(e.args.size());
    if (f->min_args < 0) fail_node(c, "function '" + e.name + "' is not supported yet");
    if (n < f->min_args || n > f->max_args)
        fail_node(c, "function '" + e.name + "' takes " + std::to_string(f->min_args) +
                         (f->max_args != f->min_args ? " to " + std::to_string(f->max_args) : std::string()) +
                         " arguments, not " + std::to_string(n));
    for (std::span<const CallRule> rules : {stateless_calls(), stateful_calls()})
        for (const CallRule &rule : rules)
            if (rule.kind == f->kind) return rule.lower(*this, c, e, f, want);
    fail_node(c, "unknown function '" + e.name + "'");
}

void lower_all(CompileState &s) {
    Lowering lowering(s);
    for (uint32_t n = 0; n < s.nodes.size(); ++n) lowering.lower_node(n); // may append synthetic nodes
}

} // namespace holon_sd::compiler
