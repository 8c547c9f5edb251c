// Resolving a reference against the variable it reads: which element along each dimension
// (bound by the equation's own dimensions, named, a range, `*`, transposed, or computed at run
// time), and the slots that selects.
#include "compile/lowering.hpp"

#include "ir/names.hpp"

#include <algorithm>
#include <cmath>

namespace holon_sd::compiler {

// The element of dimension `dim` named by a qualified reference "Dim.element", or none.
uint32_t Lowering::qualified_element(uint32_t dim, const std::string &name) const {
    std::string dim_name = canonical_name(s_.model.dimensions[dim].name);
    if (name.size() <= dim_name.size() + 1 || name.compare(0, dim_name.size(), dim_name) != 0 ||
        name[dim_name.size()] != '.')
        return none;
    return s_.element_index(dim, name.substr(dim_name.size() + 1));
}

// The position (1-based) of a qualified element "Dim.element" used as a number, or 0.
uint32_t Lowering::qualified_position(const std::string &name) const {
    for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
        auto it = s_.dims.find(name.substr(0, dot));
        if (it == s_.dims.end()) continue;
        if (uint32_t e = s_.element_index(it->second, name.substr(dot + 1)); e != none) return e + 1;
    }
    return 0;
}

uint32_t Lowering::dimension_size(const std::string &canonical_dim) const {
    return static_cast<uint32_t>(s_.model.dimensions[s_.dims.at(canonical_dim)].elements.size());
}

