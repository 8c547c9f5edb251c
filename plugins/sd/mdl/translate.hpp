// Translates a Vensim expression (for one element of an equation: subscript symbols bound to
// elements) into the IR's equation language, which the compiler parses. Every subscript is
// resolved to concrete elements here (mappings, subranges, `!` of array functions), so the IR
// holds per-element equations the compiler needs no Vensim knowledge for.
#pragma once

#include "mdl/symbols.hpp"

#include <functional>
#include <string>
#include <vector>

namespace holon_sd::mdl {

// Inside a macro instance: its parameters (as translated argument text) and its own variables'
// names in the IR.
struct Scope {
    std::map<std::string, std::string> params;
    std::map<std::string, std::string> renames;
};

// Instantiates a macro for one call: returns the IR name of the instance's output variable.
using MacroExpander = std::function<std::string(const Macro &, const std::vector<std::string> &args)>;

class Translator {
public:
    // `initial_value` evaluates an expression at the initial time (for arguments Vensim fixes
    // there, such as the order of SMOOTH N and DELAY N); it throws ModelError when it cannot.
    using InitialValue = std::function<double(const VExpr &)>;
    // A variant of lookup table `table` (canonical name) read another way ("extrapolate",
    // "backward", "forward", "invert"): returns the IR name of a table made for it.
    using DeriveTable = std::function<std::string(const std::string &table, const std::string &how)>;
    Translator(const Symbols &symbols, MacroExpander expand, InitialValue initial_value, DeriveTable derive)
        : s_(symbols), expand_(std::move(expand)), initial_(std::move(initial_value)), derive_(std::move(derive)) {}

    // Throws ModelError naming the problem (the caller adds the place).
    std::string text(const VExpr &e, const Bindings &b, const Scope *scope = nullptr);

    // The IR spelling of a name: quoted, with '"' and '\' escaped.
    static std::string quote(const std::string &name);
    static std::string number(double v);

private:
    struct Call; // one call of a Vensim function being translated (translate.cpp)
    std::string call(const VExpr &e, const Bindings &b, const Scope *scope);
    std::string reference(const VExpr &e, const Bindings &b, const Scope *scope);
    std::vector<std::string> element_of(const VExpr &e, size_t k,
                                        const std::string &dim, const Bindings &b);
    // Every instance of `e` over the `!` ranges it uses (for SUM, VMIN, VECTOR SELECT, ...).
    std::vector<std::string> expand(const VExpr &e, const Bindings &b, const Scope *scope);
    std::vector<Bindings> bang_bindings(const std::vector<const VExpr *> &exprs, const Bindings &b);
    static std::string fold(const std::vector<std::string> &items, const std::string &op, bool as_call);

    const Symbols &s_;
    MacroExpander expand_;
    InitialValue initial_;
    DeriveTable derive_;
};

} // namespace holon_sd::mdl
