// Tokeniser and parser of Vensim expressions (the right-hand side of an equation). Precedence,
// loosest first: :OR: < :AND: < :NOT: < comparisons < + - < * / < unary - + < ^ (right-assoc),
// so -2^2 = -4 as in Vensim.
#pragma once

#include "mdl/vensim_ast.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace holon_sd::mdl {

enum class VTok { number, name, string, op, lparen, rparen, lbracket, rbracket, comma, semicolon, bang, keyword, end };

struct VToken {
    VTok kind = VTok::end;
    std::string text; // name (quotes removed, escapes resolved), op, keyword (upper case, no colons)
    double value = 0;
    bool quoted = false;
    bool newline_before = false; // rows of a TABBED ARRAY
};

// Throws ModelError with the problem (no location: the caller knows the line).
std::vector<VToken> tokenize_vensim(std::string_view text);

// Canonical spelling of a Vensim function or keyword name: upper-case-insensitive, runs of
// spaces/underscores as one space, lower case ("IF THEN ELSE" -> "if then else").
std::string function_key(std::string_view name);

class VParser {
public:
    explicit VParser(std::vector<VToken> tokens) : t_(std::move(tokens)) {}

    // A whole right-hand side: an expression or a list of numbers (`1, 2; 3, 4`).
    VExprPtr parse_rhs();
    VExprPtr parse_expression();
    // The body of a lookup after its opening parenthesis: [range], (x,y), ... )
    VExprPtr parse_lookup_body();

    const VToken &peek(size_t ahead = 0) const { return t_[std::min(pos_ + ahead, t_.size() - 1)]; }
    const VToken &next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
    bool accept(VTok k);
    void expect(VTok k, const char *what);
    bool at_end() const { return peek().kind == VTok::end; }
    [[noreturn]] void fail(const std::string &what) const;

private:
    VExprPtr expr(int min_bp);
    VExprPtr prefix();
    VExprPtr reference(const VToken &t);
    VExprPtr sized(VExprPtr e) const;
    double signed_number();
    bool looks_like_lookup() const;

    std::vector<VToken> t_;
    size_t pos_ = 0;
    int depth_ = 0;
};

} // namespace holon_sd::mdl
