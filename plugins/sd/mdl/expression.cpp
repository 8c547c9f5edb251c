#include "mdl/expression.hpp"

#include "ir/error.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace holon_sd::mdl {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_start(char c) { return is_alpha(c) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c) || c == '\'' || c == '&' || c == '%'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

constexpr int bp_or = 1, bp_and = 2, bp_not = 3, bp_compare = 4, bp_add = 5, bp_mul = 6, bp_unary = 7, bp_pow = 8;
constexpr int max_depth = 200;
constexpr int max_tree_height = 900;

bool binary_op(const VToken &t, char &op, int &bp) {
    if (t.kind == VTok::keyword) {
        if (t.text == "AND") op = '&', bp = bp_and;
        else if (t.text == "OR") op = '|', bp = bp_or;
        else return false;
        return true;
    }
    if (t.kind != VTok::op) return false;
    const std::string &s = t.text;
    if (s == "=") op = '=', bp = bp_compare;
    else if (s == "<>") op = '#', bp = bp_compare;
    else if (s == "<") op = '<', bp = bp_compare;
    else if (s == ">") op = '>', bp = bp_compare;
    else if (s == "<=") op = 'l', bp = bp_compare;
    else if (s == ">=") op = 'g', bp = bp_compare;
    else if (s == "+") op = '+', bp = bp_add;
    else if (s == "-") op = '-', bp = bp_add;
    else if (s == "*") op = '*', bp = bp_mul;
    else if (s == "/") op = '/', bp = bp_mul;
    else if (s == "^") op = '^', bp = bp_pow;
    else return false;
    return true;
}

std::string describe(const VToken &t) {
    switch (t.kind) {
    case VTok::number: case VTok::name: case VTok::op: return t.text;
    case VTok::string: return "'" + t.text + "'";
    case VTok::keyword: return ":" + t.text + ":";
    case VTok::lparen: return "(";
    case VTok::rparen: return ")";
    case VTok::lbracket: return "[";
    case VTok::rbracket: return "]";
    case VTok::comma: return ",";
    case VTok::semicolon: return ";";
    case VTok::bang: return "!";
    case VTok::end: return "end of equation";
    }
    return "?";
}

} // namespace

