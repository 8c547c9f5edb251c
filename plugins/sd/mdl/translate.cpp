#include "mdl/translate.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

namespace holon_sd::mdl {

namespace {

constexpr size_t max_expansion = 100'000;

std::string paren(const std::string &s) { return "(" + s + ")"; }

// A `range!` runs over its range independently of a plain `range` in the same expression, which
// stays bound by the left-hand side: VECTOR SELECT(s[dim1!, dim2], v[dim2!], ...) in an equation
// for x[dim2] pairs every s[., dim2] with every v element. So the two are bound under different keys.
std::string bang_key(const std::string &range) { return range + "!"; }

void collect_bangs(const VExpr &e, std::vector<std::string> &out) {
    for (const VSubscript &s : e.subscripts)
        if (s.bang) {
            std::string c = canonical_name(s.name);
            if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
        }
    for (const auto &a : e.args) collect_bangs(*a, out);
}

// "vector rank" -> "VECTOR RANK", for messages.
std::string upper_name(std::string name) {
    for (char &ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return name;
}

// Function names Vensim and the IR share (same arguments, same meaning).
const std::set<std::string> &same_functions() {
    static const std::set<std::string> names{"abs", "sqrt", "exp", "ln", "sin", "cos", "tan", "arcsin",
                                             "arccos", "arctan", "step", "ramp"};
    return names;
}

} // namespace

std::string Translator::quote(const std::string &name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string Translator::number(double v) {
    if (std::isnan(v)) return "(0/0)";
    if (std::isinf(v)) return v > 0 ? "(1/0)" : "(-1/0)";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    std::string s = buf;
    return v < 0 ? paren(s) : s;
}

std::string Translator::text(const VExpr &e, const Bindings &b, const Scope *scope) {
    switch (e.kind) {
    case VKind::number: return number(e.value);
    case VKind::na: return number(vensim_na);
    case VKind::name: return reference(e, b, scope);
    case VKind::call: return call(e, b, scope);
    case VKind::unary: {
        std::string a = text(*e.args[0], b, scope);
        if (e.op == '!') return "(NOT " + paren(a) + ")";
        return paren(std::string(1, e.op) + paren(a));
    }
    case VKind::binary: {
        if ((e.op == '=' || e.op == '#') && e.args[0]->kind == VKind::name && e.args[1]->kind == VKind::name) {
            // Two subscripts compared: Vensim compares the elements they stand for.
            auto l = b.find(canonical_name(e.args[0]->name)), r = b.find(canonical_name(e.args[1]->name));
            if (l != b.end() && r != b.end() && !s_.var_names.count(l->first) && !s_.var_names.count(r->first)) {
                bool same = canonical_name(l->second.element) == canonical_name(r->second.element);
                return number(same == (e.op == '=') ? 1 : 0);
            }
        }
        std::string l = text(*e.args[0], b, scope), r = text(*e.args[1], b, scope);
        std::string op;
        switch (e.op) {
        case 'l': op = "<="; break;
        case 'g': op = ">="; break;
        case '#': op = "<>"; break;
        case '&': op = "AND"; break;
        case '|': op = "OR"; break;
        default: op = std::string(1, e.op);
        }
        return paren(paren(l) + " " + op + " " + paren(r));
    }
    case VKind::lookup: throw ModelError("a lookup table is not allowed here");
    case VKind::string: throw ModelError("the text '" + e.name + "' is not allowed here");
    case VKind::list: throw ModelError("a list of numbers is not allowed inside an expression");
    }
    throw ModelError("unknown expression");
}

std::vector<std::string> Translator::element_of(const VExpr &e, size_t k,
                                                const std::string &dim, const Bindings &b) {
    const VSubscript &sub = e.subscripts[k];
    std::string cs = canonical_name(sub.name);
    const Range *target = s_.range(dim);
    auto in_dim = [&](const std::string &element) {
        if (!target) return false;
        std::string c = canonical_name(element);
        for (const std::string &el : target->elements)
            if (canonical_name(el) == c) return true;
        return false;
    };
    auto positional = [&](const Bound &bound, const Range &into) -> std::string {
        if (bound.index < into.elements.size()) return into.elements[bound.index];
        throw ModelError("subscript '" + sub.name + "' maps element '" + bound.element + "' past the end of '" +
                         into.name + "'");
    };
    const Range *r = s_.range(cs);
    if (!r) {
        // An element.
        if (!in_dim(sub.name)) throw ModelError("'" + sub.name + "' is not an element of '" + (target ? target->name : dim) +
                                                "' (in a reference to '" + e.name + "')");
        return {sub.name};
    }
    auto it = b.find(sub.bang ? bang_key(cs) : cs);
    if (it != b.end()) {
        const Bound &bound = it->second;
        if (in_dim(bound.element)) return {bound.element};
        // A mapping from the bound range onto the referenced dimension, or the other way round.
        for (const std::string &m : r->maps_to)
            if (const Range *mr = s_.range(m); mr && (m == dim || mr->root == dim)) {
                if (auto list = r->map_lists.find(m); list != r->map_lists.end() && bound.index < list->second.size())
                    return {list->second[bound.index]};
                return {positional(bound, *mr)};
            }
        if (target) {
            for (const std::string &m : target->maps_to) {
                if (m != cs && m != r->root) continue;
                auto list = target->map_lists.find(m);
                if (list == target->map_lists.end()) return {positional(bound, *target)};
                // Ours -> theirs element by element: find which of ours maps to the bound element.
                std::string want = canonical_name(bound.element);
                for (size_t i = 0; i < list->second.size() && i < target->elements.size(); ++i) {
                    std::string c = canonical_name(list->second[i]);
                    if (c == want) return {target->elements[i]};
                    if (const Range *sub = s_.range(c))
                        for (const std::string &el : sub->elements)
                            if (canonical_name(el) == want) return {target->elements[i]};
                }
            }
            if (target->elements.size() == r->elements.size()) return {positional(bound, *target)};
        }
        throw ModelError("subscript '" + sub.name + "' (bound to '" + bound.element + "') does not select an element of '" +
                         (target ? target->name : dim) + "' in a reference to '" + e.name + "'");
    }
    // A range the equation does not bind directly: a bound symbol of a related range selects it.
    auto inverse = [&](const Range &ours, const std::vector<std::string> &list, const std::string &element) -> std::string {
        std::string want = canonical_name(element);
        for (size_t i = 0; i < list.size() && i < ours.elements.size(); ++i) {
            std::string c = canonical_name(list[i]);
            if (c == want) return ours.elements[i];
            if (const Range *sub = s_.range(c))
                for (const std::string &el : sub->elements)
                    if (canonical_name(el) == want) return ours.elements[i];
        }
        return {};
    };
    for (const auto &[symbol, bound] : b) {
        const Range *br = s_.range(bound.range);
        if (!br) continue;
        bool related = br->root == r->root;
        std::string el;
        bool maps = false;
        if (std::find(br->maps_to.begin(), br->maps_to.end(), cs) != br->maps_to.end()) {
            maps = true;
            auto list = br->map_lists.find(cs);
            el = list == br->map_lists.end() ? positional(bound, *r)
                 : bound.index < list->second.size() ? list->second[bound.index] : std::string();
        } else {
            for (const std::string &m : {bound.range, br->root}) {
                if (std::find(r->maps_to.begin(), r->maps_to.end(), m) == r->maps_to.end()) continue;
                maps = true;
                auto list = r->map_lists.find(m);
                el = list == r->map_lists.end() ? positional(bound, *r) : inverse(*r, list->second, bound.element);
                break;
            }
        }
        if (maps) {
            if (!el.empty() && in_dim(el)) return {el};
        } else if (related) {
            for (const std::string &el : r->elements)
                if (canonical_name(el) == canonical_name(bound.element) && in_dim(el)) return {el};
        }
    }
    if (sub.bang) throw ModelError("'" + sub.name + "!' outside an array function");
    throw ModelError("subscript '" + sub.name + "' in a reference to '" + e.name +
                     "' is not bound by the left-hand side of the equation");
}

std::string Translator::reference(const VExpr &e, const Bindings &b, const Scope *scope) {
    std::string canon = canonical_name(e.name);
    if (!canon.empty() && canon.back() == '$') {
        // Inside a macro, NAME$ is the model's own NAME (Time$, TIME STEP$).
        canon.pop_back();
        while (!canon.empty() && canon.back() == ' ') canon.pop_back();
        scope = nullptr;
    }
    if (scope) {
        if (auto p = scope->params.find(canon); p != scope->params.end()) return paren(p->second);
        if (auto r = scope->renames.find(canon); r != scope->renames.end()) return quote(r->second);
    }
    if (canon == "time") return "TIME";
    // Vensim's named constants of VECTOR SELECT and friends.
    static const std::map<std::string, double> named{{"vssum", 0},       {"vsproduct", 1},       {"vsmin", 2},
                                                     {"vsmax", 3},       {"vserrnone", 0},      {"vserratleastone", 1},
                                                     {"vserratmostone", 2}};
    if (auto it = named.find(canon); it != named.end() && !s_.var_names.count(canon)) return number(it->second);
    if (canon == "time step") return "DT";
    if (canon == "initial time") return "STARTTIME";
    if (canon == "final time") return "STOPTIME";
    auto vn = s_.var_names.find(canon);
    if (vn == s_.var_names.end()) {
        if (s_.range(canon)) {
            // A subscript used as a number: its bound element's position in the full range.
            if (auto it = b.find(canon); it != b.end()) {
                const Range *full = s_.range(s_.range(canon)->root);
                for (size_t i = 0; full && i < full->elements.size(); ++i)
                    if (canonical_name(full->elements[i]) == canonical_name(it->second.element))
                        return number(static_cast<double>(i + 1));
                return number(static_cast<double>(it->second.index + 1));
            }
        }
        throw ModelError("undefined variable '" + e.name + "'");
    }
    const std::vector<std::string> &dims = s_.var_dims.at(canon);
    if (dims.empty()) {
        if (!e.subscripts.empty()) throw ModelError("'" + e.name + "' is not an array but is subscripted");
        return quote(vn->second);
    }
    std::string out = quote(vn->second) + "[";
    if (e.subscripts.empty()) {
        // Unsubscripted: each dimension bound by the equation under the same range.
        for (size_t k = 0; k < dims.size(); ++k) {
            std::string element;
            for (const auto &[symbol, bound] : b) {
                const Range *br = s_.range(bound.range);
                if (br && br->root == dims[k]) element = bound.element;
            }
            if (element.empty()) throw ModelError("'" + e.name + "' is an array and needs subscripts here");
            out += (k ? "," : "") + quote(element);
        }
        return out + "]";
    }
    if (e.subscripts.size() != dims.size())
        throw ModelError("'" + e.name + "' has " + std::to_string(dims.size()) + " dimensions but is given " +
                         std::to_string(e.subscripts.size()) + " subscripts");
    for (size_t k = 0; k < dims.size(); ++k) out += (k ? "," : "") + quote(element_of(e, k, dims[k], b)[0]);
    return out + "]";
}

std::vector<std::string> Translator::expand(const VExpr &e, const Bindings &b, const Scope *scope) {
    std::vector<std::string> out;
    size_t size = 0;
    for (const Bindings &c : bang_bindings({&e}, b)) {
        out.push_back(text(e, c, scope));
        size += out.back().size();
        if (size > (64u << 20)) throw ModelError("an array function whose expansion exceeds 64 MiB of equation text");
    }
    return out;
}

std::vector<Bindings> Translator::bang_bindings(const std::vector<const VExpr *> &exprs, const Bindings &b) {
    std::vector<std::string> bangs;
    for (const VExpr *e : exprs) collect_bangs(*e, bangs);
    std::vector<Bindings> combos{b};
    for (const std::string &bang : bangs) {
        const Range *r = s_.range(bang);
        if (!r) throw ModelError("'" + bang + "!' is not a subscript range");
        std::vector<Bindings> next;
        for (const Bindings &c : combos)
            for (size_t i = 0; i < r->elements.size(); ++i) {
                Bindings nb = c;
                nb[bang_key(bang)] = Bound{r->elements[i], i, bang};
                next.push_back(std::move(nb));
                if (next.size() > max_expansion) throw ModelError("an array function over more than 100000 elements");
            }
        combos = std::move(next);
    }
    return combos;
}

// A balanced tree, so that long lists stay shallow for the equation parser.
std::string Translator::fold(const std::vector<std::string> &items, const std::string &op, bool as_call) {
    if (items.empty()) throw ModelError("an array function over no elements");
    std::vector<std::string> level = items;
    while (level.size() > 1) {
        std::vector<std::string> next;
        for (size_t i = 0; i + 1 < level.size(); i += 2)
            next.push_back(as_call ? op + "(" + level[i] + ", " + level[i + 1] + ")" : paren(level[i] + " " + op + " " + level[i + 1]));
        if (level.size() % 2) next.push_back(level.back());
        level = std::move(next);
    }
    return level[0];
}

std::string Translator::call(const VExpr &e, const Bindings &b, const Scope *scope) {
    const std::string &f = e.name;
    size_t n = e.args.size();
    auto arg = [&](size_t i) { return paren(text(*e.args[i], b, scope)); };
    auto need = [&](size_t lo, size_t hi) {
        if (n < lo || n > hi) {
            std::string upper = f;
            for (char &c : upper) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
            throw ModelError(upper + " takes " + std::to_string(lo) + (hi != lo ? " to " + std::to_string(hi) : "") +
                             " arguments, not " + std::to_string(n));
        }
    };
    auto simple = [&](const std::string &ir, size_t lo, size_t hi) {
        need(lo, hi);
        std::string out = ir + "(";
        for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + arg(i);
        return out + ")";
    };
    std::string canon = canonical_name(f);
    if (!e.subscripts.empty()) {
        // table[elements](x): one element's table of a subscripted lookup.
        auto vn = s_.var_names.find(canon);
        if (vn == s_.var_names.end()) throw ModelError("undefined lookup '" + f + "'");
        const std::vector<std::string> &dims = s_.var_dims.at(canon);
        if (dims.size() != e.subscripts.size())
            throw ModelError("'" + f + "' has " + std::to_string(dims.size()) + " dimensions but is given " +
                             std::to_string(e.subscripts.size()) + " subscripts");
        std::string table = vn->second + "[";
        for (size_t k = 0; k < dims.size(); ++k) table += (k ? "," : "") + element_of(e, k, dims[k], b)[0];
        table += "]";
        if (!s_.lookups.count(canonical_name(table))) throw ModelError("'" + table + "' is not a lookup");
        need(1, 1);
        return quote(table) + "(" + arg(0) + ")";
    }
    if (scope) {
        if (auto r = scope->renames.find(canon); r != scope->renames.end() && s_.lookups.count(canonical_name(r->second))) {
            need(1, 1);
            return quote(r->second) + "(" + arg(0) + ")";
        }
    }
    if (auto m = s_.macros.find(canon); m != s_.macros.end()) {
        std::vector<std::string> args;
        for (size_t i = 0; i < n; ++i) args.push_back(text(*e.args[i], b, scope));
        return quote(expand_(m->second, args));
    }
    if (s_.lookups.count(canon)) {
        need(1, 1);
        return quote(s_.var_names.at(canon)) + "(" + arg(0) + ")";
    }
    if (same_functions().count(f)) return simple(f == "step" || f == "ramp" ? (f == "step" ? "STEP" : "RAMP") : f, 1, 3);
    if (f == "if then else") {
        need(3, 3);
        return "(IF " + arg(0) + " THEN " + arg(1) + " ELSE " + arg(2) + ")";
    }
    if (f == "min" || f == "max") return simple(f, 2, 2);
    if (f == "integer") return simple("INT", 1, 1);
    if (f == "modulo") {
        need(2, 2);
        return paren(arg(0) + " MOD " + arg(1));
    }
    if (f == "power") {
        need(2, 2);
        return paren(arg(0) + " ^ " + arg(1));
    }
    if (f == "log") {
        need(2, 2);
        return paren("LN" + arg(0) + " / LN" + arg(1));
    }
    if (f == "sinh" || f == "cosh" || f == "tanh") {
        need(1, 1);
        std::string x = arg(0);
        std::string ep = "EXP" + x, em = "EXP(-" + x + ")";
        if (f == "sinh") return paren(paren(ep + " - " + em) + " / 2");
        if (f == "cosh") return paren(paren(ep + " + " + em) + " / 2");
        return paren(paren(ep + " - " + em) + " / " + paren(ep + " + " + em));
    }
    if (f == "quantum") {
        need(2, 2);
        std::string x = arg(0), q = arg(1);
        return "(IF " + q + " <= 0 THEN " + x + " ELSE " + q + " * INT(" + x + " / " + q + "))";
    }
    if (f == "xidz") return simple("SAFEDIV", 3, 3);
    if (f == "zidz") {
        need(2, 2);
        return "SAFEDIV(" + arg(0) + ", " + arg(1) + ", 0)";
    }
    if (f == "get time value") {
        // Only the simulation's own time is deterministic: relative to the current time (0), in
        // the model's time units (0). The initial time (1) and the computer's clock (2) are refused.
        need(3, 3);
        double relative_to = initial_(*e.args[0]), measure = initial_(*e.args[2]);
        if (relative_to != 0 || measure != 0)
            throw ModelError("GET TIME VALUE: only relative to the current time (0) in the model's time units (0) is "
                             "supported, not " + number(relative_to) + " and " + number(measure));
        return paren("TIME + " + arg(1));
    }
    if (f == "game") {
        need(1, 1);
        return arg(0);
    }
    if (f == "pulse") {
        need(2, 2);
        std::string start = arg(0), width = arg(1);
        return "(IF TIME >= " + start + " AND TIME < " + start + " + MAX(DT, " + width + ") THEN 1 ELSE 0)";
    }
    if (f == "pulse train") {
        need(4, 4);
        std::string start = arg(0), width = arg(1), between = arg(2), end = arg(3);
        return "(IF TIME >= " + start + " AND TIME <= " + end + " AND ((TIME - " + start + ") MOD " + between + ") < MAX(DT, " +
               width + ") THEN 1 ELSE 0)";
    }
    if (f == "smooth") return simple("SMTH1", 2, 2);
    if (f == "smoothi") return simple("SMTH1", 3, 3);
    if (f == "smooth3") return simple("SMTH3", 2, 2);
    if (f == "smooth3i") return simple("SMTH3", 3, 3);
    if (f == "delay1") return simple("DELAY1", 2, 2);
    if (f == "delay1i") return simple("DELAY1", 3, 3);
    if (f == "delay3") return simple("DELAY3", 2, 2);
    if (f == "delay3i") return simple("DELAY3", 3, 3);
    if (f == "smooth n" || f == "delay n") {
        need(4, 4);
        // Vensim fixes the order at the initial time.
        double order = initial_(*e.args[3]);
        if (f == "smooth n") return "SMTHN(" + arg(0) + ", " + arg(1) + ", " + number(order) + ", " + arg(2) + ")";
        // Not XMILE's DELAYN: Vensim's stages react to a changing delay time differently.
        return "DELAY_N(" + arg(0) + ", " + arg(1) + ", " + arg(2) + ", " + number(order) + ")";
    }
    if (f == "delay fixed") {
        // Vensim fixes the delay at the initial time, as a whole number of steps (at least one).
        need(3, 3);
        return "DELAY(" + arg(0) + ", DT * MAX(1, INT(INIT(" + arg(1) + ") / DT + 0.5)), " + arg(2) + ")";
    }
    if (f == "npv") return simple("NPV", 4, 4);
    if (f == "trend") return simple("TREND", 3, 3);
    if (f == "forecast") return simple("FORCST", 3, 3);
    if (f == "initial") return simple("INIT", 1, 1);
    if (f == "active initial") return simple("ACTIVE_INITIAL", 2, 2);
    if (f == "sample if true") {
        need(3, 3);
        return "(IF " + arg(0) + " THEN " + arg(1) + " ELSE PREVIOUS(SELF, " + arg(2) + "))";
    }
    if (f == "random uniform") return simple("RANDOM", 3, 3);
    if (f == "random normal") {
        need(5, 5);
        return "NORMAL(" + arg(2) + ", " + arg(3) + ", " + arg(4) + ", " + arg(0) + ", " + arg(1) + ")";
    }
    if (f == "random exponential") {
        need(5, 5);
        return "(" + arg(2) + " + " + arg(3) + " * EXPRND(1, " + arg(4) + "))";
    }
    if (f == "random poisson") {
        need(6, 6);
        return "(" + arg(3) + " + " + arg(4) + " * POISSON(" + arg(2) + ", " + arg(5) + "))";
    }
    if (f == "sum" || f == "prod" || f == "vmin" || f == "vmax") {
        need(1, 1);
        std::vector<std::string> items = expand(*e.args[0], b, scope);
        for (std::string &i : items) i = paren(i);
        if (f == "sum") return fold(items, "+", false);
        if (f == "prod") return fold(items, "*", false);
        return fold(items, f == "vmin" ? "MIN" : "MAX", true);
    }
    if (f == "elmcount") {
        need(1, 1);
        const Range *r = e.args[0]->kind == VKind::name ? s_.range(canonical_name(e.args[0]->name)) : nullptr;
        if (!r) throw ModelError("ELMCOUNT needs a subscript range");
        return number(static_cast<double>(r->elements.size()));
    }
    if (f == "vector select") {
        need(5, 5);
        std::vector<std::string> sel, val;
        for (const Bindings &c : bang_bindings({e.args[0].get(), e.args[1].get()}, b)) {
            sel.push_back(text(*e.args[0], c, scope));
            val.push_back(text(*e.args[1], c, scope));
        }
        if (sel.size() != val.size()) throw ModelError("VECTOR SELECT: selection and values differ in size");
        std::string missing = arg(2);
        // Vensim's numerical actions: 0-4 sum, product, min, max, mean of selection * value;
        // 5 product of value ^ selection; 6-10 sum, product, min, max, mean of the values.
        std::vector<std::string> chosen, count;
        for (size_t i = 0; i < sel.size(); ++i) {
            chosen.push_back(paren(paren(sel[i]) + " <> 0"));
            count.push_back("(IF " + chosen.back() + " THEN 1 ELSE 0)");
        }
        std::string selected = fold(count, "+", false);
        auto result_for = [&](int action) {
            std::vector<std::string> items;
            int kind = action == 5 ? 1 : action < 5 ? action : action - 6; // sum, product, min, max, mean
            std::string neutral = kind == 1 ? "1" : kind == 2 ? "(1/0)" : kind == 3 ? "(-1/0)" : "0";
            for (size_t i = 0; i < sel.size(); ++i) {
                std::string v = action < 5 ? paren(paren(sel[i]) + " * " + paren(val[i]))
                                : action == 5 ? paren(paren(val[i]) + " ^ " + paren(sel[i]))
                                              : paren(val[i]);
                items.push_back("(IF " + chosen[i] + " THEN " + v + " ELSE " + neutral + ")");
            }
            if (kind == 0) return fold(items, "+", false);
            if (kind == 1) return fold(items, "*", false);
            if (kind == 2) return fold(items, "MIN", true);
            if (kind == 3) return fold(items, "MAX", true);
            return paren(fold(items, "+", false) + " / " + paren(selected));
        };
        std::string result;
        double action = 0;
        bool fixed = true;
        try {
            action = initial_(*e.args[3]);
            // Only a number or one of Vensim's named actions is known to stay put; anything else
            // may change during the run, so every action is prepared.
            fixed = e.args[3]->kind == VKind::number ||
                    (e.args[3]->kind == VKind::name && canonical_name(e.args[3]->name).rfind("vs", 0) == 0 &&
                     !s_.var_names.count(canonical_name(e.args[3]->name)));
        } catch (const ModelError &) {
            fixed = false;
        }
        if (fixed) {
            if (action < 0 || action > 10 || action != std::floor(action))
                throw ModelError("VECTOR SELECT: numerical action " + number(action) + " is not one of 0 to 10");
            result = result_for(static_cast<int>(action));
        } else {
            std::string a = "INT(" + arg(3) + " + 0.5)";
            result = "(0/0)";
            for (int k = 10; k >= 0; --k) result = "(IF " + a + " = " + std::to_string(k) + " THEN " + result_for(k) + " ELSE " + result + ")";
        }
        return "(IF " + selected + " = 0 THEN " + missing + " ELSE " + result + ")";
    }
    if (f == "vector elm map" || f == "vector sort order" || f == "vector rank" || f == "vector reorder") {
        need(2, 2);
        const VExpr &v = *e.args[0];
        std::string vc = canonical_name(v.name);
        if (v.kind != VKind::name || v.subscripts.empty() || !s_.var_names.count(vc))
            throw ModelError(upper_name(f) + " needs a subscripted variable as its first argument");
        const std::vector<std::string> &dims = s_.var_dims.at(vc);
        if (dims.size() != v.subscripts.size()) throw ModelError("'" + v.name + "' is given the wrong number of subscripts");
        std::vector<std::string> elements;
        for (size_t k = 0; k < dims.size(); ++k) elements.push_back(element_of(v, k, dims[k], b)[0]);
        const Range *last = s_.range(dims.back());
        size_t at = 0;
        while (at < last->elements.size() && canonical_name(last->elements[at]) != canonical_name(elements.back())) ++at;
        auto ref = [&](const std::string &final_element) {
            std::string out = quote(s_.var_names.at(vc)) + "[";
            for (size_t k = 0; k + 1 < elements.size(); ++k) out += quote(elements[k]) + ",";
            return out + final_element + "]";
        };
        if (f == "vector rank") {
            // The 1-based place of our element in the sorted vector: ascending, ties in element
            // order (1 + how many are smaller + how many equal ones come before us); descending
            // is the ascending order reversed, as VECTOR SORT ORDER reverses it.
            bool descending = e.args[1]->kind == VKind::name ? canonical_name(e.args[1]->name) == "descending"
                                                             : initial_(*e.args[1]) < 0;
            std::string ours = ref(quote(last->elements[at]));
            std::vector<std::string> before{"1"};
            for (size_t k = 0; k < last->elements.size(); ++k) {
                if (k == at) continue;
                before.push_back("(IF " + ref(quote(last->elements[k])) + (k < at ? " <= " : " < ") + ours + " THEN 1 ELSE 0)");
            }
            std::string ascending = fold(before, "+", false);
            if (!descending) return ascending;
            return paren(number(static_cast<double>(last->elements.size() + 1)) + " - " + ascending);
        }
        if (f == "vector reorder") {
            // Our element takes the value of the element the order vector names (0-based), like
            // the output of VECTOR SORT ORDER.
            std::string index = "INT(" + arg(1) + " + 0.5)";
            std::string chain = "(0/0)";
            for (size_t k = last->elements.size(); k-- > 0;)
                chain = "(IF " + index + " = " + number(static_cast<double>(k)) + " THEN " + ref(quote(last->elements[k])) +
                        " ELSE " + chain + ")";
            return chain;
        }
        if (f == "vector sort order") {
            // 0-based position of the element ranked at our position (ascending unless DESCENDING).
            bool descending = e.args[1]->kind == VKind::name ? canonical_name(e.args[1]->name) == "descending"
                                                             : initial_(*e.args[1]) < 0;
            size_t ith = descending ? last->elements.size() - at : at + 1;
            return "(RANK(" + ref("*") + ", " + number(static_cast<double>(ith)) + ") - 1)";
        }
        // The element `offset` places after the one given (offsets are whole numbers).
        std::string offset = "INT(" + arg(1) + " + 0.5)";
        std::string chain = "(0/0)";
        for (size_t k = last->elements.size(); k-- > at;)
            chain = "(IF " + offset + " = " + number(static_cast<double>(k - at)) + " THEN " + ref(quote(last->elements[k])) +
                    " ELSE " + chain + ")";
        return chain;
    }
    if (f == "allocate by priority" || f == "allocate available" || f == "invert matrix") {
        // The last subscript (the last two for a matrix or priority profiles) spans the array; the
        // element computed is where the equation's own subscripts stand on it.
        std::string upper_f = f == "allocate by priority" ? "ALLOCATE BY PRIORITY"
                              : f == "allocate available" ? "ALLOCATE AVAILABLE"
                                                          : "INVERT MATRIX";
        if (f == "allocate by priority") need(5, 5);
        else if (f == "allocate available") need(3, 3);
        else need(2, 2);
        size_t element = 0, side = 0;
        auto whole = [&](const VExpr &v, size_t spans, bool count) {
            std::string vc = canonical_name(v.name);
            if (v.kind != VKind::name || v.subscripts.size() < spans || !s_.var_names.count(vc))
                throw ModelError(upper_f + " needs subscripted variables as its array arguments");
            const std::vector<std::string> &dims = s_.var_dims.at(vc);
            if (dims.size() != v.subscripts.size()) throw ModelError("'" + v.name + "' is given the wrong number of subscripts");
            std::string out = quote(s_.var_names.at(vc)) + "[";
            size_t first_span = dims.size() - spans;
            if (count) element = 0;
            for (size_t k = 0; k < dims.size(); ++k) {
                if (k < first_span) {
                    out += quote(element_of(v, k, dims[k], b)[0]) + ",";
                    continue;
                }
                out += std::string("*") + (k + 1 < dims.size() ? "," : "");
                if (!count) continue;
                std::string at = element_of(v, k, dims[k], b)[0];
                const Range *r = s_.range(dims[k]);
                size_t i = 0;
                while (i < r->elements.size() && canonical_name(r->elements[i]) != canonical_name(at)) ++i;
                side = r->elements.size();
                element = element * side + i;
            }
            return out + "]";
        };
        if (f == "allocate by priority") {
            std::string request = whole(*e.args[0], 1, true);
            std::string priority = whole(*e.args[1], 1, false);
            return "ALLOCATE_BY_PRIORITY(" + request + ", " + priority + ", " + number(static_cast<double>(element + 1)) + ", " +
                   arg(3) + ", " + arg(4) + ")";
        }
        if (f == "allocate available") {
            // The profiles' second-last subscript runs with the requests; their last one holds
            // (type, priority, width, extra).
            std::string request = whole(*e.args[0], 1, true);
            std::string profiles = whole(*e.args[1], 2, false);
            return "ALLOCATE_AVAILABLE(" + request + ", " + profiles + ", " + number(static_cast<double>(element + 1)) + ", " +
                   arg(2) + ")";
        }
        std::string matrix = whole(*e.args[0], 2, true);
        return "INVERT_MATRIX(" + matrix + ", " + number(static_cast<double>(element + 1)) + ")";
    }
    if (f == "lookup extrapolate" || f == "lookup forward" || f == "lookup backward" || f == "lookup invert") {
        need(2, 2);
        const VExpr &t = *e.args[0];
        if (t.kind != VKind::name || !t.subscripts.empty() || !s_.lookups.count(canonical_name(t.name)))
        {
            std::string upper = f;
            for (char &ch : upper) ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
            throw ModelError("the first argument of " + upper + " must be the name of a lookup without subscripts");
        }
        return quote(derive_(canonical_name(t.name), f.substr(7))) + "(" + arg(1) + ")";
    }
    if (f == "integ") throw ModelError("INTEG must be the whole equation");
    if (f == "with lookup") throw ModelError("WITH LOOKUP must be the whole equation");
    if (f.rfind("get ", 0) == 0) throw ModelError(std::string("function '") + f + "' must be the whole equation");
    std::string upper = f;
    for (char &c : upper) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    throw ModelError("unsupported Vensim function '" + upper + "'");
}

} // namespace holon_sd::mdl
