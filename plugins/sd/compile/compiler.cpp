#include "compile/compiler.hpp"

#include "builtins/functions.hpp"
#include "equations/parser.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"

#include <algorithm>
#include <deque>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <unordered_map>

namespace holon::sd {

namespace {

constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
// Bounds that keep a hostile model from exhausting memory (or overflowing slot numbers).
constexpr uint32_t max_elements = 1u << 20;

enum class SlotKind : uint8_t { fixed, stock, derivative, value, literal, temp };

// Element index per dimension (canonical dimension name) for one array element.
using Binding = std::vector<std::pair<std::string, uint32_t>>;

enum class Role { stock, aux };

struct Node {
    std::string name;   // display name, e.g. "Stock A[Entry 1]"
    Role role = Role::aux;
    uint32_t slot = none;
    size_t variable = 0;
    bool synthetic = false;
    const Expr *expr = nullptr; // aux: the equation; stock: the initial value
    Binding binding;
    const GraphicalFunction *gf = nullptr;
    bool non_negative = false;
    std::vector<Instr> init_code; // only at the start, before `code`
    std::vector<Instr> code;      // at the start and at every evaluation
    std::vector<uint32_t> init_deps, step_deps;
    bool reads_state = false; // time, a stock or a state slot: varies during the run
    // ACTIVE_INITIAL: at the start only init_code runs (with only init_deps), so the initial
    // value may break a loop that the running equation closes.
    bool active_initial = false;
};

struct Stock {
    uint32_t slot;
    std::vector<uint32_t> inflows, outflows; // slots
    bool non_negative = false;
};

struct VariableInfo {
    const Variable *v = nullptr;
    std::vector<uint32_t> dims; // indexes into model dimensions
    std::vector<uint32_t> sizes;
    uint32_t first_node = none;  // nodes of the elements are consecutive, row-major
    uint32_t element_count = 1;
    bool table_only = false;     // a standalone graphical function
    std::vector<ExprPtr> parsed; // [0] apply-to-all equation; per element otherwise
    std::vector<int> element_equation; // per element: index into parsed, -1 = none
    uint32_t lookup = none;
};

std::string element_label(const Model &m, const VariableInfo &vi, uint32_t flat) {
    if (vi.dims.empty()) return vi.v->name;
    std::vector<uint32_t> idx(vi.dims.size());
    for (size_t k = vi.dims.size(); k-- > 0;) {
        idx[k] = flat % vi.sizes[k];
        flat /= vi.sizes[k];
    }
    std::string s = vi.v->name + "[";
    for (size_t k = 0; k < idx.size(); ++k) {
        if (k) s += ",";
        s += m.dimensions[vi.dims[k]].elements[idx[k]];
    }
    return s + "]";
}

class Compiler {
public:
    explicit Compiler(const Model &m) : m_(m) {}

    Program run() {
        p_.sim_specs = m_.sim_specs;
        p_.variable_count = m_.variables.size();
        for (uint32_t i = 0; i < 4; ++i) new_slot(SlotKind::fixed);
        index_dimensions();
        index_variables();
        make_nodes();
        for (uint32_t n = 0; n < nodes_.size(); ++n) lower_node(n); // may append synthetic nodes
        connect_stocks();
        order_and_emit();
        layout();
        return std::move(p_);
    }

private:
    // ---- slots ------------------------------------------------------------------------------
    uint32_t new_slot(SlotKind k) {
        kinds_.push_back(k);
        return static_cast<uint32_t>(kinds_.size() - 1);
    }
    uint32_t literal(double v) {
        auto it = literal_slots_.find(v);
        if (it != literal_slots_.end() && !std::isnan(v)) return it->second;
        uint32_t s = new_slot(SlotKind::literal);
        literal_values_[s] = v;
        if (!std::isnan(v)) literal_slots_[v] = s; // NaN has no place in an ordered map
        return s;
    }
    bool is_literal(uint32_t s, double &v) const {
        auto it = literal_values_.find(s);
        if (it == literal_values_.end()) return false;
        v = it->second;
        return true;
    }

    // ---- indexing ---------------------------------------------------------------------------
    void index_dimensions() {
        for (uint32_t i = 0; i < m_.dimensions.size(); ++i) {
            const Dimension &d = m_.dimensions[i];
            if (!dims_.emplace(canonical_name(d.name), i).second)
                throw ModelError("dimension '" + d.name + "' is defined twice");
        }
    }

    [[noreturn]] void fail_var(const Variable &v, const std::string &what) const {
        throw ModelError("variable '" + v.name + "': " + what, v.name);
    }

    ExprPtr parse(const Variable &v, const std::string &text) {
        if (text == "?" "??")
            fail_var(v, "the equation is three question marks: left untranslated by the tool that wrote this file");
        try {
            return parse_equation(text);
        } catch (const ModelError &e) {
            fail_var(v, std::string(e.what()) + " in equation '" + text + "'");
        }
    }

    void index_variables() {
        infos_.resize(m_.variables.size());
        for (size_t i = 0; i < m_.variables.size(); ++i) {
            const Variable &v = m_.variables[i];
            VariableInfo &vi = infos_[i];
            vi.v = &v;
            if (!vars_.emplace(canonical_name(v.name), i).second) fail_var(v, "defined twice");
            for (const std::string &dn : v.dimensions) {
                auto it = dims_.find(canonical_name(dn));
                if (it == dims_.end()) fail_var(v, "unknown dimension '" + dn + "'");
                vi.dims.push_back(it->second);
                vi.sizes.push_back(static_cast<uint32_t>(m_.dimensions[it->second].elements.size()));
                vi.element_count *= vi.sizes.back();
                if (vi.element_count > max_elements)
                    fail_var(v, "has over " + std::to_string(max_elements) + " array elements");
            }
            if (v.kind == VariableKind::aux && v.gf && v.equation.empty() && v.elements.empty()) {
                vi.table_only = true;
                vi.lookup = add_lookup(*v.gf);
                continue;
            }
            vi.parsed.push_back(v.equation.empty() ? nullptr : parse(v, v.equation));
            vi.element_equation.assign(vi.element_count, v.equation.empty() ? -1 : 0);
            for (const ElementEquation &ee : v.elements) {
                if (ee.subscripts.size() != vi.dims.size())
                    fail_var(v, "element equation has " + std::to_string(ee.subscripts.size()) + " subscripts, expected " +
                                    std::to_string(vi.dims.size()));
                uint32_t flat = 0;
                for (size_t k = 0; k < vi.dims.size(); ++k) {
                    uint32_t e = element_index(vi.dims[k], ee.subscripts[k]);
                    if (e == none) fail_var(v, "unknown element '" + ee.subscripts[k] + "'");
                    flat = flat * vi.sizes[k] + e;
                }
                vi.parsed.push_back(parse(v, ee.equation));
                vi.element_equation[flat] = static_cast<int>(vi.parsed.size() - 1);
            }
        }
    }