std::string function_key(std::string_view name) {
    std::string out;
    bool gap = false;
    for (char c : name) {
        if (c == ' ' || c == '_' || c == '\t' || c == '\n' || c == '\r') {
            gap = !out.empty();
            continue;
        }
        if (gap) out += ' ';
        gap = false;
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::vector<VToken> tokenize_vensim(std::string_view s) {
    std::vector<VToken> out;
    size_t i = 0;
    bool newline = false;
    auto fail = [](const std::string &what) -> void { throw ModelError(what); };
    while (i < s.size()) {
        char c = s[i];
        if (is_blank(c)) {
            if (c == '\n') newline = true;
            ++i;
            continue;
        }
        VToken t;
        t.newline_before = newline;
        newline = false;
        if (c == '{') { // a comment
            size_t close = s.find('}', i);
            if (close == std::string_view::npos) fail("unterminated comment '{'");
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
            // An element name such as "1st" or "2a" starts with digits.
            if (i < s.size() && is_name_start(s[i])) {
                while (i < s.size() && is_name_char(s[i])) ++i;
                t.kind = VTok::name;
                t.text = std::string(s.substr(start, i - start));
                out.push_back(std::move(t));
                continue;
            }
            t.text = std::string(s.substr(start, i - start));
            char *end = nullptr;
            t.value = std::strtod(t.text.c_str(), &end);
            if (end != t.text.c_str() + t.text.size()) fail("malformed number '" + t.text + "'");
            t.kind = VTok::number;
            out.push_back(std::move(t));
            continue;
        }
        if (c == '"') {
            std::string name;
            size_t j = i + 1;
            for (; j < s.size() && s[j] != '"'; ++j) {
                // Escapes stay as written: Vensim's own output names the variable that way.
                if (s[j] == '\\' && j + 1 < s.size() && (s[j + 1] == '"' || s[j + 1] == '\\')) name += s[j++];
                name += s[j];
            }
            if (j >= s.size()) fail("unterminated quoted name");
            t.kind = VTok::name;
            t.text = std::move(name);
            t.quoted = true;
            out.push_back(std::move(t));
            i = j + 1;
            continue;
        }
        if (c == '\'') {
            size_t close = s.find('\'', i + 1);
            if (close == std::string_view::npos) fail("unterminated string '");
            t.kind = VTok::string;
            t.text = std::string(s.substr(i + 1, close - i - 1));
            out.push_back(std::move(t));
            i = close + 1;
            continue;
        }
        if (c == ':') {
            size_t close = s.find(':', i + 1);
            if (close == std::string_view::npos || close - i > 40) fail("stray ':'");
            t.kind = VTok::keyword;
            std::string k = function_key(s.substr(i + 1, close - i - 1));
            for (char &ch : k) ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
            t.text = std::move(k);
            out.push_back(std::move(t));
            i = close + 1;
            continue;
        }
        if (is_name_start(c)) {
            size_t start = i;
            size_t end = i;
            // Bare names may hold single spaces between words ("Teacup Temperature").
            while (i < s.size()) {
                if (is_name_char(s[i])) {
                    ++i;
                    end = i;
                    continue;
                }
                size_t j = i;
                while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || s[j] == '_')) ++j;
                if (j > i && j < s.size() && is_name_char(s[j])) {
                    i = j;
                    continue;
                }
                break;
            }
            t.kind = VTok::name;
            t.text = std::string(s.substr(start, end - start));
            out.push_back(std::move(t));
            continue;
        }
        auto two = s.substr(i, 2);
        if (two == "<=" || two == ">=" || two == "<>") {
            t.kind = VTok::op;
            t.text = std::string(two);
            i += 2;
            out.push_back(std::move(t));
            continue;
        }
        switch (c) {
        case '+': case '-': case '*': case '/': case '^': case '<': case '>': case '=':
            t.kind = VTok::op;
            t.text = std::string(1, c);
            break;
        case '(': t.kind = VTok::lparen; break;
        case ')': t.kind = VTok::rparen; break;
        case '[': t.kind = VTok::lbracket; break;
        case ']': t.kind = VTok::rbracket; break;
        case ',': t.kind = VTok::comma; break;
        case ';': t.kind = VTok::semicolon; break;
        case '!': t.kind = VTok::bang; break;
        default: fail(std::string("unexpected character '") + c + "'");
        }
        ++i;
        out.push_back(std::move(t));
    }
    VToken end;
    end.kind = VTok::end;
    out.push_back(end);
    return out;
}

bool VParser::accept(VTok k) {
    if (peek().kind != k) return false;
    next();
    return true;
}

void VParser::expect(VTok k, const char *what) {
    if (!accept(k)) fail(std::string("expected ") + what + " but found '" + describe(peek()) + "'");
}

void VParser::fail(const std::string &what) const { throw ModelError(what); }

VExprPtr VParser::sized(VExprPtr e) const {
    for (const auto &a : e->args) e->depth = std::max(e->depth, a->depth + 1);
    if (e->depth > max_tree_height) fail("expression more than " + std::to_string(max_tree_height) + " operations deep");
    return e;
}

