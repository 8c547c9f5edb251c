#include "xmile/equation_names.hpp"

#include "equations/lexer.hpp"

namespace holon_sd {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Where the name token starting at `begin` ends: the lexer keeps only its start, so the end is
// the next token's start, less any comment and blanks in between (quoted parts may hold '{').
size_t name_end(std::string_view s, size_t begin, size_t next) {
    size_t end = begin;
    bool quoted = false;
    for (; end < next; ++end) {
        char c = s[end];
        if (quoted) {
            if (c == '\\' && end + 1 < next) ++end;
            else if (c == '"') quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == '{') {
            break;
        }
    }
    while (end > begin && is_blank(s[end - 1])) --end;
    return end;
}

} // namespace

std::string rename_references(std::string_view equation, const RenameFunction &rename) {
    std::vector<Token> tokens = tokenize(equation);
    std::string out;
    out.reserve(equation.size());
    size_t copied = 0;
    int brackets = 0;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
        const Token &t = tokens[i];
        if (t.kind == TokenKind::lbracket) ++brackets;
        if (t.kind == TokenKind::rbracket && brackets > 0) --brackets;
        if (t.kind != TokenKind::name) continue;
        NameReference ref{t.text, tokens[i + 1].kind == TokenKind::lparen, brackets > 0};
        std::optional<std::string> replacement = rename(ref);
        if (!replacement) continue;
        size_t begin = static_cast<size_t>(t.offset);
        size_t end = name_end(equation, begin, static_cast<size_t>(tokens[i + 1].offset));
        out.append(equation.substr(copied, begin - copied));
        out += *replacement;
        copied = end;
    }
    out.append(equation.substr(copied));
    return out;
}

std::vector<std::string> called_names(std::string_view equation) {
    std::vector<std::string> out;
    std::vector<Token> tokens = tokenize(equation);
    for (size_t i = 0; i + 1 < tokens.size(); ++i)
        if (tokens[i].kind == TokenKind::name && tokens[i + 1].kind == TokenKind::lparen) out.push_back(tokens[i].text);
    return out;
}

std::string quoted_name(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

bool is_reserved_name(std::string_view canonical) {
    return canonical == "time" || canonical == "dt" || canonical == "starttime" || canonical == "stoptime" ||
           canonical == "pi" || canonical == "self";
}

} // namespace holon_sd