// The elements of dimension k of `vi` that the range `first:last` spans (ends inclusive).
std::vector<uint32_t> Lowering::range_elements(Ctx &c, const VariableInfo &vi, size_t k, const Expr &range) {
    const Dimension &dim = s_.model.dimensions[vi.dims[k]];
    auto end = [&](const Expr &x) -> uint32_t {
        if (x.kind == ExprKind::number) {
            if (x.value != std::floor(x.value) || x.value < 1 || x.value > vi.sizes[k])
                fail_node(c, "range end " + format_number(x.value) + " is outside 1.." + std::to_string(vi.sizes[k]) +
                                 " (dimension '" + dim.name + "' of '" + vi.v->name + "')");
            return static_cast<uint32_t>(x.value) - 1;
        }
        if (x.kind == ExprKind::name) {
            uint32_t e = s_.element_index(vi.dims[k], x.name);
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

std::string Lowering::format_number(double v) {
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
Lowering::Selection Lowering::resolve(Ctx &c, const VariableInfo &vi, const Expr *subscript, bool transposed, bool allow_many) {
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
        const Dimension &dim = s_.model.dimensions[vi.dims[k]];
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
            // Outside an array function a built-in applies element by element (SIN(a[*]) in an
            // equation over the same dimension is SIN(a[D]) for each element of D), as Stella
            // computes it: '*' stands for the element being defined.
            if (!allow_many) {
                uint32_t b = bound(dim_name);
                if (b == none) fail_node(c, "'*' in a subscript of '" + vi.v->name + "' outside an array function");
                ch.elements = {b};
                continue;
            }
            span();
        } else if (s.kind == ExprKind::range) {
            ch.elements = range_elements(c, vi, k, s);
            ch.many = true;
        } else if (s.kind == ExprKind::name && s.name == dim_name) {
            if (uint32_t b = bound(dim_name); b != none) ch.elements = {b};
            else unbound_dimension("dimension '" + dim.name + "' used as a subscript where it is not bound");
        } else if (uint32_t e = s.kind == ExprKind::name ? s_.element_index(vi.dims[k], s.name) : none; e != none) {
            ch.elements = {e};
        } else if (e = s.kind == ExprKind::name ? qualified_element(vi.dims[k], s.name) : none; e != none) {
            ch.elements = {e};
        } else if (s.kind == ExprKind::name && s_.dims.count(s.name)) {
            // Positional mapping between dimensions of equal size.
            uint32_t b = bound(s.name);
            if (b == none || dimension_size(s.name) != vi.sizes[k])
                fail_node(c, "unknown subscript '" + s.name + "' for dimension '" + dim.name + "' of '" +
                                 vi.v->name + "'");
            ch.elements = {b};
        } else if (s.kind == ExprKind::name && !s_.find_variable(s.name) && s.name != "time") {
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
                             " elements where the equation's dimension '" + s_.model.dimensions[s_.dims.at(target_dim)].name +
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
void Lowering::computed_subscript(Ctx &c, const VariableInfo &vi, size_t k, const Expr &s, DimChoice &ch) {
    uint32_t position = lower(c, s);
    double v = 0;
    if (s_.is_literal(position, v)) {
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
std::vector<uint32_t> Lowering::selection_slots(Ctx &c, const VariableInfo &vi, const Selection &sel) {
    std::vector<size_t> computed;
    size_t count = 1;
    bool outside = false;
    for (size_t k = 0; k < sel.dims.size(); ++k) {
        if (sel.dims[k].position != none) computed.push_back(k);
        if (sel.dims[k].many) count *= sel.dims[k].elements.size();
        outside = outside || sel.dims[k].outside;
    }
    if (outside) return std::vector<uint32_t>(count, s_.literal(std::nan("")));
    uint32_t position = none, read = none;
    if (!computed.empty()) {
        size_t stride = 1;
        for (size_t k : computed) stride *= vi.sizes[k];
        indexed_candidates_ += stride * count;
        if (indexed_candidates_ > max_indexed_candidates)
            fail_node(c, "computed subscripts read from over " + std::to_string(max_indexed_candidates) +
                             " array elements in total");
        position = combined_position(c, vi, sel, computed);
        s_.program.lists.emplace_back();
        s_.program.lists.back().reserve(stride * count);
        s_.program.indexed_reads.push_back(IndexedRead{static_cast<uint32_t>(s_.program.lists.size() - 1),
                                               static_cast<uint32_t>(stride),
                                               "variable '" + s_.nodes[c.node].name + "': a subscript of '" +
                                                   vi.v->name + "'"});
        read = static_cast<uint32_t>(s_.program.indexed_reads.size() - 1);
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
            std::vector<uint32_t> &candidates = s_.program.lists[s_.program.indexed_reads[read].list];
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
uint32_t Lowering::combined_position(Ctx &c, const VariableInfo &vi, const Selection &sel, const std::vector<size_t> &computed) {
    if (computed.size() == 1) return sel.dims[computed[0]].position;
    uint32_t acc = none;
    for (size_t k : computed) {
        uint32_t checked = emit(c, Op::subscript_check, sel.dims[k].position, s_.literal(vi.sizes[k]));
        uint32_t zero_based = emit(c, Op::sub, checked, s_.literal(1));
        acc = acc == none ? zero_based : emit(c, Op::add, emit(c, Op::mul, acc, s_.literal(vi.sizes[k])), zero_based);
    }
    return emit(c, Op::add, acc, s_.literal(1));
}

// The value of a reference outside array functions.
uint32_t Lowering::reference_slot(Ctx &c, const VariableInfo &vi, const Expr *subscript, bool transposed) {
    if (vi.table_only) fail_node(c, "'" + vi.v->name + "' is a graphical function; call it with an argument");
    if (vi.dims.empty()) {
        if (transposed) fail_node(c, "'" + vi.v->name + "' is not an array: it cannot be transposed");
        if (subscript) fail_node(c, "'" + vi.v->name + "' is not an array but is subscripted");
        return variable_slot(c, vi, 0);
    }
    return selection_slots(c, vi, resolve(c, vi, subscript, transposed, false))[0];
}

uint32_t Lowering::flat_of_binding(const VariableInfo &vi, const Binding &b) const {
    uint32_t flat = 0;
    for (size_t k = 0; k < vi.dims.size(); ++k) flat = flat * vi.sizes[k] + (k < b.size() ? b[k].second : 0);
    return flat;
}

uint32_t Lowering::variable_slot(Ctx &c, const VariableInfo &vi, uint32_t flat) {
    uint32_t n = vi.first_node + flat;
    read_node(c, n);
    return s_.nodes[n].slot;
}

} // namespace holon_sd::compiler
