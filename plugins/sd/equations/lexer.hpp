// Tokenises an XMILE equation. Names may be quoted ("Room Temperature") or bare
// (Room_Temperature); keywords (IF THEN ELSE AND OR NOT MOD) are case-insensitive. A single
// quote is XMILE's postfix transpose operator (names are only ever quoted with double quotes);
// a colon separates the two ends of a subscript range (a[2:4]).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holon_sd {

enum class TokenKind {
    number, name, op, lparen, rparen, lbracket, rbracket, comma, colon, transpose, kw_if, kw_then, kw_else, end
};

struct Token {
    TokenKind kind = TokenKind::end;
    std::string text; // name: as written, without quotes; op: the operator ("<=", "and", ...)
    double value = 0;
    int offset = 0;
};

// Throws ModelError (with the variable name left empty; the caller adds it) on a bad character.
std::vector<Token> tokenize(std::string_view equation);

// The arguments of the call whose '(' is tokens[open], as the equation's text of each (trimmed;
// none for "f()"), and the index of the matching ')' token. nullopt when the parentheses do not
// balance. Used by the passes that rewrite calls in the text (macro expansion, LTM's builtins).
struct CallArguments {
    std::vector<std::string> args;
    size_t close = 0;
};
std::optional<CallArguments> call_arguments(const std::vector<Token> &tokens, size_t open, std::string_view equation);

} // namespace holon_sd
