// The lowering stage: every node's equation becomes instructions. References are resolved against
// the variables they read (compile/references.cpp: subscripts, ranges, transposition, computed
// subscripts; compile/arrays.cpp: array-valued arguments of array functions); a call is lowered
// by the handler its built-in's kind names in one of two tables (compile/calls.cpp for stateless
// built-ins, compile/stateful.cpp for those that add stocks or state: SMTH, DELAY, TREND, ...).
#pragma once

#include "builtins/functions.hpp"
#include "compile/state.hpp"

#include <cstddef>
#include <span>

namespace holon_sd::compiler {

// Every reference with a computed subscript lists the elements it may read; bounded in total.
inline constexpr size_t max_indexed_candidates = size_t{1} << 24;

class Lowering {
public:
    explicit Lowering(CompileState &s) : s_(s) {}

    // Where lowered code goes: the node, its code (start-only or every evaluation) and the
    // dependencies that code records.
    struct Ctx {
        uint32_t node;
        std::vector<Instr> *code;
        std::vector<uint32_t> *deps;
        bool init_phase;
    };

    // Lowers node n (a hidden flow node, filled when its owner was lowered, is skipped).
    void lower_node(uint32_t n);

    // What the built-in handlers (compile/calls.cpp, compile/stateful.cpp) lower with.
    CompileState &state() { return s_; }
    [[noreturn]] void fail_node(const Ctx &c, const std::string &what) const;
    uint32_t emit(Ctx &c, Op op, uint32_t a, uint32_t b = 0, uint32_t cc = 0, uint32_t want = none);
    // Records that the model cannot be integrated by CVODE exactly (see Program::fixed_step_only).
    void fixed_step(const Ctx &c, const std::string &what);
    void note_discrete(const Ctx &c, const GraphicalFunction &gf);
    uint32_t lower(Ctx &c, const Expr &e, uint32_t want = none);
    uint32_t fold(Ctx &c, Op op, const std::vector<uint32_t> &slots);
    double constant_argument(Ctx &c, const Expr &e, const char *what);
    // The value of the call's i-th argument.
    uint32_t arg(Ctx &c, const Expr &e, int i);
    // The element slots an array function argument selects: a reference (with subscripts,
    // ranges, transposition), or an expression computed element by element.
    std::vector<uint32_t> array_slots(Ctx &c, const Expr &arg);

private:
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

    // An array-valued expression inside an array function (SUM(a[*] * b[*])): the slots of its
    // elements, row-major over `dims` (model dimension and size of each spanned dimension); a
    // scalar has none.
    struct ArrayValue {
        std::vector<std::pair<uint32_t, size_t>> dims;
        std::vector<uint32_t> slots;
    };

    // ---- expressions (compile/lowering.cpp) ---------------------------------------------------
    void read_node(Ctx &c, uint32_t n);
    const Binding &binding(const Ctx &c) const;
    Op binary_op(const Ctx &c, char op) const;
    uint32_t lower_call(Ctx &c, const Expr &e, uint32_t want);

    // ---- references (compile/references.cpp) --------------------------------------------------
    // The element of dimension `dim` named by a qualified reference "Dim.element", or none.
    uint32_t qualified_element(uint32_t dim, const std::string &name) const;
    // The position (1-based) of a qualified element "Dim.element" used as a number, or 0.
    uint32_t qualified_position(const std::string &name) const;
    uint32_t dimension_size(const std::string &canonical_dim) const;
    // The elements of dimension k of `vi` that the range `first:last` spans (ends inclusive).
    std::vector<uint32_t> range_elements(Ctx &c, const VariableInfo &vi, size_t k, const Expr &range);
    static std::string format_number(double v);
    // Resolves a reference to array `vi` (subscripts, or none for a bare name; `transposed` for
    // `'`). Outside array functions (allow_many false) every dimension ends with one element, or a
    // computed position: dimensions bound by name take the element of the equation being
    // defined; ranges and the dimensions of a transposed reference that no name matches are
    // matched, in order, with the equation's dimensions that no name matched.
    Selection resolve(Ctx &c, const VariableInfo &vi, const Expr *subscript, bool transposed, bool allow_many);
    // A subscript computed at run time (a variable, TIME, any expression): its 1-based position
    // is read when the equation is evaluated, so the reference may read any element of that
    // dimension. A position that turns out constant selects its element statically, or NaN when
    // outside: the first element's a[D - 1] is usually guarded (IF D = 1 THEN ... ELSE a[D - 1]),
    // and IF evaluates both branches, so no warning for it.
    void computed_subscript(Ctx &c, const VariableInfo &vi, size_t k, const Expr &s, DimChoice &ch);
    // The slots a resolved reference reads, row-major over its spanned dimensions in their
    // presented order. A reference with computed subscripts reads through `index` instructions over
    // every element the positions may select (so the dependency order sees them all): one list and
    // one IndexedRead for the whole reference, each spanned element owning a stretch of the list.
    std::vector<uint32_t> selection_slots(Ctx &c, const VariableInfo &vi, const Selection &sel);
    // The 1-based position among the candidates (row-major over the computed dimensions) of a
    // reference with computed subscripts. With several, each is checked against its own
    // dimension first, so that an out-of-range one is not carried into a valid flat position.
    uint32_t combined_position(Ctx &c, const VariableInfo &vi, const Selection &sel, const std::vector<size_t> &computed);
    // The value of a reference outside array functions.
    uint32_t reference_slot(Ctx &c, const VariableInfo &vi, const Expr *subscript, bool transposed);
    uint32_t flat_of_binding(const VariableInfo &vi, const Binding &b) const;
    uint32_t variable_slot(Ctx &c, const VariableInfo &vi, uint32_t flat);

    // ---- array values (compile/arrays.cpp) ----------------------------------------------------
    std::string describe_shape(const ArrayValue &v) const;
    // `v` laid out like `shape` so that the two combine element by element. As in equations,
    // dimensions are matched by name first (m[X, Y] * n[Y, X] pairs m[x, y] with n[y, x]); the
    // dimensions no name matches are matched by position, in order, and need equal sizes. A
    // dimension spanned twice by one operand and named by the other cannot be matched by name.
    ArrayValue aligned(Ctx &c, const ArrayValue &shape, const ArrayValue &v) const;
    static uint32_t element(const ArrayValue &v, size_t i);
    ArrayValue array_value(Ctx &c, const Expr &e);


    CompileState &s_;
    size_t indexed_candidates_ = 0;
};

// A built-in's handler: lowers the call `e` of `f` (its arity already checked) into `c`.
using CallLowering = uint32_t (*)(Lowering &low, Lowering::Ctx &c, const Expr &e, const FunctionInfo *f, uint32_t want);
struct CallRule {
    FunctionKind kind;
    CallLowering lower;
};
// The handlers by kind of built-in: stateless ones, and those that add stocks or state.
std::span<const CallRule> stateless_calls(); // compile/calls.cpp
std::span<const CallRule> stateful_calls();  // compile/stateful.cpp

} // namespace holon_sd::compiler