VExprPtr VParser::parse_rhs() {
    // A list of numbers: `1, 2, 3` or rows `1, 2; 3, 4;`.
    size_t save = pos_;
    auto is_num_start = [&] {
        return peek().kind == VTok::number || (peek().kind == VTok::op && (peek().text == "-" || peek().text == "+") &&
                                              peek(1).kind == VTok::number) ||
               (peek().kind == VTok::keyword && peek().text == "NA");
    };
    if (is_num_start()) {
        auto list = std::make_unique<VExpr>();
        list->kind = VKind::list;
        list->rows.emplace_back();
        bool separated = false;
        while (is_num_start()) {
            if (peek().kind == VTok::keyword) {
                next();
                list->rows.back().push_back(vensim_na);
            } else {
                list->rows.back().push_back(signed_number());
            }
            if (list->rows.back().size() + list->rows.size() > 10'000'000) fail("constant list too long");
            if (accept(VTok::comma)) {
                separated = true;
                continue;
            }
            if (accept(VTok::semicolon)) {
                separated = true;
                if (is_num_start()) list->rows.emplace_back();
                continue;
            }
            break;
        }
        if (separated && at_end()) return list;
        pos_ = save;
    }
    VExprPtr e = parse_expression();
    if (!at_end()) fail("unexpected '" + describe(peek()) + "' after the end of the expression");
    return e;
}

VExprPtr VParser::parse_expression() { return expr(0); }

double VParser::signed_number() {
    double sign = 1;
    while (peek().kind == VTok::op && (peek().text == "-" || peek().text == "+")) {
        if (next().text == "-") sign = -sign;
    }
    if (peek().kind != VTok::number) fail("expected a number but found '" + describe(peek()) + "'");
    return sign * next().value;
}

VExprPtr VParser::expr(int min_bp) {
    if (++depth_ > max_depth) fail("expression nested deeper than " + std::to_string(max_depth) + " levels");
    VExprPtr lhs = prefix();
    for (;;) {
        char op = 0;
        int bp = 0;
        if (!binary_op(peek(), op, bp) || bp < min_bp) break;
        next();
        VExprPtr rhs = expr(op == '^' ? bp : bp + 1);
        auto b = std::make_unique<VExpr>();
        b->kind = VKind::binary;
        b->op = op;
        b->args.push_back(std::move(lhs));
        b->args.push_back(std::move(rhs));
        lhs = sized(std::move(b));
    }
    --depth_;
    return lhs;
}

bool VParser::looks_like_lookup() const {
    // After '(' : '[' (a range) or '(' number ',' starts a lookup literal.
    if (peek().kind == VTok::lbracket) return true;
    if (peek().kind != VTok::lparen) return false;
    size_t k = 1;
    if (peek(k).kind == VTok::op && (peek(k).text == "-" || peek(k).text == "+")) ++k;
    return peek(k).kind == VTok::number && peek(k + 1).kind == VTok::comma;
}

VExprPtr VParser::parse_lookup_body() {
    auto e = std::make_unique<VExpr>();
    e->kind = VKind::lookup;
    if (accept(VTok::lbracket)) {
        expect(VTok::lparen, "'(' of a lookup range");
        e->xmin = signed_number();
        expect(VTok::comma, "','");
        e->ymin = signed_number();
        expect(VTok::rparen, "')'");
        if (!(peek().kind == VTok::op && peek().text == "-")) fail("expected '-' in a lookup range");
        next();
        expect(VTok::lparen, "'('");
        e->xmax = signed_number();
        expect(VTok::comma, "','");
        e->ymax = signed_number();
        expect(VTok::rparen, "')'");
        // Vensim may append reference lines: ,(x,y),... inside the brackets.
        while (accept(VTok::comma)) {
            expect(VTok::lparen, "'('");
            signed_number();
            expect(VTok::comma, "','");
            signed_number();
            expect(VTok::rparen, "')'");
        }
        expect(VTok::rbracket, "']'");
        e->has_range = true;
        if (accept(VTok::rparen)) return e;
        expect(VTok::comma, "','");
    }
    if (peek().kind == VTok::lparen) {
        do {
            expect(VTok::lparen, "'(' of a lookup point");
            e->xs.push_back(signed_number());
            expect(VTok::comma, "','");
            e->ys.push_back(signed_number());
            expect(VTok::rparen, "')'");
            if (e->xs.size() > 1'000'000) fail("lookup with more than a million points");
        } while (accept(VTok::comma));
    } else {
        // The old form: all x values, then all y values.
        std::vector<double> all;
        do {
            all.push_back(signed_number());
            if (all.size() > 2'000'000) fail("lookup with more than a million points");
        } while (accept(VTok::comma));
        if (all.size() % 2) fail("lookup lists an odd number of values");
        e->xs.assign(all.begin(), all.begin() + static_cast<long>(all.size() / 2));
        e->ys.assign(all.begin() + static_cast<long>(all.size() / 2), all.end());
    }
    expect(VTok::rparen, "')' closing the lookup");
    return e;
}

