// Array-valued arguments of array functions (SUM(a[*] * b[*]), RANK, ALLOCATE ...): the slots of
// their elements, operands aligned by dimension name, then by position.
#include "compile/lowering.hpp"

#include <algorithm>
#include <limits>

namespace holon_sd::compiler {

std::string Lowering::describe_shape(const ArrayValue &v) const {
    std::string s = "(";
    for (size_t i = 0; i < v.dims.size(); ++i)
        s += (i ? ", " : "") + s_.model.dimensions[v.dims[i].first].name + ": " + std::to_string(v.dims[i].second);
    return s + ")";
}

// `v` laid out like `shape` so that the two combine element by element. As in equations,
// dimensions are matched by name first (m[X, Y] * n[Y, X] pairs m[x, y] with n[y, x]); the
// dimensions no name matches are matched by position, in order, and need equal sizes. A
// dimension spanned twice by one operand and named by the other cannot be matched by name.
Lowering::ArrayValue Lowering::aligned(Ctx &c, const ArrayValue &shape, const ArrayValue &v) const {
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
            fail_node(c, "arrays combined element by element span dimension '" + s_.model.dimensions[dim].name +
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

uint32_t Lowering::element(const ArrayValue &v, size_t i) {
    return v.dims.empty() ? v.slots[0] : v.slots[i];
}

Lowering::ArrayValue Lowering::array_value(Ctx &c, const Expr &e) {
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
            ref.kind == ExprKind::name || ref.kind == ExprKind::subscript ? s_.find_variable(ref.name) : nullptr;
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
std::vector<uint32_t> Lowering::array_slots(Ctx &c, const Expr &arg) {
    const bool transposed = arg.kind == ExprKind::transpose;
    const Expr &ref = transposed ? *arg.args[0] : arg;
    if (ref.kind != ExprKind::name && ref.kind != ExprKind::subscript) {
        if (transposed)
            fail_node(c, "the transpose operator ' applies to a variable or a subscripted variable, not to an "
                         "expression");
        return array_value(c, arg).slots;
    }
    const VariableInfo *vi = s_.find_variable(ref.name);
    if (!vi) fail_node(c, "undefined variable '" + ref.name + "'");
    if (vi->table_only) fail_node(c, "'" + vi->v->name + "' is a graphical function, not an array");
    if (vi->dims.empty()) {
        if (transposed) fail_node(c, "'" + vi->v->name + "' is not an array: it cannot be transposed");
        return {variable_slot(c, *vi, 0)};
    }
    return selection_slots(c, *vi, resolve(c, *vi, ref.kind == ExprKind::subscript ? &ref : nullptr, transposed, true));
}

} // namespace holon_sd::compiler
