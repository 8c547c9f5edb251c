// The equation AST. Built once per equation at compile time; never walked during simulation.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace holon_sd {

enum class ExprKind {
    number,    // value
    name,      // a variable (or TIME, DT, ...) — name holds the canonical name
    subscript, // name[args]: args are expressions, `*` wildcards (kind wildcard) or element names
    wildcard,  // `*` inside a subscript
    range,     // `first:last` inside a subscript (args: the two ends, positions or element names)
    transpose, // args[0]' — the reference with the order of its dimensions reversed
    call,      // name(args); name is the canonical upper-case-free function name
    unary,     // op: '-', '+', '!' (NOT)
    binary,    // op: + - * / ^ % (MOD) < > l (<=) g (>=) = # (<>) & (AND) | (OR)
    if_then_else,
};

struct Expr {
    ExprKind kind = ExprKind::number;
    double value = 0;
    std::string name; // canonical name for name/subscript/call
    char op = 0;
    std::vector<std::unique_ptr<Expr>> args; // operands, arguments, or subscripts
    int offset = 0; // character offset in the equation text, for messages
    int depth = 1;  // height of this subtree (bounded by the parser: every walk is recursive)
};

using ExprPtr = std::unique_ptr<Expr>;

// A deep copy (used when one equation body is instantiated for several array elements).
ExprPtr clone(const Expr &e);

} // namespace holon_sd
