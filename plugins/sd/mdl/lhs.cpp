#include "mdl/lhs.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"
#include "mdl/expression.hpp"

namespace holon_sd::mdl {

std::string upper(std::string s) {
    for (char &c : s) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    return s;
}

// Where the left-hand side ends: the text before '=', ':=', '==' or a lookup's '(' outside
// quotes and brackets.
Assign split_equation(const std::string &text, std::string &lhs, std::string &rhs) {
    int bracket = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\') ++i;
            continue;
        }
        if (c == '[') ++bracket;
        if (c == ']') --bracket;
        if (bracket > 0) continue;
        if (c == ':') {
            if (i + 1 < text.size() && text[i + 1] == '=') {
                lhs = text.substr(0, i);
                rhs = text.substr(i + 2);
                return Assign::data;
            }
            size_t close = text.find(':', i + 1);
            if (close == std::string::npos) break;
            i = close - 1; // the closing ':' may start ':='
            if (text.compare(close, 2, ":=") == 0) continue;
            i = close;
            continue;
        }
        if (c == '(') {
            lhs = text.substr(0, i);
            rhs = text.substr(i + 1);
            return Assign::lookup;
        }
        if (c == '=') {
            lhs = text.substr(0, i);
            if (i + 1 < text.size() && text[i + 1] == '=') {
                rhs = text.substr(i + 2);
                return Assign::unchangeable;
            }
            rhs = text.substr(i + 1);
            return Assign::equals;
        }
    }
    lhs = text;
    rhs.clear();
    return Assign::none;
}

namespace {

std::vector<std::string> subscript_list(VParser &p) {
    std::vector<std::string> out;
    do {
        const VToken &t = p.next();
        if (t.kind != VTok::name && t.kind != VTok::number) p.fail("expected a subscript");
        out.push_back(t.text);
        p.accept(VTok::bang);
    } while (p.accept(VTok::comma));
    p.expect(VTok::rbracket, "']'");
    return out;
}

} // namespace

Lhs parse_lhs(const std::string &text) {
    VParser p(tokenize_vensim(text));
    Lhs lhs;
    const VToken &t = p.next();
    if (t.kind != VTok::name && t.kind != VTok::number) p.fail("expected a variable name on the left-hand side");
    lhs.name = t.text;
    lhs.quoted = t.quoted;
    // Vensim accepts a name that starts with a number ("1995", "2050 target"): on the left-hand
    // side it can only be a name, so the words that follow belong to it.
    if (t.kind == VTok::number)
        while ((p.peek().kind == VTok::name && !p.peek().quoted) || p.peek().kind == VTok::number)
            lhs.name += " " + p.next().text;
    if (p.accept(VTok::lbracket)) lhs.subscripts = subscript_list(p);
    while (!p.at_end()) {
        const VToken &k = p.next();
        if (k.kind == VTok::keyword && k.text == "EXCEPT") {
            do {
                p.expect(VTok::lbracket, "'[' after :EXCEPT:");
                lhs.excepts.push_back(subscript_list(p));
            } while (p.accept(VTok::comma));
        } else if (k.kind == VTok::keyword &&
                   (k.text == "INTERPOLATE" || k.text == "RAW" || k.text == "HOLD BACKWARD" || k.text == "LOOK FORWARD")) {
            lhs.data_mode = k.text;
        } else {
            p.fail("unexpected text on the left-hand side");
        }
    }
    return lhs;
}

bool is_range_definition(const std::string &text, std::string &name, std::string &body, bool &equivalence) {
    // NAME: elements   or   NAME <-> OTHER  (NAME bare or quoted, no subscripts)
    size_t i = 0;
    if (!text.empty() && text[0] == '"') {
        i = text.find('"', 1);
        if (i == std::string::npos) return false;
        ++i;
    } else {
        while (i < text.size() && text[i] != ':' && text[i] != '<' && text[i] != '=' && text[i] != '(' && text[i] != '[') ++i;
    }
    size_t j = i;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n')) ++j;
    if (text.compare(j, 3, "<->") == 0) {
        name = trim(text.substr(0, i));
        body = trim(text.substr(j + 3));
        equivalence = true;
        return true;
    }
    if (j >= text.size() || text[j] != ':' || (j + 1 < text.size() && text[j + 1] == '=')) return false;
    size_t close = text.find(':', j + 1);
    if (close != std::string::npos) {
        std::string word = upper(trim(text.substr(j + 1, close - j - 1)));
        if (word == "EXCEPT" || word == "INTERPOLATE" || word == "RAW" || word == "HOLD BACKWARD" || word == "LOOK FORWARD")
            return false;
    }
    name = trim(text.substr(0, i));
    if (name.size() >= 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
    body = trim(text.substr(j + 1));
    equivalence = false;
    return true;
}

// "(a1-a5)" -> a1, a2, ..., a5
std::vector<std::string> numeric_range(const std::string &from, const std::string &to) {
    auto split = [](const std::string &s, std::string &prefix, long &n) {
        size_t k = s.size();
        while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9') --k;
        if (k == s.size() || s.size() - k > 9) return false;
        prefix = s.substr(0, k);
        n = std::stol(s.substr(k));
        return true;
    };
    std::string p1, p2;
    long a = 0, b = 0;
    if (!split(from, p1, a) || !split(to, p2, b) || canonical_name(p1) != canonical_name(p2) || b < a || b - a > 1'000'000)
        throw ModelError("bad numeric subscript range (" + from + "-" + to + ")");
    std::vector<std::string> out;
    for (long k = a; k <= b; ++k) out.push_back(p1 + std::to_string(k));
    return out;
}

} // namespace holon_sd::mdl
