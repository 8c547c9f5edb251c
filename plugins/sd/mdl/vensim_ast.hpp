// The syntax tree of one Vensim expression, before translation to the IR's equation language.
// Kept separate from equations/ast.hpp because Vensim has forms the IR never sees: `!` on
// subscripts, lookup literals, string arguments of the GET ... functions, number lists.
#pragma once

#include "ir/model.hpp" // vensim_na

#include <memory>
#include <string>
#include <vector>

namespace holon_sd::mdl {

enum class VKind {
    number,
    na,        // :NA:
    name,      // a reference, maybe subscripted (subscripts)
    call,      // name(args)
    unary,     // op '-', '+', '!' (:NOT:)
    binary,    // op + - * / ^ < > l g = # & |
    lookup,    // a lookup literal: xs, ys (and the optional range, kept for round trips)
    string,    // 'text' (file names, cells of the GET ... functions)
    list,      // numbers of a constant array: rows separated by ';' (rows), or TABBED ARRAY
};

struct VSubscript {
    std::string name; // as written (element, dimension or subrange)
    bool bang = false; // `dim!`: the whole range, for array functions
};

struct VExpr {
    VKind kind = VKind::number;
    double value = 0;
    std::string name; // name, call (canonical function name for calls), string text
    char op = 0;
    std::vector<VSubscript> subscripts;
    std::vector<std::unique_ptr<VExpr>> args;
    std::vector<double> xs, ys;              // lookup
    bool has_range = false;
    double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
    std::vector<std::vector<double>> rows;   // list
    int depth = 1;
};

using VExprPtr = std::unique_ptr<VExpr>;

} // namespace holon_sd::mdl
