#include "mdl/translate.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>

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

// Vensim functions the equation language has under the same or another name, with the same
// arguments: the equation language's name and how many arguments Vensim allows.
struct Rename {
    std::string_view vensim, ir;
    size_t min_args, max_args;
};
constexpr Rename renames[] = {
    {"abs", "abs", 1, 3},
    {"sqrt", "sqrt", 1, 3},
    {"exp", "exp", 1, 3},
    {"ln", "ln", 1, 3},
    {"sin", "sin", 1, 3},
    {"cos", "cos", 1, 3},
    {"tan", "tan", 1, 3},
    {"arcsin", "arcsin", 1, 3},
    {"arccos", "arccos", 1, 3},
    {"arctan", "arctan", 1, 3},
    {"step", "STEP", 1, 3},
    {"ramp", "RAMP", 1, 3},
    {"min", "min", 2, 2},
    {"max", "max", 2, 2},
    {"integer", "INT", 1, 1},
    {"xidz", "SAFEDIV", 3, 3},
    {"smooth", "SMTH1", 2, 2},
    {"smoothi", "SMTH1", 3, 3},
    {"smooth3", "SMTH3", 2, 2},
    {"smooth3i", "SMTH3", 3, 3},
    {"delay1", "DELAY1", 2, 2},
    {"delay1i", "DELAY1", 3, 3},
    {"delay3", "DELAY3", 2, 2},
    {"delay3i", "DELAY3", 3, 3},
    {"npv", "NPV", 4, 4},
    {"trend", "TREND", 3, 3},
    {"forecast", "FORCST", 3, 3},
    {"initial", "INIT", 1, 1},
    {"active initial", "ACTIVE_INITIAL", 2, 2},
    {"random uniform", "RANDOM", 3, 3},
};

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
            // Ours maps onto a subrange of the bound range (Dim1 -> Dim2 MAP, Dim2 MAP a part of
            // Dim2): the bound element's place in that subrange selects ours.
            for (const std::string &m : r->maps_to) {
                const Range *mr = s_.range(m);
                if (maps || !mr || mr->root != br->root || m == bound.range) continue;
                std::string want = canonical_name(bound.element);
                for (size_t i = 0; i < mr->elements.size(); ++i) {
                    if (canonical_name(mr->elements[i]) != want) continue;
                    maps = true;
                    auto list = r->map_lists.find(m);
                    el = list != r->map_lists.end() ? inverse(*r, list->second, bound.element)
                         : i < r->elements.size()   ? r->elements[i]
                                                    : std::string();
                    break;
                }
            }
            // A subrange of the bound range maps onto ours (Dim2 MAP: X, Y, Z -> Dim1): the bound
            // element's place in that subrange selects ours.
            for (const auto &[sc, sr] : s_.ranges) {
                if (maps || sr.root != br->root || sc == bound.range ||
                    std::find(sr.maps_to.begin(), sr.maps_to.end(), cs) == sr.maps_to.end())
                    continue;
                std::string want = canonical_name(bound.element);
                for (size_t i = 0; i < sr.elements.size(); ++i) {
                    if (canonical_name(sr.elements[i]) != want) continue;
                    maps = true;
                    auto list = sr.map_lists.find(cs);
                    el = list != sr.map_lists.end() ? (i < list->second.size() ? list->second[i] : std::string())
                         : i < r->elements.size()   ? r->elements[i]
                                                    : std::string();
                    break;
                }
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
        // An element used as a value (IF THEN ELSE(stage = stage1, ...) in Vensim's manual): its
        // position in its full range, the number a subscript bound to it stands for.
        if (e.subscripts.empty())
            for (const auto &[rc, range] : s_.ranges) {
                if (range.root != rc) continue;
                for (size_t i = 0; i < range.elements.size(); ++i)
                    if (canonical_name(range.elements[i]) == canon) return number(static_cast<double>(i + 1));
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

// One call of a Vensim function being translated: the call, the bindings and macro scope its
// arguments are read under, and what the rewrites share. Translator::call picks the rewrite by
// the function's name.
struct Translator::Call {
    Translator &t;
    const VExpr &e;
    const Bindings &b;
    const Scope *scope;
    const std::string &f; // the function's name, lower case
    size_t n;             // how many arguments the call has

    std::string arg(size_t i) const { return paren(t.text(*e.args[i], b, scope)); }
    void need(size_t lo, size_t hi) const {
        if (n < lo || n > hi) {
            std::string upper = f;
            for (char &ch : upper) ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
            throw ModelError(upper + " takes " + std::to_string(lo) + (hi != lo ? " to " + std::to_string(hi) : "") +
                             " arguments, not " + std::to_string(n));
        }
    }
    // The same call under the equation language's name `ir`.
    std::string simple(const std::string &ir, size_t lo, size_t hi) const {
        need(lo, hi);
        std::string out = ir + "(";
        for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + arg(i);
        return out + ")";
    }

    // The rewrites of the functions the equation language lacks (or has with other arguments).
    std::string if_then_else() const; // IF THEN ELSE
    std::string modulo() const; // MODULO
    std::string power() const; // POWER
    std::string log() const; // LOG
    std::string hyperbolic() const; // SINH, COSH, TANH
    std::string quantum() const; // QUANTUM
    std::string zidz() const; // ZIDZ
    std::string get_time_value() const; // GET TIME VALUE
    std::string game() const; // GAME
    std::string pulse() const; // PULSE
    std::string pulse_train() const; // PULSE TRAIN
    std::string smooth_or_delay_n() const; // SMOOTH N, DELAY N
    std::string delay_fixed() const; // DELAY FIXED
    std::string sample_if_true() const; // SAMPLE IF TRUE
    std::string random_normal() const; // RANDOM NORMAL
    std::string random_exponential() const; // RANDOM EXPONENTIAL
    std::string random_poisson() const; // RANDOM POISSON
    std::string reduce() const; // SUM, PROD, VMIN, VMAX
    std::string elmcount() const; // ELMCOUNT
    std::string vector_select() const; // VECTOR SELECT
    std::string vector_reordering() const; // VECTOR ELM MAP, VECTOR SORT ORDER, VECTOR RANK, VECTOR REORDER
    std::string allocation() const; // ALLOCATE BY PRIORITY, ALLOCATE AVAILABLE, INVERT MATRIX
    std::string lookup_variant() const; // LOOKUP EXTRAPOLATE, LOOKUP FORWARD, LOOKUP BACKWARD, LOOKUP INVERT
};

std::string Translator::Call::if_then_else() const {
    need(3, 3);
    return "(IF " + arg(0) + " THEN " + arg(1) + " ELSE " + arg(2) + ")";
}

std::string Translator::Call::modulo() const {
    need(2, 2);
    return paren(arg(0) + " MOD " + arg(1));
}

std::string Translator::Call::power() const {
    need(2, 2);
    return paren(arg(0) + " ^ " + arg(1));
}

std::string Translator::Call::log() const {
    need(2, 2);
    return paren("LN" + arg(0) + " / LN" + arg(1));
}

std::string Translator::Call::hyperbolic() const {
    need(1, 1);
    std::string x = arg(0);
    std::string ep = "EXP" + x, em = "EXP(-" + x + ")";
    if (f == "sinh") return paren(paren(ep + " - " + em) + " / 2");
    if (f == "cosh") return paren(paren(ep + " + " + em) + " / 2");
    return paren(paren(ep + " - " + em) + " / " + paren(ep + " + " + em));
}

std::string Translator::Call::quantum() const {
    need(2, 2);
    std::string x = arg(0), q = arg(1);
    return "(IF " + q + " <= 0 THEN " + x + " ELSE " + q + " * INT(" + x + " / " + q + "))";
}

std::string Translator::Call::zidz() const {
    need(2, 2);
    return "SAFEDIV(" + arg(0) + ", " + arg(1) + ", 0)";
}

std::string Translator::Call::get_time_value() const {
    // Vensim's reference (fn_get_time_value): relative to the current simulation time (0), the
    // initial time (1) or the computer's clock (2); the offset moves the time in the model's time
    // units and is ignored for the clock; measure 0 is the model's time units (only relative to
    // 0 and 1), 1-10 are parts of a date and time (year, quarter, month, day of month, day of
    // week, days since 1 BC, hour, minute, second, elapsed seconds modulo 500,000).
    need(3, 3);
    double relative_to = t.initial_(*e.args[0]), measure = t.initial_(*e.args[2]);
    const bool part = measure >= 1 && measure <= 10 && measure == std::floor(measure);
    if (relative_to == 2) {
        // The clock: read at every step, so the run cannot be repeated (the run says so).
        if (!part)
            throw ModelError("GET TIME VALUE relative to the computer's clock (2) takes a measure from 1 to 10 (a part "
                             "of the date or time), not " + number(measure) +
                             "; measure 0, the model's time units, is only for relative to 0 and 1");
        return "VENSIM_CLOCK(" + number(measure) + ")";
    }
    if (relative_to != 0 && relative_to != 1)
        throw ModelError("GET TIME VALUE: relative to " + number(relative_to) +
                         " is not one of 0 (current time), 1 (initial time), 2 (clock)");
    if (measure != 0) {
        if (!part)
            throw ModelError("GET TIME VALUE: measure " + number(measure) + " is not one of 0 (the model's time units) "
                             "or 1 to 10 (a part of the date or time)");
        // Vensim turns the simulation time into a date through the time labelling of Model >
        // Settings > Time Bounds (a 360-day year for models in years, quarters or months). A .mdl
        // file keeps those settings only in the undocumented settings block after the sketch, so
        // there is no date to compute the part from.
        throw ModelError("GET TIME VALUE(" + number(relative_to) + ", offset, " + number(measure) +
                         ") reads the simulation time as a calendar date, which needs the date Vensim's Time Bounds "
                         "settings give the initial time; a .mdl file does not carry that date in a documented "
                         "form. Compute the date part in the model instead, e.g. for a model in months that starts "
                         "in January: month of year = MODULO(INTEGER(Time), 12) + 1");
    }
    return paren(std::string(relative_to == 0 ? "TIME" : "STARTTIME") + " + " + arg(1));
}

std::string Translator::Call::game() const {
    need(1, 1);
    return arg(0);
}

std::string Translator::Call::pulse() const {
    need(2, 2);
    std::string start = arg(0), width = arg(1);
    return "(IF TIME >= " + start + " AND TIME < " + start + " + MAX(DT, " + width + ") THEN 1 ELSE 0)";
}

std::string Translator::Call::pulse_train() const {
    need(4, 4);
    std::string start = arg(0), width = arg(1), between = arg(2), end = arg(3);
    return "(IF TIME >= " + start + " AND TIME <= " + end + " AND ((TIME - " + start + ") MOD " + between + ") < MAX(DT, " +
           width + ") THEN 1 ELSE 0)";
}

std::string Translator::Call::smooth_or_delay_n() const {
    need(4, 4);
    // Vensim fixes the order at the initial time.
    double order = t.initial_(*e.args[3]);
    if (f == "smooth n") return "SMTHN(" + arg(0) + ", " + arg(1) + ", " + number(order) + ", " + arg(2) + ")";
    // Not XMILE's DELAYN: Vensim's stages react to a changing delay time differently.
    return "DELAY_N(" + arg(0) + ", " + arg(1) + ", " + arg(2) + ", " + number(order) + ")";
}

std::string Translator::Call::delay_fixed() const {
    // Vensim uses only the delay time's initial value, and never less than TIME STEP (its
    // reference, fn_delay_fixed). It pipes whole steps: Vensim's own output of the delay_fixed
    // test model shows 1.2 steps acting as 1, 1.5 as 2 and 3.7 as 4. The count is rounded half up
    // with PySD's tolerance of 1e-6 (DelayFixed: round(max(delay / dt, 1) + 1e-6)), so a delay
    // written as a step and a half, such as 0.15 with TIME STEP 0.1 (1.4999999999999998 in
    // binary), still pipes 2 steps.
    need(3, 3);
    return "DELAY(" + arg(0) + ", DT * INT(MAX(1, INIT(" + arg(1) + ") / DT) + 0.500001), " + arg(2) + ")";
}

std::string Translator::Call::sample_if_true() const {
    need(3, 3);
    return "(IF " + arg(0) + " THEN " + arg(1) + " ELSE PREVIOUS(SELF, " + arg(2) + "))";
}

std::string Translator::Call::random_normal() const {
    need(5, 5);
    return "NORMAL(" + arg(2) + ", " + arg(3) + ", " + arg(4) + ", " + arg(0) + ", " + arg(1) + ")";
}

std::string Translator::Call::random_exponential() const {
    need(5, 5);
    return "(" + arg(2) + " + " + arg(3) + " * EXPRND(1, " + arg(4) + "))";
}

std::string Translator::Call::random_poisson() const {
    need(6, 6);
    return "(" + arg(3) + " + " + arg(4) + " * POISSON(" + arg(2) + ", " + arg(5) + "))";
}

std::string Translator::Call::reduce() const {
    need(1, 1);
    std::vector<std::string> items = t.expand(*e.args[0], b, scope);
    for (std::string &i : items) i = paren(i);
    if (f == "sum") return fold(items, "+", false);
    if (f == "prod") return fold(items, "*", false);
    return fold(items, f == "vmin" ? "MIN" : "MAX", true);
}

std::string Translator::Call::elmcount() const {
    need(1, 1);
    const Range *r = e.args[0]->kind == VKind::name ? t.s_.range(canonical_name(e.args[0]->name)) : nullptr;
    if (!r) throw ModelError("ELMCOUNT needs a subscript range");
    return number(static_cast<double>(r->elements.size()));
}

std::string Translator::Call::vector_select() const {
    need(5, 5);
    std::vector<std::string> sel, val;
    for (const Bindings &c : t.bang_bindings({e.args[0].get(), e.args[1].get()}, b)) {
        sel.push_back(t.text(*e.args[0], c, scope));
        val.push_back(t.text(*e.args[1], c, scope));
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
        action = t.initial_(*e.args[3]);
        // Only a number or one of Vensim's named actions is known to stay put; anything else
        // may change during the run, so every action is prepared.
        fixed = e.args[3]->kind == VKind::number ||
                (e.args[3]->kind == VKind::name && canonical_name(e.args[3]->name).rfind("vs", 0) == 0 &&
                 !t.s_.var_names.count(canonical_name(e.args[3]->name)));
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

std::string Translator::Call::vector_reordering() const {
    need(2, 2);
    const VExpr &v = *e.args[0];
    std::string vc = canonical_name(v.name);
    if (v.kind != VKind::name || v.subscripts.empty() || !t.s_.var_names.count(vc))
        throw ModelError(upper_name(f) + " needs a subscripted variable as its first argument");
    const std::vector<std::string> &dims = t.s_.var_dims.at(vc);
    if (dims.size() != v.subscripts.size()) throw ModelError("'" + v.name + "' is given the wrong number of subscripts");
    std::vector<std::string> elements;
    for (size_t k = 0; k < dims.size(); ++k) elements.push_back(t.element_of(v, k, dims[k], b)[0]);
    const Range *last = t.s_.range(dims.back());
    size_t at = 0;
    while (at < last->elements.size() && canonical_name(last->elements[at]) != canonical_name(elements.back())) ++at;
    auto ref = [&](const std::string &final_element) {
        std::string out = quote(t.s_.var_names.at(vc)) + "[";
        for (size_t k = 0; k + 1 < elements.size(); ++k) out += quote(elements[k]) + ",";
        return out + final_element + "]";
    };
    // Vensim's reference (VECTOR SORT ORDER, VECTOR RANK): a direction greater than 0 sorts from
    // smallest to biggest, any other (0 too) from biggest to smallest. It always spans the
    // complete vector over the variable's last subscript ("subranges will not work"), so an
    // argument written over a subrange still sorts the whole vector. A number or the word
    // DESCENDING/ASCENDING is settled here; any other direction is chosen as the run goes.
    // Ties: Vensim only says tied elements get contiguous ranks "arbitrarily"; here ascending
    // keeps them in element order and descending is that order reversed (as PySD does).
    auto direction = [&](const std::string &ascending, const std::string &descending) {
        const VExpr &d = *e.args[1];
        if (d.kind == VKind::name && !t.s_.var_names.count(canonical_name(d.name))) {
            const std::string word = canonical_name(d.name);
            if (word == "descending") return descending;
            if (word == "ascending") return ascending;
        }
        if (d.kind == VKind::number) return d.value > 0 ? ascending : descending;
        if (d.kind == VKind::unary && (d.op == '-' || d.op == '+') && d.args.size() == 1 && d.args[0]->kind == VKind::number)
            return (d.op == '-' ? -d.args[0]->value : d.args[0]->value) > 0 ? ascending : descending;
        return "(IF " + arg(1) + " > 0 THEN " + ascending + " ELSE " + descending + ")";
    };
    if (f == "vector rank") {
        // The 1-based place of our element in the sorted vector: ascending, ties in element
        // order (1 + how many are smaller + how many equal ones come before us); descending
        // is the ascending order reversed, as VECTOR SORT ORDER reverses it.
        std::string ours = ref(quote(last->elements[at]));
        std::vector<std::string> before{"1"};
        for (size_t k = 0; k < last->elements.size(); ++k) {
            if (k == at) continue;
            before.push_back("(IF " + ref(quote(last->elements[k])) + (k < at ? " <= " : " < ") + ours + " THEN 1 ELSE 0)");
        }
        std::string ascending = fold(before, "+", false);
        return direction(ascending, paren(number(static_cast<double>(last->elements.size() + 1)) + " - " + ascending));
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
        // 0-based position of the element ranked at our position.
        auto ranked = [&](size_t ith) { return "(RANK(" + ref("*") + ", " + number(static_cast<double>(ith)) + ") - 1)"; };
        return direction(ranked(at + 1), ranked(last->elements.size() - at));
    }
    // The element `offset` places after the one given (offsets are whole numbers).
    std::string offset = "INT(" + arg(1) + " + 0.5)";
    std::string chain = "(0/0)";
    for (size_t k = last->elements.size(); k-- > at;)
        chain = "(IF " + offset + " = " + number(static_cast<double>(k - at)) + " THEN " + ref(quote(last->elements[k])) +
                " ELSE " + chain + ")";
    return chain;
}

std::string Translator::Call::allocation() const {
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
        if (v.kind != VKind::name || v.subscripts.size() < spans || !t.s_.var_names.count(vc))
            throw ModelError(upper_f + " needs subscripted variables as its array arguments");
        const std::vector<std::string> &dims = t.s_.var_dims.at(vc);
        if (dims.size() != v.subscripts.size()) throw ModelError("'" + v.name + "' is given the wrong number of subscripts");
        std::string out = quote(t.s_.var_names.at(vc)) + "[";
        size_t first_span = dims.size() - spans;
        if (count) element = 0;
        for (size_t k = 0; k < dims.size(); ++k) {
            if (k < first_span) {
                out += quote(t.element_of(v, k, dims[k], b)[0]) + ",";
                continue;
            }
            out += std::string("*") + (k + 1 < dims.size() ? "," : "");
            if (!count) continue;
            std::string at = t.element_of(v, k, dims[k], b)[0];
            const Range *r = t.s_.range(dims[k]);
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

std::string Translator::Call::lookup_variant() const {
    need(2, 2);
    const VExpr &table = *e.args[0];
    if (table.kind != VKind::name || !table.subscripts.empty() || !t.s_.lookups.count(canonical_name(table.name))) {
        std::string upper = f;
        for (char &ch : upper) ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
        throw ModelError("the first argument of " + upper + " must be the name of a lookup without subscripts");
    }
    return quote(t.derive_(canonical_name(table.name), f.substr(7))) + "(" + arg(1) + ")";
}

std::string Translator::call(const VExpr &e, const Bindings &b, const Scope *scope) {
    const std::string &f = e.name;
    const Call c{*this, e, b, scope, f, e.args.size()};
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
        c.need(1, 1);
        return quote(table) + "(" + c.arg(0) + ")";
    }
    if (scope) {
        if (auto r = scope->renames.find(canon); r != scope->renames.end() && s_.lookups.count(canonical_name(r->second))) {
            c.need(1, 1);
            return quote(r->second) + "(" + c.arg(0) + ")";
        }
    }
    if (auto m = s_.macros.find(canon); m != s_.macros.end()) {
        std::vector<std::string> args;
        for (size_t i = 0; i < c.n; ++i) args.push_back(text(*e.args[i], b, scope));
        return quote(expand_(m->second, args));
    }
    if (s_.lookups.count(canon)) {
        c.need(1, 1);
        return quote(s_.var_names.at(canon)) + "(" + c.arg(0) + ")";
    }
    for (const Rename &r : renames)
        if (r.vensim == f) return c.simple(std::string(r.ir), r.min_args, r.max_args);
    static const std::map<std::string_view, std::string (Call::*)() const> rewrites{
        {"if then else", &Call::if_then_else},
        {"modulo", &Call::modulo},
        {"power", &Call::power},
        {"log", &Call::log},
        {"sinh", &Call::hyperbolic},
        {"cosh", &Call::hyperbolic},
        {"tanh", &Call::hyperbolic},
        {"quantum", &Call::quantum},
        {"zidz", &Call::zidz},
        {"get time value", &Call::get_time_value},
        {"game", &Call::game},
        {"pulse", &Call::pulse},
        {"pulse train", &Call::pulse_train},
        {"smooth n", &Call::smooth_or_delay_n},
        {"delay n", &Call::smooth_or_delay_n},
        {"delay fixed", &Call::delay_fixed},
        {"sample if true", &Call::sample_if_true},
        {"random normal", &Call::random_normal},
        {"random exponential", &Call::random_exponential},
        {"random poisson", &Call::random_poisson},
        {"sum", &Call::reduce},
        {"prod", &Call::reduce},
        {"vmin", &Call::reduce},
        {"vmax", &Call::reduce},
        {"elmcount", &Call::elmcount},
        {"vector select", &Call::vector_select},
        {"vector elm map", &Call::vector_reordering},
        {"vector sort order", &Call::vector_reordering},
        {"vector rank", &Call::vector_reordering},
        {"vector reorder", &Call::vector_reordering},
        {"allocate by priority", &Call::allocation},
        {"allocate available", &Call::allocation},
        {"invert matrix", &Call::allocation},
        {"lookup extrapolate", &Call::lookup_variant},
        {"lookup forward", &Call::lookup_variant},
        {"lookup backward", &Call::lookup_variant},
        {"lookup invert", &Call::lookup_variant},
    };
    if (auto r = rewrites.find(f); r != rewrites.end()) return (c.*(r->second))();
    if (f == "integ") throw ModelError("INTEG must be the whole equation");
    if (f == "with lookup") throw ModelError("WITH LOOKUP must be the whole equation");
    if (f.rfind("get ", 0) == 0) throw ModelError(std::string("function '") + f + "' must be the whole equation");
    std::string upper = f;
    for (char &ch : upper) ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
    throw ModelError("unsupported Vensim function '" + upper + "'");
}

} // namespace holon_sd::mdl
