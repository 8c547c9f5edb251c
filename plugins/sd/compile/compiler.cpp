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

namespace holon_sd {

namespace {

constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
// Bounds that keep a hostile model from exhausting memory (or overflowing slot numbers).
constexpr uint32_t max_elements = 1u << 20;
// Every reference with a computed subscript lists the elements it may read; bounded in total.
constexpr size_t max_indexed_candidates = size_t{1} << 24;

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

    // How a reference selects along one dimension of the variable it reads.
    struct DimChoice {
        std::vector<uint32_t> elements; // the element indexes it may select
        bool many = false;              // a range, `*` or an unbound dimension: spans `elements`
        uint32_t position = none;       // a computed subscript: the slot of its 1-based position
        bool outside = false;           // a computed subscript known to fall outside the dimension
    };

    // A reference resolved against the variable it reads: per dimension, what it selects; `order`
    // lists the spanned dimensions in the order the reference presents them (reversed when transposed).
    struct Selection {
        std::vector<DimChoice> dims;
        std::vector<size_t> order;
    };

    // The element of dimension `dim` named by a qualified reference "Dim.element", or none.
    uint32_t qualified_element(uint32_t dim, const std::string &name) const {
        std::string dim_name = canonical_name(m_.dimensions[dim].name);
        if (name.size() <= dim_name.size() + 1 || name.compare(0, dim_name.size(), dim_name) != 0 ||
            name[dim_name.size()] != '.')
            return none;
        return element_index(dim, name.substr(dim_name.size() + 1));
    }

    // The position (1-based) of a qualified element "Dim.element" used as a number, or 0.
    uint32_t qualified_position(const std::string &name) const {
        for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
            auto it = dims_.find(name.substr(0, dot));
            if (it == dims_.end()) continue;
            if (uint32_t e = element_index(it->second, name.substr(dot + 1)); e != none) return e + 1;
        }
        return 0;
    }

    uint32_t dimension_size(const std::string &canonical_dim) const {
        return static_cast<uint32_t>(m_.dimensions[dims_.at(canonical_dim)].elements.size());
    }

    // The elements of dimension k of `vi` that the range `first:last` spans (ends inclusive).
    std::vector<uint32_t> range_elements(Ctx &c, const VariableInfo &vi, size_t k, const Expr &range) {
        const Dimension &dim = m_.dimensions[vi.dims[k]];
        auto end = [&](const Expr &x) -> uint32_t {
            if (x.kind == ExprKind::number) {
                if (x.value != std::floor(x.value) || x.value < 1 || x.value > vi.sizes[k])
                    fail_node(c, "range end " + format_number(x.value) + " is outside 1.." + std::to_string(vi.sizes[k]) +
                                     " (dimension '" + dim.name + "' of '" + vi.v->name + "')");
                return static_cast<uint32_t>(x.value) - 1;
            }
            if (x.kind == ExprKind::name) {
                uint32_t e = element_index(vi.dims[k], x.name);
                if (e == none) e = qualified_element(vi.dims[k], x.name);
                if (e == none)
                    fail_node(c, "range end '" + x.name + "' is not an element of dimension '" + dim.name + "' of '" +
                                     vi.v->name + "'");
                return e;
            }
            fail_node(c, "the ends of a range must be positions or element names (in a subscript of '" + vi.v->name +
                             "')");
        };
        uint32_t first = end(*range.args[0]), last = end(*range.args[1]);
        if (first > last)
            fail_node(c, "range of '" + vi.v->name + "' is empty: its first end comes after its last");
        std::vector<uint32_t> out;
        for (uint32_t e = first; e <= last; ++e) out.push_back(e);
        return out;
    }

    static std::string format_number(double v) {
        std::string s = std::to_string(v);
        s.erase(s.find_last_not_of('0') + 1);
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    }