VExprPtr VParser::prefix() {
    const VToken &t = next();
    switch (t.kind) {
    case VTok::number: {
        auto e = std::make_unique<VExpr>();
        e->value = t.value;
        return e;
    }
    case VTok::string: {
        auto e = std::make_unique<VExpr>();
        e->kind = VKind::string;
        e->name = t.text;
        return e;
    }
    case VTok::keyword:
        if (t.text == "NA") {
            auto e = std::make_unique<VExpr>();
            e->kind = VKind::na;
            return e;
        }
        if (t.text == "NOT") {
            auto e = std::make_unique<VExpr>();
            e->kind = VKind::unary;
            e->op = '!';
            e->args.push_back(expr(bp_not));
            return sized(std::move(e));
        }
        fail("unexpected ':" + t.text + ":'");
    case VTok::name: return reference(t);
    case VTok::lparen: {
        if (looks_like_lookup()) return parse_lookup_body();
        VExprPtr e = expr(0);
        expect(VTok::rparen, "')'");
        return e;
    }
    case VTok::op:
        if (t.text == "-" || t.text == "+") {
            auto e = std::make_unique<VExpr>();
            e->kind = VKind::unary;
            e->op = t.text[0];
            e->args.push_back(expr(bp_unary));
            return sized(std::move(e));
        }
        break;
    default: break;
    }
    fail("unexpected '" + describe(t) + "'");
}

VExprPtr VParser::reference(const VToken &t) {
    auto e = std::make_unique<VExpr>();
    if (peek().kind == VTok::lparen) {
        e->kind = VKind::call;
        e->name = function_key(t.text);
        next();
        if (e->name == "tabbed array") {
            auto list = std::make_unique<VExpr>();
            list->kind = VKind::list;
            while (peek().kind != VTok::rparen && !at_end()) {
                if (list->rows.empty() || peek().newline_before) list->rows.emplace_back();
                list->rows.back().push_back(signed_number());
            }
            expect(VTok::rparen, "')'");
            return list;
        }
        if (!accept(VTok::rparen)) {
            do {
                if (++depth_ > max_depth) fail("expression nested deeper than " + std::to_string(max_depth) + " levels");
                e->args.push_back(expr(0));
                --depth_;
                if (e->args.size() > 10'000) fail("call with more than 10000 arguments");
            } while (accept(VTok::comma));
            expect(VTok::rparen, "')' or ','");
        }
        return sized(std::move(e));
    }
    e->kind = VKind::name;
    e->name = t.text;
    if (t.quoted) e->value = 1; // marks a quoted name (never a function)
    if (accept(VTok::lbracket)) {
        do {
            const VToken &s = next();
            if (s.kind != VTok::name && s.kind != VTok::number) fail("expected a subscript but found '" + describe(s) + "'");
            VSubscript sub{s.text, false};
            if (accept(VTok::bang)) sub.bang = true;
            e->subscripts.push_back(std::move(sub));
        } while (accept(VTok::comma));
        expect(VTok::rbracket, "']' or ','");
        if (peek().kind == VTok::lparen) {
            // A subscripted lookup called with an input: table[elements](x).
            next();
            e->kind = VKind::call;
            e->args.push_back(expr(0));
            expect(VTok::rparen, "')'");
            return sized(std::move(e));
        }
    }
    return e;
}

} // namespace holon_sd::mdl
