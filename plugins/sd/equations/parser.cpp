#include "equations/parser.hpp"

#include "equations/lexer.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"

#include <algorithm>

namespace holon_sd {

ExprPtr clone(const Expr &e) {
    auto c = std::make_unique<Expr>();
    c->kind = e.kind;
    c->value = e.value;
    c->name = e.name;
    c->op = e.op;
    c->offset = e.offset;
    c->depth = e.depth;
    c->args.reserve(e.args.size());
    for (const auto &a : e.args) c->args.push_back(clone(*a));
    return c;
}

namespace {

// Binding powers (higher binds tighter).
constexpr int bp_or = 1, bp_and = 2, bp_not = 3, bp_compare = 4, bp_add = 5, bp_mul = 6, bp_unary = 7, bp_pow = 8;

struct BinaryOp {
    char op;
    int bp;
};

bool binary_op(const Token &t, BinaryOp &out) {
    if (t.kind != TokenKind::op) return false;
    const std::string &s = t.text;
    if (s == "or") out = {'|', bp_or};
    else if (s == "and") out = {'&', bp_and};
    else if (s == "=") out = {'=', bp_compare};
    else if (s == "<>") out = {'#', bp_compare};
    else if (s == "<") out = {'<', bp_compare};
    else if (s == ">") out = {'>', bp_compare};
    else if (s == "<=") out = {'l', bp_compare};
    else if (s == ">=") out = {'g', bp_compare};
    else if (s == "+") out = {'+', bp_add};
    else if (s == "-") out = {'-', bp_add};
    else if (s == "*") out = {'*', bp_mul};
    else if (s == "/") out = {'/', bp_mul};
    else if (s == "mod") out = {'%', bp_mul};
    else if (s == "^") out = {'^', bp_pow};
    else return false;
    return true;
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    ExprPtr parse_all() {
        ExprPtr e = expr(0);
        if (peek().kind != TokenKind::end) fail("unexpected '" + describe(peek()) + "' after the end of the expression");
        return e;
    }

private:
    const Token &peek() const { return t_[pos_]; }
    const Token &next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
    bool accept(TokenKind k) {
        if (peek().kind != k) return false;
        next();
        return true;
    }
    void expect(TokenKind k, const char *what) {
        if (!accept(k)) fail(std::string("expected ") + what + " but found '" + describe(peek()) + "'");
    }
    static std::string describe(const Token &t) {
        switch (t.kind) {
        case TokenKind::number: return t.text;
        case TokenKind::name: return t.text;
        case TokenKind::op: return t.text;
        case TokenKind::lparen: return "(";
        case TokenKind::rparen: return ")";
        case TokenKind::lbracket: return "[";
        case TokenKind::rbracket: return "]";
        case TokenKind::comma: return ",";
        case TokenKind::colon: return ":";
        case TokenKind::transpose: return "'";
        case TokenKind::kw_if: return "IF";
        case TokenKind::kw_then: return "THEN";
        case TokenKind::kw_else: return "ELSE";
        case TokenKind::end: return "end of equation";
        }
        return "?";
    }
    [[noreturn]] void fail(const std::string &what) const {
        throw ModelError(what + " at character " + std::to_string(peek().offset + 1));
    }

    static ExprPtr node(ExprKind k, int offset) {
        auto e = std::make_unique<Expr>();
        e->kind = k;
        e->offset = offset;
        return e;
    }

    // Nesting beyond this is refused rather than recursed into (hostile input; the compiler
    // walks the tree recursively too).
    static constexpr int max_depth = 256;
    static constexpr int max_tree_height = 1000;

    // Sets the node's height from its operands and refuses trees too tall to walk recursively
    // (a chain like 1+1+1+... is built iteratively but walked recursively later).
    ExprPtr sized(ExprPtr e) const {
        for (const auto &a : e->args) e->depth = std::max(e->depth, a->depth + 1);
        if (e->depth > max_tree_height)
            fail("expression more than " + std::to_string(max_tree_height) + " operations deep");
        return e;
    }

    ExprPtr expr(int min_bp) {
        if (++depth_ > max_depth) fail("expression nested deeper than " + std::to_string(max_depth) + " levels");
        ExprPtr lhs = prefix();
        for (;;) {
            if (postfix_not(min_bp)) {
                auto e = node(ExprKind::unary, next().offset);
                e->op = '!';
                e->args.push_back(std::move(lhs));
                lhs = sized(std::move(e));
                continue;
            }
            BinaryOp op{};
            if (!binary_op(peek(), op) || op.bp < min_bp) break;
            int offset = next().offset;
            // ^ is right-associative: its right side may hold another ^.
            ExprPtr rhs = expr(op.op == '^' ? op.bp : op.bp + 1);
            auto b = node(ExprKind::binary, offset);
            b->op = op.op;
            b->args.push_back(std::move(lhs));
            b->args.push_back(std::move(rhs));
            lhs = sized(std::move(b));
        }
        --depth_;
        return lhs;
    }

    // Stella 10 writes Vensim's :NOT: x as "x not" (test_logicals.stmx: "IF false_input not THEN")
    // and simulates it as NOT x. A `not` that nothing can follow as an operand is that postfix form.
    bool postfix_not(int min_bp) const {
        if (min_bp > bp_not || peek().kind != TokenKind::op || peek().text != "not") return false;
        TokenKind after = t_[std::min(pos_ + 1, t_.size() - 1)].kind;
        return after == TokenKind::kw_then || after == TokenKind::kw_else || after == TokenKind::rparen ||
               after == TokenKind::rbracket || after == TokenKind::comma || after == TokenKind::end;
    }

    // A primary followed by any number of transpose operators: a'' is a again.
    ExprPtr prefix() {
        ExprPtr e = operand();
        while (peek().kind == TokenKind::transpose) {
            int offset = next().offset;
            if (e->kind == ExprKind::transpose) {
                e = std::move(e->args[0]);
                continue;
            }
            auto t = node(ExprKind::transpose, offset);
            t->args.push_back(std::move(e));
            e = sized(std::move(t));
        }
        return e;
    }

    ExprPtr operand() {
        const size_t at = pos_;
        const Token &t = next();
        switch (t.kind) {
        case TokenKind::number: {
            auto e = node(ExprKind::number, t.offset);
            e->value = t.value;
            return e;
        }
        case TokenKind::name: return name_or_call(t);
        case TokenKind::lparen: {
            ExprPtr e = expr(0);
            expect(TokenKind::rparen, "')'");
            return e;
        }
        case TokenKind::kw_if: {
            auto e = node(ExprKind::if_then_else, t.offset);
            e->args.push_back(expr(0));
            expect(TokenKind::kw_then, "THEN");
            e->args.push_back(expr(0));
            expect(TokenKind::kw_else, "ELSE");
            e->args.push_back(expr(0));
            return sized(std::move(e));
        }
        case TokenKind::op:
            if (t.text == "-" || t.text == "+") {
                auto e = node(ExprKind::unary, t.offset);
                e->op = t.text[0];
                e->args.push_back(expr(bp_unary));
                return sized(std::move(e));
            }
            if (t.text == "not") {
                auto e = node(ExprKind::unary, t.offset);
                e->op = '!';
                e->args.push_back(expr(bp_not));
                return sized(std::move(e));
            }
            break;
        default: break;
        }
        pos_ = at; // so that the message points at this token (next() does not move past the end)
        fail("unexpected '" + describe(t) + "'");
    }

    ExprPtr name_or_call(const Token &t) {
        if (accept(TokenKind::lparen)) {
            auto e = node(ExprKind::call, t.offset);
            e->name = canonical_name(t.text);
            if (!accept(TokenKind::rparen)) {
                do e->args.push_back(expr(0));
                while (accept(TokenKind::comma));
                expect(TokenKind::rparen, "')' or ','");
            }
            return sized(std::move(e));
        }
        if (accept(TokenKind::lbracket)) {
            auto e = node(ExprKind::subscript, t.offset);
            e->name = canonical_name(t.text);
            do {
                if (peek().kind == TokenKind::op && peek().text == "*") {
                    e->args.push_back(node(ExprKind::wildcard, next().offset));
                } else {
                    ExprPtr first = expr(0);
                    if (peek().kind == TokenKind::colon) {
                        auto r = node(ExprKind::range, next().offset);
                        r->args.push_back(std::move(first));
                        r->args.push_back(expr(0));
                        first = sized(std::move(r));
                    }
                    e->args.push_back(std::move(first));
                }
            } while (accept(TokenKind::comma));
            expect(TokenKind::rbracket, "']' or ','");
            return sized(std::move(e));
        }
        auto e = node(ExprKind::name, t.offset);
        e->name = canonical_name(t.text);
        return e;
    }

    std::vector<Token> t_;
    size_t pos_ = 0;
    int depth_ = 0;
};

} // namespace

ExprPtr parse_equation(std::string_view equation) {
    Parser p(tokenize(equation));
    return p.parse_all();
}

} // namespace holon_sd