    // Resolves a reference to array `vi` (subscripts, or none for a bare name; `transposed` for
    // `'`). Outside array functions (allow_many false) every dimension ends with one element, or a
    // computed position: dimensions bound by name take the element of the equation being
    // defined; ranges and the dimensions of a transposed reference that no name matches are
    // matched, in order, with the equation's dimensions that no name matched.
    Selection resolve(Ctx &c, const VariableInfo &vi, const Expr *subscript, bool transposed, bool allow_many) {
        Selection sel;
        sel.dims.resize(vi.dims.size());
        if (subscript && subscript->args.size() != vi.dims.size())
            fail_node(c, "'" + vi.v->name + "' has " + std::to_string(vi.dims.size()) + " dimensions but is given " +
                             std::to_string(subscript->args.size()) + " subscripts");
        const Binding &target = binding(c);
        std::vector<uint8_t> matched(target.size(), 0); // the equation's dimensions matched by name
        auto bound = [&](const std::string &name) -> uint32_t {
            for (size_t i = 0; i < target.size(); ++i)
                if (target[i].first == name) {
                    matched[i] = 1;
                    return target[i].second;
                }
            return none;
        };
        for (size_t k = 0; k < vi.dims.size(); ++k) {
            const Dimension &dim = m_.dimensions[vi.dims[k]];
            const std::string dim_name = canonical_name(dim.name);
            if (vi.sizes[k] == 0) fail_node(c, "dimension '" + dim.name + "' of '" + vi.v->name + "' has no elements");
            DimChoice &ch = sel.dims[k];
            auto span = [&] {
                ch.elements.resize(vi.sizes[k]);
                for (uint32_t i = 0; i < vi.sizes[k]; ++i) ch.elements[i] = i;
                ch.many = true;
            };
            // Outside array functions only a transposed reference spans an unbound dimension
            // (matched by position below).
            auto unbound_dimension = [&](const std::string &what) {
                if (allow_many || transposed) span();
                else fail_node(c, what);
            };
            if (!subscript) {
                if (uint32_t b = bound(dim_name); b != none) ch.elements = {b};
                else unbound_dimension("'" + vi.v->name + "' is an array over '" + dim.name + "' and needs a subscript here");
                continue;
            }
            const Expr &s = *subscript->args[k];
            if (s.kind == ExprKind::wildcard) {
                if (!allow_many) fail_node(c, "'*' in a subscript of '" + vi.v->name + "' outside an array function");
                span();
            } else if (s.kind == ExprKind::range) {
                ch.elements = range_elements(c, vi, k, s);
                ch.many = true;
            } else if (s.kind == ExprKind::name && s.name == dim_name) {
                if (uint32_t b = bound(dim_name); b != none) ch.elements = {b};
                else unbound_dimension("dimension '" + dim.name + "' used as a subscript where it is not bound");
            } else if (uint32_t e = s.kind == ExprKind::name ? element_index(vi.dims[k], s.name) : none; e != none) {
                ch.elements = {e};
            } else if (e = s.kind == ExprKind::name ? qualified_element(vi.dims[k], s.name) : none; e != none) {
                ch.elements = {e};
            } else if (s.kind == ExprKind::name && dims_.count(s.name)) {
                // Positional mapping between dimensions of equal size.
                uint32_t b = bound(s.name);
                if (b == none || dimension_size(s.name) != vi.sizes[k])
                    fail_node(c, "unknown subscript '" + s.name + "' for dimension '" + dim.name + "' of '" +
                                     vi.v->name + "'");
                ch.elements = {b};
            } else if (s.kind == ExprKind::name && !find_variable(s.name) && s.name != "time") {
                fail_node(c, "unknown subscript '" + s.name + "' for dimension '" + dim.name + "' of '" + vi.v->name + "'");
            } else if (s.kind == ExprKind::number) {
                double v = s.value;
                if (v < 1 || v > vi.sizes[k] || v != std::floor(v))
                    fail_node(c, "subscript " + format_number(v) + " out of range 1.." + std::to_string(vi.sizes[k]) +
                                     " for '" + vi.v->name + "'");
                ch.elements = {static_cast<uint32_t>(v) - 1};
            } else {
                computed_subscript(c, vi, k, s, ch);
            }
        }
        for (size_t k = 0; k < sel.dims.size(); ++k)
            if (sel.dims[k].many) sel.order.push_back(k);
        if (transposed) std::reverse(sel.order.begin(), sel.order.end());
        if (allow_many || sel.order.empty()) return sel;
        std::vector<size_t> free;
        for (size_t i = 0; i < target.size(); ++i)
            if (!matched[i]) free.push_back(i);
        if (free.size() != sel.order.size())
            fail_node(c, "'" + vi.v->name + "' spans " + std::to_string(sel.order.size()) +
                             " dimension(s) here but the equation has " + std::to_string(free.size()) +
                             " dimension(s) left to match them with (by position)");
        for (size_t i = 0; i < free.size(); ++i) {
            DimChoice &ch = sel.dims[sel.order[i]];
            const std::string &target_dim = target[free[i]].first;
            uint32_t size = dimension_size(target_dim);
            if (size != ch.elements.size())
                fail_node(c, "'" + vi.v->name + "' spans " + std::to_string(ch.elements.size()) +
                                 " elements where the equation's dimension '" + m_.dimensions[dims_.at(target_dim)].name +
                                 "' has " + std::to_string(size));
            ch.elements = {ch.elements[target[free[i]].second]};
            ch.many = false;
        }
        sel.order.clear();
        return sel;
    }