    uint32_t element_index(uint32_t dim, std::string_view name) const {
        const auto &els = m_.dimensions[dim].elements;
        std::string c = canonical_name(name);
        for (uint32_t i = 0; i < els.size(); ++i)
            if (canonical_name(els[i]) == c) return i;
        return none;
    }

    uint32_t add_lookup(const GraphicalFunction &gf) {
        p_.lookups.push_back(Lookup{gf.type, gf.xs, gf.ys});
        return static_cast<uint32_t>(p_.lookups.size() - 1);
    }

    void make_nodes() {
        for (size_t i = 0; i < m_.variables.size(); ++i) {
            VariableInfo &vi = infos_[i];
            if (vi.table_only) continue;
            const Variable &v = *vi.v;
            vi.first_node = static_cast<uint32_t>(nodes_.size());
            for (uint32_t flat = 0; flat < vi.element_count; ++flat) {
                Node n;
                n.name = element_label(m_, vi, flat);
                n.variable = i;
                n.role = v.kind == VariableKind::stock ? Role::stock : Role::aux;
                n.non_negative = v.non_negative;
                int eq = vi.element_equation[flat];
                if (eq < 0) fail_var(v, "no equation for element " + n.name);
                n.expr = vi.parsed[static_cast<size_t>(eq)].get();
                n.gf = v.gf ? &*v.gf : nullptr;
                if (eq > 0) {
                    const ElementEquation &ee = v.elements[static_cast<size_t>(eq - 1)];
                    if (ee.gf) n.gf = &*ee.gf;
                }
                uint32_t rest = flat;
                n.binding.resize(vi.dims.size());
                for (size_t k = vi.dims.size(); k-- > 0;) {
                    n.binding[k] = {canonical_name(m_.dimensions[vi.dims[k]].name), rest % vi.sizes[k]};
                    rest /= vi.sizes[k];
                }
                n.slot = new_slot(n.role == Role::stock ? SlotKind::stock : SlotKind::value);
                nodes_.push_back(std::move(n));
                p_.outputs.push_back(OutputColumn{nodes_.back().name, nodes_.back().slot});
            }
        }
    }

    // ---- lowering ---------------------------------------------------------------------------
    struct Ctx {
        uint32_t node;
        std::vector<Instr> *code;
        std::vector<uint32_t> *deps;
        bool init_phase;
    };

    [[noreturn]] void fail_node(const Ctx &c, const std::string &what) const {
        const Node &n = nodes_[c.node];
        throw ModelError("variable '" + n.name + "': " + what, m_.variables[n.variable].name);
    }

    uint32_t emit(Ctx &c, Op op, uint32_t a, uint32_t b = 0, uint32_t cc = 0, uint32_t want = none) {
        double va = 0, vb = 0;
        bool la = is_literal(a, va);
        bool lb = is_literal(b, vb);
        if (want == none && la && (lb || op == Op::neg || op == Op::abs || op == Op::sqrt || op == Op::exp ||
                                   op == Op::ln)) {
            switch (op) {
            case Op::add: return literal(va + vb);
            case Op::sub: return literal(va - vb);
            case Op::mul: return literal(va * vb);
            case Op::div: return literal(va / vb);
            case Op::pow: return literal(std::pow(va, vb));
            case Op::neg: return literal(-va);
            case Op::abs: return literal(std::fabs(va));
            case Op::sqrt: return literal(std::sqrt(va));
            case Op::exp: return literal(std::exp(va));
            case Op::ln: return literal(std::log(va));
            default: break;
            }
        }
        uint32_t d = want == none ? new_slot(SlotKind::temp) : want;
        c.code->push_back(Instr{op, d, a, b, cc});
        return d;
    }

    void read_node(Ctx &c, uint32_t n) {
        const Node &node = nodes_[n];
        if (node.role == Role::stock) {
            // Per-step code also runs at the start, when the stock must already be initialised.
            nodes_[c.node].reads_state = true;
            // (ACTIVE_INITIAL's running equation is the exception: it does not run at the start.)
            if (!(nodes_[c.node].active_initial && !c.init_phase)) nodes_[c.node].init_deps.push_back(n);
        } else {
            c.deps->push_back(n);
        }
    }

    const Binding &binding(const Ctx &c) const { return nodes_[c.node].binding; }

    // The element (flat index) of variable `vi` selected by subscripts, or by the binding for a
    // bare reference. Wildcards are refused here (only reducers accept them).
    uint32_t select_element(Ctx &c, const VariableInfo &vi, const Expr *subscript) {
        if (vi.dims.empty()) {
            if (subscript) fail_node(c, "'" + vi.v->name + "' is not an array but is subscripted");
            return 0;
        }
        std::vector<std::vector<uint32_t>> choices = element_choices(c, vi, subscript, false);
        uint32_t flat = 0;
        for (size_t k = 0; k < vi.dims.size(); ++k) flat = flat * vi.sizes[k] + choices[k][0];
        return flat;
    }

    // For each dimension of `vi`, the element indexes a reference selects.
    std::vector<std::vector<uint32_t>> element_choices(Ctx &c, const VariableInfo &vi, const Expr *subscript,
                                                       bool allow_many) {
        std::vector<std::vector<uint32_t>> out(vi.dims.size());
        if (subscript && subscript->args.size() != vi.dims.size())
            fail_node(c, "'" + vi.v->name + "' has " + std::to_string(vi.dims.size()) + " dimensions but is given " +
                             std::to_string(subscript->args.size()) + " subscripts");
        for (size_t k = 0; k < vi.dims.size(); ++k) {
            const Dimension &dim = m_.dimensions[vi.dims[k]];
            std::string dim_name = canonical_name(dim.name);
            auto all = [&] {
                std::vector<uint32_t> v(vi.sizes[k]);
                for (uint32_t i = 0; i < vi.sizes[k]; ++i) v[i] = i;
                return v;
            };
            auto bound = [&](const std::string &name) -> uint32_t {
                for (const auto &[dn, idx] : binding(c))
                    if (dn == name) return idx;
                return none;
            };
            if (!subscript) {
                uint32_t b = bound(dim_name);
                if (b != none) out[k] = {b};
                else if (allow_many) out[k] = all();
                else fail_node(c, "'" + vi.v->name + "' is an array over '" + dim.name + "' and needs a subscript here");
                continue;
            }
            const Expr &s = *subscript->args[k];
            if (s.kind == ExprKind::wildcard) {
                if (!allow_many) fail_node(c, "'*' in a subscript of '" + vi.v->name + "' outside an array function");
                out[k] = all();
            } else if (s.kind == ExprKind::name) {
                if (s.name == dim_name) {
                    uint32_t b = bound(dim_name);
                    if (b != none) out[k] = {b};
                    else if (allow_many) out[k] = all();
                    else fail_node(c, "dimension '" + dim.name + "' used as a subscript where it is not bound");
                } else if (uint32_t e = element_index(vi.dims[k], s.name); e != none) {
                    out[k] = {e};
                } else if (uint32_t b = bound(s.name); b != none && dims_.count(s.name) &&
                           m_.dimensions[dims_.at(s.name)].elements.size() == vi.sizes[k]) {
                    out[k] = {b}; // positional mapping between dimensions of equal size
                } else {
                    fail_node(c, "unknown subscript '" + s.name + "' for dimension '" + dim.name + "' of '" +
                                     vi.v->name + "'");
                }
            } else if (s.kind == ExprKind::number) {
                double v = s.value;
                if (v < 1 || v > vi.sizes[k] || v != std::floor(v))
                    fail_node(c, "subscript " + std::to_string(v) + " out of range for '" + vi.v->name + "'");
                out[k] = {static_cast<uint32_t>(v) - 1};
            } else {
                fail_node(c, "computed subscripts are not supported yet (in a reference to '" + vi.v->name + "')");
            }
        }
        return out;
    }

