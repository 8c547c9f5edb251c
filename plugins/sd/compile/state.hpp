// What the compiler's stages share: the model being compiled, the program being built, the table of
// slots, and the nodes (one per array element of every variable, plus the hidden ones stateful
// built-ins add). The stages run in this order (compile/compiler.cpp):
//   declare         compile/declarations.cpp  dimensions, variables, element equations -> nodes
//   lower_all       compile/lowering.cpp      each node's equation -> instructions (names and
//                                             subscripts resolved in compile/references.cpp and
//                                             compile/arrays.cpp; calls by compile/calls.cpp and
//                                             compile/stateful.cpp)
//   connect_stocks  compile/ordering.cpp      each stock's inflows and outflows
//   order_and_emit  compile/ordering.cpp      initial and per-step code in dependency order
//   layout          compile/layout.cpp        final slot numbers: stocks, derivatives, the rest
#pragma once

#include "equations/ast.hpp"
#include "ir/model.hpp"
#include "vm/program.hpp"

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace holon_sd::compiler {

inline constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
// Bounds that keep a hostile model from exhausting memory (or overflowing slot numbers).
inline constexpr uint32_t max_elements = 1u << 20;

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

struct CompileState {
    explicit CompileState(const Model &m) : model(m) {}

    const Model &model;
    Program program;
    std::vector<SlotKind> kinds; // per slot, before layout() renumbers them
    std::unordered_map<uint32_t, double> literal_values;
    std::map<double, uint32_t> literal_slots;
    std::unordered_map<std::string, uint32_t> dims; // canonical name -> index in model.dimensions
    std::unordered_map<std::string, size_t> vars;   // canonical name -> index in model.variables
    std::vector<VariableInfo> infos;                // per model variable
    std::deque<Node> nodes; // a deque: lowering appends nodes while holding references to others
    std::vector<Stock> stocks;
    std::vector<uint32_t> derivative_slots; // per stock

    uint32_t new_slot(SlotKind k);
    // The slot holding the constant v (one per distinct value; NaN gets a slot each time).
    uint32_t literal(double v);
    bool is_literal(uint32_t s, double &v) const;
    // The index of element `name` of dimension `dim`, or none.
    uint32_t element_index(uint32_t dim, std::string_view name) const;
    uint32_t add_lookup(const GraphicalFunction &gf);
    const VariableInfo *find_variable(const std::string &canonical) const;
    [[noreturn]] void fail_var(const Variable &v, const std::string &what) const;
};

void declare(CompileState &s);
void lower_all(CompileState &s);
void connect_stocks(CompileState &s);
void order_and_emit(CompileState &s);
void layout(CompileState &s);

} // namespace holon_sd::compiler