    // A subscript computed at run time (a variable, TIME, any expression): its 1-based position
    // is read when the equation is evaluated, so the reference may read any element of that
    // dimension. A position that turns out constant selects its element statically, or NaN when
    // outside: the first element's a[D - 1] is usually guarded (IF D = 1 THEN ... ELSE a[D - 1]),
    // and IF evaluates both branches, so no warning for it.
    void computed_subscript(Ctx &c, const VariableInfo &vi, size_t k, const Expr &s, DimChoice &ch) {
        uint32_t position = lower(c, s);
        double v = 0;
        if (is_literal(position, v)) {
            double whole = std::floor(v + position_tolerance);
            bool inside = whole >= 1 && whole <= vi.sizes[k];
            ch.elements = {inside ? static_cast<uint32_t>(whole) - 1 : 0};
            ch.outside = !inside;
            return;
        }
        ch.elements.resize(vi.sizes[k]);
        for (uint32_t i = 0; i < vi.sizes[k]; ++i) ch.elements[i] = i;
        ch.position = position;
    }

    // The slots a resolved reference reads, row-major over its spanned dimensions in their
    // presented order. A reference with computed subscripts reads through `index` instructions over
    // every element the positions may select (so the dependency order sees them all): one list and
    // one IndexedRead for the whole reference, each spanned element owning a stretch of the list.
    std::vector<uint32_t> selection_slots(Ctx &c, const VariableInfo &vi, const Selection &sel) {
        std::vector<size_t> computed;
        size_t count = 1;
        bool outside = false;
        for (size_t k = 0; k < sel.dims.size(); ++k) {
            if (sel.dims[k].position != none) computed.push_back(k);
            if (sel.dims[k].many) count *= sel.dims[k].elements.size();
            outside = outside || sel.dims[k].outside;
        }
        if (outside) return std::vector<uint32_t>(count, literal(std::nan("")));
        uint32_t position = none, read = none;
        if (!computed.empty()) {
            size_t stride = 1;
            for (size_t k : computed) stride *= vi.sizes[k];
            indexed_candidates_ += stride * count;
            if (indexed_candidates_ > max_indexed_candidates)
                fail_node(c, "computed subscripts read from over " + std::to_string(max_indexed_candidates) +
                                 " array elements in total");
            position = combined_position(c, vi, sel, computed);
            p_.lists.emplace_back();
            p_.lists.back().reserve(stride * count);
            p_.indexed_reads.push_back(IndexedRead{static_cast<uint32_t>(p_.lists.size() - 1),
                                                   static_cast<uint32_t>(stride),
                                                   "variable '" + nodes_[c.node].name + "': a subscript of '" +
                                                       vi.v->name + "'"});
            read = static_cast<uint32_t>(p_.indexed_reads.size() - 1);
        }
        std::vector<uint32_t> idx(sel.dims.size(), 0);
        for (size_t k = 0; k < sel.dims.size(); ++k) idx[k] = sel.dims[k].elements[0];
        auto flat = [&] {
            uint32_t f = 0;
            for (size_t k = 0; k < idx.size(); ++k) f = f * vi.sizes[k] + idx[k];
            return f;
        };
        std::vector<uint32_t> slots;
        std::vector<size_t> counter(sel.order.size(), 0);
        for (;;) {
            for (size_t i = 0; i < sel.order.size(); ++i) idx[sel.order[i]] = sel.dims[sel.order[i]].elements[counter[i]];
            if (computed.empty()) {
                slots.push_back(variable_slot(c, vi, flat()));
            } else {
                std::vector<uint32_t> &candidates = p_.lists[p_.indexed_reads[read].list];
                auto stretch = static_cast<uint32_t>(slots.size());
                std::vector<uint32_t> inner(computed.size(), 0);
                for (;;) {
                    for (size_t i = 0; i < computed.size(); ++i) idx[computed[i]] = inner[i];
                    candidates.push_back(variable_slot(c, vi, flat()));
                    size_t i = computed.size();
                    while (i > 0 && ++inner[i - 1] == vi.sizes[computed[i - 1]]) inner[--i] = 0;
                    if (i == 0) break;
                }
                slots.push_back(emit(c, Op::index, read, position, stretch));
            }
            size_t i = sel.order.size();
            while (i > 0 && ++counter[i - 1] == sel.dims[sel.order[i - 1]].elements.size()) counter[--i] = 0;
            if (i == 0) break;
        }
        return slots;
    }

