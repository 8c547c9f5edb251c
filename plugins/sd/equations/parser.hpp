// A Pratt parser for XMILE equations. Precedence, loosest first:
//   OR < AND < NOT < comparisons (= <> < <= > >=) < + - < * / MOD < unary - + < ^ (right-assoc)
// Unary minus binds looser than ^, so -2^2 = -4 (as Vensim and Stella do).
#pragma once

#include "equations/ast.hpp"

#include <string_view>

namespace holon_sd {

// Parses one equation. Throws ModelError naming the offset and the problem.
ExprPtr parse_equation(std::string_view equation);

} // namespace holon_sd
