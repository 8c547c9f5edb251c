// Tokenises an XMILE equation. Names may be quoted ("Room Temperature") or bare
// (Room_Temperature); keywords (IF THEN ELSE AND OR NOT MOD) are case-insensitive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holon::sd {

enum class TokenKind { number, name, op, lparen, rparen, lbracket, rbracket, comma, kw_if, kw_then, kw_else, end };

struct Token {
    TokenKind kind = TokenKind::end;
    std::string text; // name: as written, without quotes; op: the operator ("<=", "and", ...)
    double value = 0;
    int offset = 0;
};

// Throws ModelError (with the variable name left empty; the caller adds it) on a bad character.
std::vector<Token> tokenize(std::string_view equation);

} // namespace holon::sd