    uint32_t flat_of_binding(const VariableInfo &vi, const Binding &b) const {
        uint32_t flat = 0;
        for (size_t k = 0; k < vi.dims.size(); ++k) flat = flat * vi.sizes[k] + (k < b.size() ? b[k].second : 0);
        return flat;
    }

    // Records that the model cannot be integrated by CVODE exactly (see Program::fixed_step_only).
    void fixed_step(const Ctx &c, const std::string &what) {
        std::string reason = "variable '" + nodes_[c.node].name + "' " + what;
        if (p_.fixed_step_only.size() < 20 &&
            std::find(p_.fixed_step_only.begin(), p_.fixed_step_only.end(), reason) == p_.fixed_step_only.end())
            p_.fixed_step_only.push_back(std::move(reason));
    }

    void note_discrete(const Ctx &c, const GraphicalFunction &gf) {
        if (gf.type == GraphicalFunctionType::discrete) fixed_step(c, "uses a discrete graphical function (a staircase)");
    }

    uint32_t variable_slot(Ctx &c, const VariableInfo &vi, uint32_t flat) {
        uint32_t n = vi.first_node + flat;
        read_node(c, n);
        return nodes_[n].slot;
    }

    const VariableInfo *find_variable(const std::string &canonical) const {
        auto it = vars_.find(canonical);
        return it == vars_.end() ? nullptr : &infos_[it->second];
    }

