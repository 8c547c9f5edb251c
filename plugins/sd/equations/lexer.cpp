#include "equations/lexer.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <cstdlib>
#include <string>

namespace holon_sd {

namespace {

bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '$' || c == '.'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Keywords are never part of a multi-word bare name.
bool is_keyword(std::string_view word) {
    std::string w = lower(word);
    return w == "if" || w == "then" || w == "else" || w == "and" || w == "or" || w == "not" || w == "mod";
}

Token keyword_or_name(std::string word, int offset) {
    std::string w = lower(word);
    Token t;
    t.offset = offset;
    if (w == "if") t.kind = TokenKind::kw_if;
    else if (w == "then") t.kind = TokenKind::kw_then;
    else if (w == "else") t.kind = TokenKind::kw_else;
    else if (w == "and" || w == "or" || w == "not" || w == "mod") {
        t.kind = TokenKind::op;
        t.text = w;
    } else {
        t.kind = TokenKind::name;
        t.text = std::move(word);
    }
    return t;
}

[[noreturn]] void fail(const std::string &what, size_t offset) {
    throw ModelError(what + " at character " + std::to_string(offset + 1));
}

// Reads the quoted name opening at s[i] into `name`; returns the index after its closing quote.
// \" and \\ inside stand for a quote and a backslash (names imported from Vensim may hold both).
size_t read_quoted(std::string_view s, size_t i, std::string &name) {
    size_t close = i + 1;
    for (; close < s.size() && s[close] != '"'; ++close) {
        if (s[close] == '\\' && close + 1 < s.size() && (s[close + 1] == '"' || s[close + 1] == '\\')) ++close;
        name += s[close];
    }
    if (close >= s.size()) fail("unterminated quoted name", i);
    return close + 1;
}

// A module's variable may be named with quoted parts: "Module 1".Output, Module_1."Out put",
// "Module 1"."Out put" all read as the one name "Module 1.Out put" (XMILE 1.0 section 3.7).
size_t read_qualified_tail(std::string_view s, size_t i, std::string &name) {
    for (;;) {
        if (!name.empty() && name.back() == '.' && i < s.size() && s[i] == '"') {
            i = read_quoted(s, i, name);
        } else if (i + 1 < s.size() && s[i] == '.' && (s[i + 1] == '"' || is_name_start(s[i + 1]))) {
            name += '.';
            ++i;
            if (s[i] != '"')
                while (i < s.size() && is_name_char(s[i])) name += s[i++];
        } else {
            return i;
        }
    }
}

} // namespace

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> tokens;
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (is_space(c)) {
            ++i;
            continue;
        }
        int offset = static_cast<int>(i);
        if (c == '{') { // an inline comment
            size_t close = s.find('}', i);
            if (close == std::string_view::npos) fail("unterminated comment '{'", i);
            i = close + 1;
            continue;
        }
        if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
            size_t start = i;
            while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) ++i;
            if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
                size_t j = i + 1;
                if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
                if (j < s.size() && is_digit(s[j])) {
                    i = j;
                    while (i < s.size() && is_digit(s[i])) ++i;
                }
            }
            std::string text(s.substr(start, i - start));
            char *end = nullptr;
            double v = std::strtod(text.c_str(), &end);
            if (end != text.c_str() + text.size()) fail("malformed number '" + text + "'", start);
            Token t;
            t.kind = TokenKind::number;
            t.value = v;
            t.text = text;
            t.offset = offset;
            tokens.push_back(t);
            continue;
        }
        if (c == '"') {
            std::string name;
            i = read_qualified_tail(s, read_quoted(s, i, name), name);
            Token t;
            t.kind = TokenKind::name;
            t.text = std::move(name);
            t.offset = offset;
            tokens.push_back(t);
            continue;
        }
        if (is_name_start(c)) {
            size_t start = i;
            // Stella writes a line break inside a name as the two characters \n, also in
            // equations (line\nbreak): part of the name, as canonical_name reads it.
            auto escaped_newline = [&](size_t k) {
                return k + 2 < s.size() && s[k] == '\\' && s[k + 1] == 'n' && is_name_char(s[k + 2]);
            };
            while (i < s.size() && (is_name_char(s[i]) || escaped_newline(i))) i += is_name_char(s[i]) ? 1u : 2u;
            std::string word(s.substr(start, i - start));
            // Names converted from Vensim may keep their spaces ("EXPRESSION MACRO"): join bare
            // words separated only by blanks unless one of them is a keyword.
            while (!is_keyword(word)) {
                size_t j = i;
                while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
                if (j == i || j >= s.size() || !is_name_start(s[j])) break;
                size_t k = j;
                while (k < s.size() && is_name_char(s[k])) ++k;
                std::string_view next = s.substr(j, k - j);
                if (is_keyword(next)) break;
                word += ' ';
                word += next;
                i = k;
            }
            if (!word.empty() && word.back() == '.') i = read_qualified_tail(s, i, word);
            tokens.push_back(keyword_or_name(std::move(word), offset));
            continue;
        }
        Token t;
        t.offset = offset;
        auto two = s.substr(i, 2);
        if (two == "<=" || two == ">=" || two == "<>") {
            t.kind = TokenKind::op;
            t.text = std::string(two);
            i += 2;
        } else {
            switch (c) {
            case '+': case '-': case '*': case '/': case '^': case '<': case '>': case '=': case '!':
                t.kind = TokenKind::op;
                t.text = std::string(1, c);
                break;
            case '(': t.kind = TokenKind::lparen; break;
            case ')': t.kind = TokenKind::rparen; break;
            case '[': t.kind = TokenKind::lbracket; break;
            case ']': t.kind = TokenKind::rbracket; break;
            case ',': t.kind = TokenKind::comma; break;
            case ':': t.kind = TokenKind::colon; break;
            case '\'': t.kind = TokenKind::transpose; break;
            default: fail(std::string("unexpected character '") + c + "'", i);
            }
            ++i;
        }
        tokens.push_back(t);
    }
    Token end;
    end.kind = TokenKind::end;
    end.offset = static_cast<int>(s.size());
    tokens.push_back(end);
    return tokens;
}

std::optional<CallArguments> call_arguments(const std::vector<Token> &tokens, size_t open, std::string_view equation) {
    CallArguments out;
    int depth = 0;
    size_t arg_begin = static_cast<size_t>(tokens[open].offset) + 1;
    for (size_t k = open; k < tokens.size(); ++k) {
        const TokenKind kind = tokens[k].kind;
        if (kind == TokenKind::lparen || kind == TokenKind::lbracket) ++depth;
        if (kind == TokenKind::rparen || kind == TokenKind::rbracket) --depth;
        const size_t at = static_cast<size_t>(tokens[k].offset);
        if ((kind == TokenKind::comma && depth == 1) || (kind == TokenKind::rparen && depth == 0)) {
            out.args.push_back(trim(equation.substr(arg_begin, at - arg_begin)));
            arg_begin = at + 1;
        }
        if (depth == 0) {
            out.close = k;
            if (out.args.size() == 1 && out.args[0].empty()) out.args.clear();
            return out;
        }
    }
    return std::nullopt;
}

} // namespace holon_sd