    // The 1-based position among the candidates (row-major over the computed dimensions) of a
    // reference with computed subscripts. With several, each is checked against its own
    // dimension first, so that an out-of-range one is not carried into a valid flat position.
    uint32_t combined_position(Ctx &c, const VariableInfo &vi, const Selection &sel, const std::vector<size_t> &computed) {
        if (computed.size() == 1) return sel.dims[computed[0]].position;
        uint32_t acc = none;
        for (size_t k : computed) {
            uint32_t checked = emit(c, Op::subscript_check, sel.dims[k].position, literal(vi.sizes[k]));
            uint32_t zero_based = emit(c, Op::sub, checked, literal(1));
            acc = acc == none ? zero_based : emit(c, Op::add, emit(c, Op::mul, acc, literal(vi.sizes[k])), zero_based);
        }
        return emit(c, Op::add, acc, literal(1));
    }

    // The value of a reference outside array functions.
    uint32_t reference_slot(Ctx &c, const VariableInfo &vi, const Expr *subscript, bool transposed) {
        if (vi.table_only) fail_node(c, "'" + vi.v->name + "' is a graphical function; call it with an argument");
        if (vi.dims.empty()) {
            if (transposed) fail_node(c, "'" + vi.v->name + "' is not an array: it cannot be transposed");
            if (subscript) fail_node(c, "'" + vi.v->name + "' is not an array but is subscripted");
            return variable_slot(c, vi, 0);
        }
        return selection_slots(c, vi, resolve(c, vi, subscript, transposed, false))[0];
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
            if (const VariableInfo *vi = find_variable(e.name)) return reference_slot(c, *vi, nullptr, false);
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
                fail_node(c, "dimension '" + m_.dimensions[dims_.at(e.name)].name +
                                 "' used as a number where the equation is not over it");
            }
            if (uint32_t position = qualified_position(e.name)) return literal(position);
            fail_node(c, "undefined variable '" + e.name + "'");
        }
        case ExprKind::subscript: {
            const VariableInfo *vi = find_variable(e.name);
            if (!vi) fail_node(c, "undefined variable '" + e.name + "'");
            return reference_slot(c, *vi, &e, false);
        }
        case ExprKind::transpose: {
            const Expr &ref = *e.args[0];
            if (ref.kind != ExprKind::name && ref.kind != ExprKind::subscript)
                fail_node(c, "the transpose operator ' applies to a variable or a subscripted variable, not to an expression");
            const VariableInfo *vi = find_variable(ref.name);
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

    Op binary_op(const Ctx &c, char op) const {
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

    // An array-valued expression inside an array function (SUM(a[*] * b[*])): the slots of its
    // elements, row-major over `dims` (model dimension and size of each spanned dimension); a
    // scalar has none.
    struct ArrayValue {
        std::vector<std::pair<uint32_t, size_t>> dims;
        std::vector<uint32_t> slots;
    };

    std::string describe_shape(const ArrayValue &v) const {
        std::string s = "(";
        for (size_t i = 0; i < v.dims.size(); ++i)
            s += (i ? ", " : "") + m_.dimensions[v.dims[i].first].name + ": " + std::to_string(v.dims[i].second);
        return s + ")";
    }

    // `v` laid out like `shape` so that the two combine element by element. As in equations,
    // dimensions are matched by name first (m[X, Y] * n[Y, X] pairs m[x, y] with n[y, x]); the
    // dimensions no name matches are matched by position, in order, and need equal sizes. A
    // dimension spanned twice by one operand and named by the other cannot be matched by name.
    ArrayValue aligned(Ctx &c, const ArrayValue &shape, const ArrayValue &v) const {
        if (shape.dims.empty() || v.dims.empty() || shape.dims == v.dims) return v;
        auto different = [&] {
            fail_node(c, "arrays of different shapes combined element by element: " + describe_shape(shape) + " and " +
                             describe_shape(v));
        };
        auto occurrences = [](const ArrayValue &a, uint32_t dim) {
            return std::count_if(a.dims.begin(), a.dims.end(), [&](const auto &d) { return d.first == dim; });
        };
        const size_t n = shape.dims.size();
        if (v.dims.size() != n) different();
        constexpr size_t unpaired = std::numeric_limits<size_t>::max();
        std::vector<size_t> partner(n, unpaired); // per dimension of `shape`: the dimension of `v` it pairs with
        std::vector<uint8_t> taken(n, 0);
        for (size_t i = 0; i < n; ++i) {
            uint32_t dim = shape.dims[i].first;
            auto in_v = occurrences(v, dim);
            if (in_v == 0) continue;
            if (in_v > 1 || occurrences(shape, dim) > 1)
                fail_node(c, "arrays combined element by element span dimension '" + m_.dimensions[dim].name +
                                 "' more than once: cannot match " + describe_shape(shape) + " with " +
                                 describe_shape(v) + " by name");
            for (size_t j = 0; j < n; ++j)
                if (v.dims[j].first == dim) partner[i] = j;
            taken[partner[i]] = 1;
        }
        size_t next = 0; // the unmatched dimensions pair up in order
        for (size_t i = 0; i < n; ++i) {
            if (partner[i] != unpaired) continue;
            while (taken[next]) ++next;
            partner[i] = next++;
        }
        for (size_t i = 0; i < n; ++i)
            if (shape.dims[i].second != v.dims[partner[i]].second) different();
        // Strides of v's dimensions, then v's elements in shape's row-major order.
        std::vector<size_t> stride(n, 1);
        for (size_t j = n - 1; j-- > 0;) stride[j] = stride[j + 1] * v.dims[j + 1].second;
        ArrayValue out;
        out.dims = shape.dims;
        out.slots.reserve(v.slots.size());
        std::vector<size_t> idx(n, 0);
        for (;;) {
            size_t flat = 0;
            for (size_t i = 0; i < n; ++i) flat += idx[i] * stride[partner[i]];
            out.slots.push_back(v.slots[flat]);
            size_t i = n;
            while (i > 0 && ++idx[i - 1] == shape.dims[i - 1].second) idx[--i] = 0;
            if (i == 0) break;
        }
        return out;
    }

    static uint32_t element(const ArrayValue &v, size_t i) { return v.dims.empty() ? v.slots[0] : v.slots[i]; }

    ArrayValue array_value(Ctx &c, const Expr &e) {
        // The result takes the layout of the first array operand; the others are aligned with it.
        auto elementwise = [&](const std::vector<ArrayValue *> &operands, auto make) {
            const ArrayValue *shape = operands[0];
            for (const ArrayValue *o : operands)
                if (shape->dims.empty()) shape = o;
            ArrayValue out;
            out.dims = shape->dims;
            for (ArrayValue *o : operands)
                if (o != shape) *o = aligned(c, *shape, *o);
            for (size_t i = 0; i < shape->slots.size(); ++i) out.slots.push_back(make(i));
            return out;
        };
        switch (e.kind) {
        case ExprKind::name:
        case ExprKind::subscript:
        case ExprKind::transpose: {
            const bool transposed = e.kind == ExprKind::transpose;
            const Expr &ref = transposed ? *e.args[0] : e;
            const VariableInfo *vi =
                ref.kind == ExprKind::name || ref.kind == ExprKind::subscript ? find_variable(ref.name) : nullptr;
            if (!vi || vi->table_only || vi->dims.empty()) break;
            Selection sel = resolve(c, *vi, ref.kind == ExprKind::subscript ? &ref : nullptr, transposed, true);
            ArrayValue v;
            for (size_t k : sel.order) v.dims.emplace_back(vi->dims[k], sel.dims[k].elements.size());
            v.slots = selection_slots(c, *vi, sel);
            return v;
        }
        case ExprKind::unary: {
            ArrayValue a = array_value(c, *e.args[0]);
            if (e.op == '+') return a;
            Op op = e.op == '-' ? Op::neg : Op::lnot;
            return elementwise({&a}, [&](size_t i) { return emit(c, op, element(a, i)); });
        }
        case ExprKind::binary: {
            ArrayValue a = array_value(c, *e.args[0]);
            ArrayValue b = array_value(c, *e.args[1]);
            Op op = binary_op(c, e.op);
            return elementwise({&a, &b}, [&](size_t i) { return emit(c, op, element(a, i), element(b, i)); });
        }
        case ExprKind::if_then_else: {
            ArrayValue cond = array_value(c, *e.args[0]);
            ArrayValue a = array_value(c, *e.args[1]);
            ArrayValue b = array_value(c, *e.args[2]);
            return elementwise({&cond, &a, &b}, [&](size_t i) {
                return emit(c, Op::select, element(cond, i), element(a, i), element(b, i));
            });
        }
        case ExprKind::call: {
            const FunctionInfo *f = find_function(e.name);
            if (!f || f->kind != FunctionKind::unary || e.args.size() != 1) break;
            ArrayValue a = array_value(c, *e.args[0]);
            return elementwise({&a}, [&](size_t i) { return emit(c, f->op, element(a, i)); });
        }
        default: break;
        }
        return ArrayValue{{}, {lower(c, e)}};
    }

    // The element slots an array function argument selects: a reference (with subscripts,
    // ranges, transposition), or an expression computed element by element.
    std::vector<uint32_t> array_slots(Ctx &c, const Expr &arg) {
        const bool transposed = arg.kind == ExprKind::transpose;
        const Expr &ref = transposed ? *arg.args[0] : arg;
        if (ref.kind != ExprKind::name && ref.kind != ExprKind::subscript) {
            if (transposed)
                fail_node(c, "the transpose operator ' applies to a variable or a subscripted variable, not to an "
                             "expression");
            return array_value(c, arg).slots;
        }
        const VariableInfo *vi = find_variable(ref.name);
        if (!vi) fail_node(c, "undefined variable '" + ref.name + "'");
        if (vi->table_only) fail_node(c, "'" + vi->v->name + "' is a graphical function, not an array");
        if (vi->dims.empty()) {
            if (transposed) fail_node(c, "'" + vi->v->name + "' is not an array: it cannot be transposed");
            return {variable_slot(c, *vi, 0)};
        }
        return selection_slots(c, *vi, resolve(c, *vi, ref.kind == ExprKind::subscript ? &ref : nullptr, transposed, true));
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
    // A material delay's chain of `order` stages, each starting at `init`: the input (computed in
    // the flow node `fc`) enters stage 0; stage k holds what left stage k-1 and not yet itself,
    // and flows out at content / stage_time(k). Returns the last stage's outflow.
    template <class StageTime>
    uint32_t delay_stages(Ctx &c, Ctx &fc, uint32_t input, uint32_t init, int order, StageTime stage_time) {
        uint32_t inflow = new_slot(SlotKind::value);
        emit(fc, Op::copy, input, 0, 0, inflow);
        uint32_t out = none;
        for (int k = 0; k < order; ++k) {
            uint32_t outflow = new_slot(SlotKind::value);
            uint32_t stock = new_stock({inflow}, {outflow});
            nodes_[c.node].init_code.push_back(Instr{Op::copy, stock, init, 0, 0});
            emit(c, Op::div, stock, stage_time(k), 0, outflow);
            inflow = outflow;
            out = outflow;
        }
        return out;
    }

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
            return delay_stages(c, fc, input, init, order, [&](int) { return stage_time; });
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
            return delay_stages(c, fc, input, init, order, [&](int k) {
                return emit(c, Op::div, lagged[static_cast<size_t>(k)], order_literal);
            });
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
                if (in.op != Op::delay && in.op != Op::random && in.op != Op::rank && in.op != Op::array_call &&
                    in.op != Op::index)
                    in.a = map[in.a];
                if (in.op != Op::lookup) in.b = map[in.b];
                if (in.op != Op::index) in.c = map[in.c]; // index: the stretch of its list, not a slot
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
    size_t indexed_candidates_ = 0;
};

} // namespace

Program compile(const Model &model) {
    Compiler c(model);
    return c.run();
}

} // namespace holon_sd