    uint32_t lower(Ctx &c, const Expr &e, uint32_t want = none) {
        switch (e.kind) {
        case ExprKind::number: return literal(e.value);
        case ExprKind::name: {
            if (const VariableInfo *vi = find_variable(e.name)) {
                if (vi->table_only) fail_node(c, "'" + vi->v->name + "' is a graphical function; call it with an argument");
                return variable_slot(c, *vi, select_element(c, *vi, nullptr));
            }
            if (e.name == "time") {
                nodes_[c.node].reads_state = true;
                return slot_time;
            }
            if (e.name == "dt") {
                fixed_step(c, "reads DT");
                if (!m_.sim_specs.dt_variable.empty()) nodes_[c.node].reads_state = true;
                return slot_dt;
            }
            if (e.name == "self") {
                // The variable being defined (meaningful inside PREVIOUS, whose argument node
                // belongs to the same variable and element).
                const VariableInfo &vi = infos_[nodes_[c.node].variable];
                return variable_slot(c, vi, flat_of_binding(vi, binding(c)));
            }
            if (e.name == "starttime") return slot_start;
            if (e.name == "stoptime") {
                if (!m_.sim_specs.stop_variable.empty()) nodes_[c.node].reads_state = true;
                return slot_stop;
            }
            if (e.name == "pi") return literal(std::numbers::pi);
            if (dims_.count(e.name)) {
                for (const auto &[dn, idx] : binding(c))
                    if (dn == e.name) return literal(static_cast<double>(idx + 1));
            }
            fail_node(c, "undefined variable '" + e.name + "'");
        }
        case ExprKind::subscript: {
            const VariableInfo *vi = find_variable(e.name);
            if (!vi) fail_node(c, "undefined variable '" + e.name + "'");
            return variable_slot(c, *vi, select_element(c, *vi, &e));
        }
        case ExprKind::wildcard: fail_node(c, "'*' outside a subscript");
        case ExprKind::unary: {
            uint32_t a = lower(c, *e.args[0]);
            if (e.op == '+') return a;
            return emit(c, e.op == '-' ? Op::neg : Op::lnot, a, 0, 0, want);
        }
        case ExprKind::binary: {
            uint32_t a = lower(c, *e.args[0]);
            uint32_t b = lower(c, *e.args[1]);
            Op op = Op::add;
            switch (e.op) {
            case '+': op = Op::add; break;
            case '-': op = Op::sub; break;
            case '*': op = Op::mul; break;
            case '/': op = Op::div; break;
            case '^': op = Op::pow; break;
            case '%': op = Op::mod; break;
            case '<': op = Op::lt; break;
            case '>': op = Op::gt; break;
            case 'l': op = Op::le; break;
            case 'g': op = Op::ge; break;
            case '=': op = Op::eq; break;
            case '#': op = Op::ne; break;
            case '&': op = Op::land; break;
            case '|': op = Op::lor; break;
            default: fail_node(c, std::string("unknown operator '") + e.op + "'");
            }
            return emit(c, op, a, b, 0, want);
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

    // The element slots an array function argument selects.
    std::vector<uint32_t> array_slots(Ctx &c, const Expr &arg) {
        if (arg.kind != ExprKind::name && arg.kind != ExprKind::subscript)
            fail_node(c, "array functions need a variable reference as their argument");
        const VariableInfo *vi = find_variable(arg.name);
        if (!vi) fail_node(c, "undefined variable '" + arg.name + "'");
        if (vi->dims.empty()) return {variable_slot(c, *vi, 0)};
        auto choices = element_choices(c, *vi, arg.kind == ExprKind::subscript ? &arg : nullptr, true);
        std::vector<uint32_t> flats{0};
        for (size_t k = 0; k < choices.size(); ++k) {
            std::vector<uint32_t> next;
            for (uint32_t f : flats)
                for (uint32_t e : choices[k]) next.push_back(f * vi->sizes[k] + e);
            flats = std::move(next);
        }
        std::vector<uint32_t> slots;
        for (uint32_t f : flats) slots.push_back(variable_slot(c, *vi, f));
        return slots;
    }

    uint32_t fold(Ctx &c, Op op, const std::vector<uint32_t> &slots) {
        uint32_t acc = slots[0];
        for (size_t i = 1; i < slots.size(); ++i) acc = emit(c, op, acc, slots[i]);
        return acc;
    }

    double constant_argument(Ctx &c, const Expr &e, const char *what) {
        if (e.kind == ExprKind::number) return e.value;
        if (e.kind == ExprKind::name)
            if (const VariableInfo *vi = find_variable(e.name); vi && vi->dims.empty() && vi->parsed.size() == 1 &&
                                                                 vi->parsed[0] && vi->parsed[0]->kind == ExprKind::number)
                return vi->parsed[0]->value;
        fail_node(c, std::string(what) + " must be a constant number");
    }

    // A new stock (state integrated like any stock) created by a stateful builtin.
    uint32_t new_stock(std::vector<uint32_t> inflows, std::vector<uint32_t> outflows = {}) {
        uint32_t s = new_slot(SlotKind::stock);
        stocks_.push_back(Stock{s, std::move(inflows), std::move(outflows), false});
        return s;
    }

    // A hidden node of the current variable and element that computes the flows of a builtin's
    // stocks. It has no equation of its own (lower_node skips it); it runs after the stocks are
    // initialised (it depends on the owner at the start).
    Ctx flow_node(Ctx &c, const char *what) {
        Node fn;
        fn.name = nodes_[c.node].name + what;
        fn.variable = nodes_[c.node].variable;
        fn.synthetic = true;
        fn.binding = nodes_[c.node].binding;
        fn.slot = new_slot(SlotKind::value);
        fn.reads_state = true;
        fn.init_deps.push_back(c.node);
        nodes_.push_back(std::move(fn));
        uint32_t idx = static_cast<uint32_t>(nodes_.size() - 1);
        return Ctx{idx, &nodes_[idx].code, &nodes_[idx].step_deps, false};
    }

    // Lowers `e` in the start-only code of the current node (for initial values of builtin states).
    uint32_t lower_initial(Ctx &c, const Expr &e) {
        Ctx ic{c.node, &nodes_[c.node].init_code, &nodes_[c.node].init_deps, true};
        return lower(ic, e);
    }

    uint32_t lower_call(Ctx &c, const Expr &e, uint32_t want) {
        const FunctionInfo *f = find_function(e.name);
        if (!f) {
            // A graphical function called by name: table(x).
            if (const VariableInfo *vi = find_variable(e.name); vi && (vi->table_only || vi->v->gf)) {
                if (e.args.size() != 1) fail_node(c, "graphical function '" + vi->v->name + "' takes one argument");
                uint32_t table = vi->table_only ? vi->lookup : add_lookup(*vi->v->gf);
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
        auto arg = [&](int i) { return lower(c, *e.args[static_cast<size_t>(i)]); };
        switch (f->kind) {
        case FunctionKind::unary: return emit(c, f->op, arg(0), 0, 0, want);
        case FunctionKind::binary: {
            uint32_t a = arg(0);
            return emit(c, f->op, a, arg(1), 0, want);
        }
        case FunctionKind::min_max: {
            if (n == 2) {
                uint32_t a = arg(0);
                return emit(c, f->op, a, arg(1), 0, want);
            }
            return fold(c, f->op, array_slots(c, *e.args[0]));
        }
        case FunctionKind::safediv: {
            uint32_t a = arg(0), b = arg(1);
            uint32_t alt = n == 3 ? arg(2) : literal(0);
            return emit(c, Op::safediv, a, b, alt, want);
        }
        case FunctionKind::step: {
            fixed_step(c, "uses STEP (a jump CVODE would smooth over)");
            nodes_[c.node].reads_state = true;
            uint32_t h = arg(0);
            return emit(c, Op::step, h, arg(1), 0, want);
        }
        case FunctionKind::ramp: {
            nodes_[c.node].reads_state = true;
            uint32_t s = arg(0), t0 = arg(1);
            uint32_t t1 = n == 3 ? arg(2) : literal(std::numeric_limits<double>::infinity());
            return emit(c, Op::ramp, s, t0, t1, want);
        }
        case FunctionKind::pulse: {
            fixed_step(c, "uses PULSE (defined per dt)");
            nodes_[c.node].reads_state = true;
            uint32_t v = arg(0);
            uint32_t first = n >= 2 ? arg(1) : slot_start;
            uint32_t interval = n == 3 ? arg(2) : literal(0);
            return emit(c, Op::pulse, v, first, interval, want);
        }
        case FunctionKind::pi: return literal(std::numbers::pi);
        case FunctionKind::if_then_else: {
            uint32_t cond = arg(0), a = arg(1);
            return emit(c, Op::select, cond, a, arg(2), want);
        }
        case FunctionKind::lookup: {
            const Expr &t = *e.args[0];
            const VariableInfo *vi = t.kind == ExprKind::name ? find_variable(t.name) : nullptr;
            if (!vi || !(vi->table_only || vi->v->gf)) fail_node(c, "LOOKUP needs a graphical function as its first argument");
            uint32_t table = vi->table_only ? vi->lookup : add_lookup(*vi->v->gf);
                note_discrete(c, *vi->v->gf);
            return emit(c, Op::lookup, arg(1), table, 0, want);
        }
        case FunctionKind::reduce_sum: return fold(c, Op::add, array_slots(c, *e.args[0]));
        case FunctionKind::reduce_prod: return fold(c, Op::mul, array_slots(c, *e.args[0]));
        case FunctionKind::reduce_size: return literal(static_cast<double>(array_slots(c, *e.args[0]).size()));
        case FunctionKind::reduce_mean: {
            auto slots = array_slots(c, *e.args[0]);
            return emit(c, Op::div, fold(c, Op::add, slots), literal(static_cast<double>(slots.size())), 0, want);
        }
        case FunctionKind::reduce_stddev: {
            // Population standard deviation, as Stella computes it.
            auto slots = array_slots(c, *e.args[0]);
            uint32_t count = literal(static_cast<double>(slots.size()));
            uint32_t mean = emit(c, Op::div, fold(c, Op::add, slots), count);
            std::vector<uint32_t> squares;
            for (uint32_t s : slots) {
                uint32_t d = emit(c, Op::sub, s, mean);
                squares.push_back(emit(c, Op::mul, d, d));
            }
            return emit(c, Op::sqrt, emit(c, Op::div, fold(c, Op::add, squares), count), 0, 0, want);
        }
        case FunctionKind::init: {
            uint32_t state = new_slot(SlotKind::value);
            uint32_t v = lower_initial(c, *e.args[0]);
            nodes_[c.node].init_code.push_back(Instr{Op::copy, state, v, 0, 0});
            return state;
        }
        case FunctionKind::previous: {
            fixed_step(c, "uses PREVIOUS (defined per dt)");
            // The argument becomes its own hidden node so that reading a previous value does not
            // make this variable depend on the argument's current value.
            uint32_t state = new_slot(SlotKind::value);
            nodes_[c.node].reads_state = true;
            Node src;
            src.name = nodes_[c.node].name + " (PREVIOUS argument)";
            src.variable = nodes_[c.node].variable;
            src.synthetic = true;
            src.expr = e.args[0].get();
            src.binding = nodes_[c.node].binding;
            src.slot = new_slot(SlotKind::value);
            src.reads_state = true; // must be recomputed every step to feed the state
            uint32_t init = n == 2 ? lower_initial(c, *e.args[1]) : literal(0);
            nodes_[c.node].init_code.push_back(Instr{Op::copy, state, init, 0, 0});
            p_.previous_updates.emplace_back(src.slot, state);
            nodes_.push_back(std::move(src));
            return state;
        }
        case FunctionKind::smooth1:
        case FunctionKind::smooth3:
        case FunctionKind::smoothn: {
            int order = f->kind == FunctionKind::smooth1 ? 1 : f->kind == FunctionKind::smooth3 ? 3 : 0;
            if (order == 0) order = static_cast<int>(constant_argument(c, *e.args[2], "SMTHN's order"));
            if (order < 1 || order > 1000) fail_node(c, "SMTHN's order must be between 1 and 1000");
            size_t init_arg = f->kind == FunctionKind::smoothn ? 3 : 2;
            // The flows live in their own node: the smoothed value is a stock, so it never
            // depends on the input's current value (a smooth breaks a loop).
            Ctx fc = flow_node(c, " (SMOOTH flows)");
            uint32_t input = lower(fc, *e.args[0]);
            uint32_t stage_time = emit(fc, Op::div, lower(fc, *e.args[1]), literal(order));
            uint32_t init = e.args.size() > init_arg ? lower_initial(c, *e.args[init_arg]) : lower_initial(c, *e.args[0]);
            nodes_[c.node].reads_state = true;
            uint32_t prev = input;
            uint32_t stock = none;
            for (int k = 0; k < order; ++k) {
                uint32_t flow = new_slot(SlotKind::value);
                stock = new_stock({flow});
                nodes_[c.node].init_code.push_back(Instr{Op::copy, stock, init, 0, 0});
                uint32_t gap = emit(fc, Op::sub, prev, stock);
                emit(fc, Op::div, gap, stage_time, 0, flow);
                prev = stock;
            }
            return stock;
        }
        case FunctionKind::delay1:
        case FunctionKind::delay3:
        case FunctionKind::delayn: {
            int order = f->kind == FunctionKind::delay1 ? 1 : f->kind == FunctionKind::delay3 ? 3 : 0;
            if (order == 0) order = static_cast<int>(constant_argument(c, *e.args[2], "DELAYN's order"));
            if (order < 1 || order > 1000) fail_node(c, "DELAYN's order must be between 1 and 1000");
            size_t init_arg = f->kind == FunctionKind::delayn ? 3 : 2;
            // The input enters in its own node: the output (last stage / stage time) never
            // depends on the input's current value (a material delay breaks a loop).
            Ctx fc = flow_node(c, " (DELAY inflow)");
            uint32_t input = lower(fc, *e.args[0]);
            uint32_t stage_time = emit(c, Op::div, arg(1), literal(order));
            uint32_t init_value =
                e.args.size() > init_arg ? lower_initial(c, *e.args[init_arg]) : lower_initial(c, *e.args[0]);
            Ctx ic{c.node, &nodes_[c.node].init_code, &nodes_[c.node].init_deps, true};
            uint32_t init_stage_time = emit(ic, Op::div, lower(ic, *e.args[1]), literal(order));
            uint32_t init = emit(ic, Op::mul, init_value, init_stage_time);
            nodes_[c.node].reads_state = true;
            // Stage k holds what left stage k-1 and not yet itself; each outflow is content/stage time.
            uint32_t inflow = new_slot(SlotKind::value);
            emit(fc, Op::copy, input, 0, 0, inflow);
            uint32_t out = none;
            for (int k = 0; k < order; ++k) {
                uint32_t outflow = new_slot(SlotKind::value);
                uint32_t stock = new_stock({inflow}, {outflow});
                nodes_[c.node].init_code.push_back(Instr{Op::copy, stock, init, 0, 0});
                emit(c, Op::div, stock, stage_time, 0, outflow);
                inflow = outflow;
                out = outflow;
            }
            return out;
        }
        case FunctionKind::vensim_delayn: {
            // Vensim's DELAY N: the order is fixed at the start, and stage k (0 = the one the
            // input enters) divides its content by the delay time as it was k steps ago, so a
            // change of the delay time travels down the stages one step at a time instead of
            // rescaling every stage's outflow at once (PySD's reading; it reproduces Vensim's
            // output of the conformance model exactly). The output is the last stage's outflow.
            int order = static_cast<int>(constant_argument(c, *e.args[3], "DELAY N's order"));
            if (order < 1 || order > 1000) fail_node(c, "DELAY N's order must be between 1 and 1000");
            if (order > 1) fixed_step(c, "uses DELAY N (its stages see the delay time of earlier steps)");
            Ctx fc = flow_node(c, " (DELAY N inflow)");
            uint32_t input = lower(fc, *e.args[0]);
            uint32_t delay_time = arg(1);
            Ctx ic{c.node, &nodes_[c.node].init_code, &nodes_[c.node].init_deps, true};
            uint32_t init_delay_time = lower(ic, *e.args[1]);
            uint32_t init_value = lower(ic, *e.args[2]);
            uint32_t init = emit(ic, Op::mul, init_value, emit(ic, Op::div, init_delay_time, literal(order)));
            nodes_[c.node].reads_state = true;
            // lagged[k]: the delay time k steps ago. Updated oldest first, so that every copy
            // reads its source's value from before this step's updates.
            std::vector<uint32_t> lagged{delay_time};
            for (int k = 1; k < order; ++k) {
                uint32_t state = new_slot(SlotKind::value);
                nodes_[c.node].init_code.push_back(Instr{Op::copy, state, init_delay_time, 0, 0});
                lagged.push_back(state);
            }
            for (size_t k = lagged.size() - 1; k >= 1; --k) p_.previous_updates.emplace_back(lagged[k - 1], lagged[k]);
            uint32_t order_literal = literal(order);
            uint32_t inflow = new_slot(SlotKind::value);
            emit(fc, Op::copy, input, 0, 0, inflow);
            uint32_t out = none;
            for (int k = 0; k < order; ++k) {
                uint32_t outflow = new_slot(SlotKind::value);
                uint32_t stock = new_stock({inflow}, {outflow});
                nodes_[c.node].init_code.push_back(Instr{Op::copy, stock, init, 0, 0});
                uint32_t stage_time = emit(c, Op::div, lagged[static_cast<size_t>(k)], order_literal);
                emit(c, Op::div, stock, stage_time, 0, outflow);
                inflow = outflow;
                out = outflow;
            }
            return out;
        }
        case FunctionKind::vensim_npv: {
            // Vensim's NPV(stream, discount rate, initial, factor), as SDEverywhere expands it
            // (checked against Vensim there): a discount factor stock df (1 at the start,
            // df' = -df * rate / (1 + rate * dt)), an accumulation ncum' = stream * df from the
            // initial value, and the output (ncum + stream * dt * df) * factor, which counts the
            // current step's stream too.
            fixed_step(c, "uses NPV (discounted per dt)");
            nodes_[c.node].reads_state = true;
            Ctx fc = flow_node(c, " (NPV flows)");
            uint32_t df_flow = new_slot(SlotKind::value);
            uint32_t df = new_stock({df_flow});
            nodes_[c.node].init_code.push_back(Instr{Op::copy, df, literal(1), 0, 0});
            uint32_t rate = lower(fc, *e.args[1]);
            uint32_t per_step = emit(fc, Op::add, literal(1), emit(fc, Op::mul, rate, slot_dt));
            emit(fc, Op::div, emit(fc, Op::neg, emit(fc, Op::mul, df, rate)), per_step, 0, df_flow);
            uint32_t ncum_flow = new_slot(SlotKind::value);
            uint32_t ncum = new_stock({ncum_flow});
            uint32_t init = lower_initial(c, *e.args[2]);
            nodes_[c.node].init_code.push_back(Instr{Op::copy, ncum, init, 0, 0});
            emit(fc, Op::mul, lower(fc, *e.args[0]), df, 0, ncum_flow);
            uint32_t stream = arg(0);
            uint32_t this_step = emit(c, Op::mul, emit(c, Op::mul, stream, slot_dt), df);
            uint32_t factor = arg(3);
            return emit(c, Op::mul, emit(c, Op::add, ncum, this_step), factor, 0, want);
        }
        case FunctionKind::delay: {
            // The input becomes a hidden node recorded after every step (as for PREVIOUS), so
            // the output never depends on the input's current value: a delay breaks a loop.
            fixed_step(c, "uses DELAY (a pipeline sampled every dt)");
            nodes_[c.node].reads_state = true;
            Node src;
            src.name = nodes_[c.node].name + " (DELAY input)";
            src.variable = nodes_[c.node].variable;
            src.synthetic = true;
            src.expr = e.args[0].get();
            src.binding = nodes_[c.node].binding;
            src.slot = new_slot(SlotKind::value);
            src.reads_state = true;
            uint32_t delay_time = arg(1);
            uint32_t init = n == 3 ? lower_initial(c, *e.args[2]) : lower_initial(c, *e.args[0]);
            uint32_t initial = new_slot(SlotKind::value);
            nodes_[c.node].init_code.push_back(Instr{Op::copy, initial, init, 0, 0});
            p_.delays.push_back(DelayLine{src.slot, delay_time, initial});
            nodes_.push_back(std::move(src));
            return emit(c, Op::delay, static_cast<uint32_t>(p_.delays.size() - 1), 0, 0, want);
        }
        case FunctionKind::random: {
            fixed_step(c, "uses " + e.name + " (one random draw per dt)");
            nodes_[c.node].reads_state = true;
            RandomCall call{};
            size_t seed_arg = 2;
            if (e.name == "random") call.distribution = Distribution::uniform;
            else if (e.name == "normal") call.distribution = Distribution::normal;
            else if (e.name == "lognormal") call.distribution = Distribution::lognormal;
            else if (e.name == "exprnd") call.distribution = Distribution::exponential, seed_arg = 1;
            else call.distribution = Distribution::poisson, seed_arg = 1;
            call.p1 = arg(0);
            if (seed_arg == 2) call.p2 = arg(1);
            if (e.args.size() > seed_arg) {
                call.has_seed = true;
                call.seed = literal(constant_argument(c, *e.args[seed_arg], "a random seed"));
            }
            if (e.args.size() == 4) fail_node(c, "NORMAL takes mean, sd, seed and then both min and max");
            if (e.args.size() == 5) {
                call.truncated = true;
                call.low = arg(3);
                call.high = arg(4);
            }
            p_.randoms.push_back(call);
            return emit(c, Op::random, static_cast<uint32_t>(p_.randoms.size() - 1), 0, 0, want);
        }
        case FunctionKind::rank: {
            p_.lists.push_back(array_slots(c, *e.args[0]));
            uint32_t ith = arg(1);
            return emit(c, Op::rank, static_cast<uint32_t>(p_.lists.size() - 1), ith, 0, want);
        }
        case FunctionKind::active_initial: fail_node(c, "ACTIVE INITIAL must be the whole equation");
        case FunctionKind::allocate_by_priority:
        case FunctionKind::allocate_available:
        case FunctionKind::invert_matrix: {
            ArrayCall call{};
            p_.lists.push_back(array_slots(c, *e.args[0]));
            call.a = static_cast<uint32_t>(p_.lists.size() - 1);
            size_t n_a = p_.lists.back().size();
            double element = 0;
            if (f->kind == FunctionKind::allocate_by_priority) {
                call.function = ArrayFunction::allocate;
                p_.lists.push_back(array_slots(c, *e.args[1]));
                call.b = static_cast<uint32_t>(p_.lists.size() - 1);
                if (p_.lists.back().size() != n_a) fail_node(c, "ALLOCATE BY PRIORITY: requests and priorities differ in size");
                element = constant_argument(c, *e.args[2], "ALLOCATE BY PRIORITY's element");
                call.width = arg(3);
                call.supply = arg(4);
            } else if (f->kind == FunctionKind::allocate_available) {
                call.function = ArrayFunction::allocate_available;
                p_.lists.push_back(array_slots(c, *e.args[1]));
                call.b = static_cast<uint32_t>(p_.lists.size() - 1);
                if (p_.lists.back().size() != 4 * n_a)
                    fail_node(c, "ALLOCATE AVAILABLE: each request needs a priority profile of four elements "
                                 "(type, priority, width, extra)");
                element = constant_argument(c, *e.args[2], "ALLOCATE AVAILABLE's element");
                call.supply = arg(3);
            } else {
                call.function = ArrayFunction::invert;
                auto side = static_cast<size_t>(std::llround(std::sqrt(static_cast<double>(n_a))));
                if (side * side != n_a) fail_node(c, "INVERT MATRIX needs a square matrix");
                element = constant_argument(c, *e.args[1], "INVERT MATRIX's element");
            }
            if (element < 1 || element > static_cast<double>(n_a) || element != std::floor(element))
                fail_node(c, "array function element out of range");
            call.element = static_cast<uint32_t>(element) - 1;
            p_.array_calls.push_back(call);
            return emit(c, Op::array_call, static_cast<uint32_t>(p_.array_calls.size() - 1), 0, 0, want);
        }
        case FunctionKind::trend:
        case FunctionKind::forecast: {
            bool forecast = f->kind == FunctionKind::forecast;
            size_t init_arg = forecast ? 3 : 2;
            uint32_t input = arg(0);
            uint32_t avg_time = arg(1);
            uint32_t horizon = forecast ? arg(2) : 0;
            Ctx ic{c.node, &nodes_[c.node].init_code, &nodes_[c.node].init_deps, true};
            uint32_t init_input = lower(ic, *e.args[0]);
            uint32_t init_avg_time = lower(ic, *e.args[1]);
            uint32_t init_trend = e.args.size() > init_arg ? lower(ic, *e.args[init_arg]) : literal(0);
            // average(0) = input / (1 + initial trend * averaging time)
            uint32_t denom = emit(ic, Op::add, literal(1), emit(ic, Op::mul, init_trend, init_avg_time));
            nodes_[c.node].reads_state = true;
            uint32_t flow = new_slot(SlotKind::value);
            uint32_t average = new_stock({flow});
            emit(ic, Op::div, init_input, denom, 0, average);
            emit(c, Op::div, emit(c, Op::sub, input, average), avg_time, 0, flow);
            uint32_t trend = emit(c, Op::trend_out, input, average, avg_time, forecast ? none : want);
            if (!forecast) return trend;
            uint32_t growth = emit(c, Op::add, literal(1), emit(c, Op::mul, trend, horizon));
            return emit(c, Op::mul, input, growth, 0, want);
        }
        }
        fail_node(c, "unknown function '" + e.name + "'");
    }

    void lower_node(uint32_t n) {
        Node &node = nodes_[n];
        if (!node.expr) return; // a builtin's flow node, filled when its owner was lowered
        if (node.role == Role::stock) {
            Ctx c{n, &nodes_[n].init_code, &nodes_[n].init_deps, true};
            uint32_t v = lower(c, *nodes_[n].expr, nodes_[n].slot);
            if (v != nodes_[n].slot) nodes_[n].init_code.push_back(Instr{Op::copy, nodes_[n].slot, v, 0, 0});
            return;
        }
        Ctx c{n, &nodes_[n].code, &nodes_[n].step_deps, false};
        const Expr &top = *nodes_[n].expr;
        if (top.kind == ExprKind::call && top.name == "active initial" && top.args.size() == 2 && !nodes_[n].gf) {
            Ctx ic{n, &nodes_[n].init_code, &nodes_[n].init_deps, true};
            uint32_t start = lower(ic, *top.args[1], nodes_[n].slot);
            if (start != nodes_[n].slot) nodes_[n].init_code.push_back(Instr{Op::copy, nodes_[n].slot, start, 0, 0});
            nodes_[n].active_initial = true;
            uint32_t v = lower(c, *top.args[0], nodes_[n].slot);
            if (v != nodes_[n].slot) nodes_[n].code.push_back(Instr{Op::copy, nodes_[n].slot, v, 0, 0});
            return;
        }
        const GraphicalFunction *gf = nodes_[n].gf;
        bool clamp = nodes_[n].non_negative && m_.variables[nodes_[n].variable].kind == VariableKind::flow &&
                     !nodes_[n].synthetic;
        uint32_t target = nodes_[n].slot;
        uint32_t v = lower(c, *nodes_[n].expr, gf || clamp ? none : target);
        if (gf) {
            note_discrete(c, *gf);
            v = emit(c, Op::lookup, v, add_lookup(*gf), 0, clamp ? none : target);
        }
        if (clamp) v = emit(c, Op::clamp0, v, 0, 0, target);
        if (v != target) nodes_[n].code.push_back(Instr{Op::copy, target, v, 0, 0});
    }

    void connect_stocks() {
        for (uint32_t n = 0; n < nodes_.size(); ++n) {
            const Node &node = nodes_[n];
            if (node.role != Role::stock) continue;
            const Variable &v = m_.variables[node.variable];
            Stock s{node.slot, {}, {}, node.non_negative};
            if (node.non_negative && p_.fixed_step_only.size() < 20)
                p_.fixed_step_only.push_back("stock '" + node.name + "' is non-negative (clamped after each dt)");
            auto flow_slot = [&](const std::string &flow_name) {
                const VariableInfo *fi = find_variable(canonical_name(flow_name));
                if (!fi || fi->table_only) fail_var(v, "unknown flow '" + flow_name + "'");
                if (fi->dims.empty()) return nodes_[fi->first_node].slot;
                if (fi->dims != infos_[node.variable].dims)
                    fail_var(v, "flow '" + flow_name + "' has different dimensions than the stock");
                return nodes_[fi->first_node + (n - infos_[node.variable].first_node)].slot;
            };
            for (const std::string &f : v.inflows) s.inflows.push_back(flow_slot(f));
            for (const std::string &f : v.outflows) s.outflows.push_back(flow_slot(f));
            stocks_.push_back(std::move(s));
        }
    }

    // ---- ordering -----------------------------------------------------------------------------
    // Depth-first topological order over `deps`; a cycle is an algebraic loop, reported by its
    // members in dependency order.
    std::vector<uint32_t> order(bool init_phase) {
        std::vector<uint8_t> state(nodes_.size(), 0); // 0 new, 1 on stack, 2 done
        std::vector<uint32_t> out, path;
        auto deps_of = [&](uint32_t n) -> const std::vector<uint32_t> & {
            return init_phase ? nodes_[n].init_deps : nodes_[n].step_deps;
        };
        auto visit = [&](auto &self, uint32_t n) -> void {
            if (state[n] == 2) return;
            if (state[n] == 1) {
                auto start = std::find(path.begin(), path.end(), n);
                std::string members;
                for (auto it = start; it != path.end(); ++it) {
                    if (!members.empty()) members += " -> ";
                    members += nodes_[*it].name;
                }
                members += " -> " + nodes_[n].name;
                throw ModelError("algebraic loop: " + members, nodes_[n].name);
            }
            state[n] = 1;
            path.push_back(n);
            for (uint32_t d : deps_of(n)) self(self, d);
            if (init_phase && !nodes_[n].active_initial)
                for (uint32_t d : nodes_[n].step_deps) self(self, d);
            path.pop_back();
            state[n] = 2;
            out.push_back(n);
        };
        for (uint32_t n = 0; n < nodes_.size(); ++n) {
            if (!init_phase && nodes_[n].role == Role::stock) continue;
            visit(visit, n);
        }
        return out;
    }

    void order_and_emit() {
        std::vector<uint32_t> init_order = order(true);
        std::vector<uint32_t> step_order = order(false);
        for (uint32_t n : init_order) {
            const Node &node = nodes_[n];
            p_.initial.insert(p_.initial.end(), node.init_code.begin(), node.init_code.end());
            if (!node.active_initial) p_.initial.insert(p_.initial.end(), node.code.begin(), node.code.end());
        }
        // A value that reads neither time nor any state is constant for the run: it is computed
        // once at the start and left out of the per-step program.
        std::vector<uint8_t> varying(nodes_.size(), 0);
        for (uint32_t n : step_order) {
            bool v = nodes_[n].reads_state;
            for (uint32_t d : nodes_[n].step_deps) v = v || varying[d];
            varying[n] = v;
            if (v) p_.step.insert(p_.step.end(), nodes_[n].code.begin(), nodes_[n].code.end());
        }
        // Derivatives of every stock from its flows: not instructions but a list of signed flow
        // slots per stock, summed by the engine in a tight loop (and fused into the Euler update).
        p_.stock_count = static_cast<uint32_t>(stocks_.size());
        for (Stock &s : stocks_) {
            derivative_slots_.push_back(new_slot(SlotKind::derivative));
            p_.flow_begin.push_back(static_cast<uint32_t>(p_.flow_terms.size()));
            for (uint32_t f : s.inflows) p_.flow_terms.push_back(FlowTerm{f, 1.0});
            for (uint32_t f : s.outflows) p_.flow_terms.push_back(FlowTerm{f, -1.0});
        }
        p_.flow_begin.push_back(static_cast<uint32_t>(p_.flow_terms.size()));
        emit_control(m_.sim_specs.dt_variable, "TIME STEP", step_order, p_.control_dt);
        emit_control(m_.sim_specs.stop_variable, "FINAL TIME", step_order, p_.control_stop);
        emit_control(m_.sim_specs.save_step_variable, "SAVEPER", step_order, p_.control_save_step);
    }

    // The code of the named variable and of every value it depends on, in evaluation order.
    void emit_control(const std::string &name, const char *what, const std::vector<uint32_t> &step_order,
                      ControlProgram &out) {
        if (name.empty()) return;
        const VariableInfo *vi = find_variable(canonical_name(name));
        if (!vi || vi->table_only || vi->element_count != 1)
            throw ModelError(std::string(what) + " names '" + name + "', which is not a single model variable");
        if (p_.fixed_step_only.size() < 20) p_.fixed_step_only.push_back(std::string(what) + " changes during the run");
        std::vector<uint8_t> needed(nodes_.size(), 0);
        std::vector<uint32_t> todo{vi->first_node};
        while (!todo.empty()) {
            uint32_t n = todo.back();
            todo.pop_back();
            if (needed[n]) continue;
            needed[n] = 1;
            for (uint32_t d : nodes_[n].step_deps) todo.push_back(d);
        }
        for (uint32_t n : step_order)
            if (needed[n]) out.code.insert(out.code.end(), nodes_[n].code.begin(), nodes_[n].code.end());
        out.slot = nodes_[vi->first_node].slot;
    }

    // ---- slot layout --------------------------------------------------------------------------
    // Stocks first (the integrator's state vector), then their derivatives, then everything else.
    void layout() {
        std::vector<uint32_t> map(kinds_.size(), none);
        uint32_t next = 0;
        for (uint32_t i = 0; i < 4; ++i) map[i] = next++;
        for (const Stock &s : stocks_) map[s.slot] = next++;
        p_.derivative_base = next;
        for (uint32_t d : derivative_slots_) map[d] = next++;
        for (SlotKind k : {SlotKind::value, SlotKind::literal, SlotKind::temp})
            for (uint32_t i = 0; i < kinds_.size(); ++i)
                if (kinds_[i] == k) map[i] = next++;
        auto remap = [&](std::vector<Instr> &code) {
            for (Instr &in : code) {
                in.d = map[in.d];
                // These ops' `a` indexes a side table, not a slot.
                if (in.op != Op::delay && in.op != Op::random && in.op != Op::rank && in.op != Op::array_call) in.a = map[in.a];
                if (in.op != Op::lookup) in.b = map[in.b];
                in.c = map[in.c];
            }
        };
        remap(p_.initial);
        remap(p_.step);
        for (ControlProgram *control : {&p_.control_dt, &p_.control_stop, &p_.control_save_step}) {
            remap(control->code);
            if (control->slot != no_control) control->slot = map[control->slot];
        }
        for (auto &[src, dst] : p_.previous_updates) {
            src = map[src];
            dst = map[dst];
        }
        for (OutputColumn &o : p_.outputs) o.slot = map[o.slot];
        for (FlowTerm &t : p_.flow_terms) t.slot = map[t.slot];
        for (DelayLine &l : p_.delays) l = {map[l.input], map[l.delay_time], map[l.initial]};
        for (RandomCall &r : p_.randoms) {
            r.p1 = map[r.p1];
            r.p2 = map[r.p2];
            r.seed = map[r.seed];
            r.low = map[r.low];
            r.high = map[r.high];
        }
        for (auto &list : p_.lists)
            for (uint32_t &slot : list) slot = map[slot];
        for (ArrayCall &call : p_.array_calls) {
            call.width = map[call.width];
            call.supply = map[call.supply];
        }
        p_.initial_slots.assign(next, 0.0);
        for (const auto &[slot, value] : literal_values_) p_.initial_slots[map[slot]] = value;
        for (const Stock &s : stocks_) p_.stock_non_negative.push_back(s.non_negative ? 1 : 0);
    }

    const Model &m_;
    Program p_;
    std::vector<SlotKind> kinds_;
    std::unordered_map<uint32_t, double> literal_values_;
    std::map<double, uint32_t> literal_slots_;
    std::unordered_map<std::string, uint32_t> dims_;
    std::unordered_map<std::string, size_t> vars_;
    std::vector<VariableInfo> infos_;
    std::deque<Node> nodes_; // a deque: lowering appends nodes while holding references to others
    std::vector<Stock> stocks_;
    std::vector<uint32_t> derivative_slots_;
};

} // namespace

Program compile(const Model &model) {
    Compiler c(model);
    return c.run();
}

} // namespace holon::sd
