#include "structure/dependencies.hpp"

#include "equations/parser.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"

#include <map>
#include <set>
#include <unordered_map>

namespace holon_sd {

namespace {

// 0 = does not depend, 1 = '+', 2 = '-', 3 = '?'
using Pol = int;

Pol combine(Pol a, Pol b) {
    if (a == 0) return b;
    if (b == 0) return a;
    return a == b ? a : 3;
}
Pol flip(Pol p) { return p == 1 ? 2 : p == 2 ? 1 : p; }
Pol unknown_if_present(Pol p) { return p == 0 ? 0 : 3; }

bool increasing_function(const std::string &f) {
    static const std::set<std::string> names{"exp", "ln", "log10", "sqrt", "smth1", "smth3", "smthn", "delay1", "delay3",
                                             "delayn", "delay n", "int", "sum", "mean", "max", "min", "init", "previous", "arctan",
                                             "forcst", "prod"};
    return names.count(f) > 0;
}
bool all_arguments_count(const std::string &f) {
    return f == "sum" || f == "mean" || f == "max" || f == "min" || f == "prod";
}

Pol polarity(const Expr &e, const std::string &target) {
    switch (e.kind) {
    case ExprKind::number:
    case ExprKind::wildcard:
    case ExprKind::range: return 0;
    case ExprKind::name: return e.name == target ? 1 : 0;
    case ExprKind::subscript: {
        // A computed subscript (a[index]) makes the value depend on the index with no sign.
        Pol p = e.name == target ? 1 : 0;
        for (const auto &a : e.args) p = combine(p, unknown_if_present(polarity(*a, target)));
        return p;
    }
    case ExprKind::transpose: return polarity(*e.args[0], target);
    case ExprKind::unary: {
        Pol p = polarity(*e.args[0], target);
        return e.op == '-' ? flip(p) : e.op == '+' ? p : unknown_if_present(p);
    }
    case ExprKind::binary: {
        Pol l = polarity(*e.args[0], target), r = polarity(*e.args[1], target);
        switch (e.op) {
        case '+':
        case '*': return combine(l, r);
        case '-':
        case '/': return combine(l, flip(r));
        case '^': {
            if (r != 0) return 3;
            const Expr &ex = *e.args[1];
            if (ex.kind == ExprKind::number) return ex.value > 0 ? l : ex.value < 0 ? flip(l) : 0;
            return unknown_if_present(l);
        }
        default: return unknown_if_present(combine(l, r) == 0 ? 0 : 3);
        }
    }
    case ExprKind::if_then_else: {
        if (polarity(*e.args[0], target) != 0) return 3;
        return combine(polarity(*e.args[1], target), polarity(*e.args[2], target));
    }
    case ExprKind::call: {
        Pol p = 0;
        if (e.name == "safediv") {
            for (size_t i = 0; i < e.args.size(); ++i) {
                Pol a = polarity(*e.args[i], target);
                p = combine(p, i == 0 ? a : i == 1 ? flip(a) : unknown_if_present(a));
            }
            return p;
        }
        if (e.name == "if then else" && e.args.size() == 3) {
            if (polarity(*e.args[0], target) != 0) return 3;
            return combine(polarity(*e.args[1], target), polarity(*e.args[2], target));
        }
        bool inc = increasing_function(e.name);
        bool all = all_arguments_count(e.name);
        for (size_t i = 0; i < e.args.size(); ++i) {
            Pol a = polarity(*e.args[i], target);
            p = combine(p, inc && (i == 0 || all) ? a : unknown_if_present(a));
        }
        if (e.name == target) p = combine(p, 3); // a graphical function called by name
        return p;
    }
    }
    return 0;
}

void collect_names(const Expr &e, std::set<std::string> &out) {
    if (e.kind == ExprKind::name || e.kind == ExprKind::subscript) out.insert(e.name);
    if (e.kind == ExprKind::call) out.insert(e.name);
    for (const auto &a : e.args) collect_names(*a, out);
}

// The direction of a graphical function: 1 increasing, 2 decreasing, 3 neither.
Pol table_direction(const GraphicalFunction &gf) {
    bool up = false, down = false;
    for (size_t i = 1; i < gf.ys.size(); ++i) {
        up = up || gf.ys[i] > gf.ys[i - 1];
        down = down || gf.ys[i] < gf.ys[i - 1];
    }
    return up && down ? 3 : down ? 2 : 1;
}

} // namespace

std::vector<Dependency> dependencies(const Model &model) {
    std::unordered_map<std::string, const Variable *> by_name;
    for (const Variable &v : model.variables) by_name.emplace(canonical_name(v.name), &v);
    std::vector<Dependency> out;
    for (const Variable &v : model.variables) {
        if (v.kind == VariableKind::stock) {
            for (const std::string &f : v.inflows) out.push_back({by_name.count(canonical_name(f)) ? by_name[canonical_name(f)]->name : f, v.name, '+'});
            for (const std::string &f : v.outflows) out.push_back({by_name.count(canonical_name(f)) ? by_name[canonical_name(f)]->name : f, v.name, '-'});
            continue;
        }
        std::vector<std::pair<ExprPtr, const GraphicalFunction *>> equations;
        auto parse = [&](const std::string &text, const GraphicalFunction *gf) {
            if (text.empty()) return;
            try {
                equations.emplace_back(parse_equation(text), gf);
            } catch (const ModelError &e) {
                throw ModelError("variable '" + v.name + "': " + e.what(), v.name);
            }
        };
        parse(v.equation, v.gf ? &*v.gf : nullptr);
        for (const ElementEquation &ee : v.elements) parse(ee.equation, ee.gf ? &*ee.gf : v.gf ? &*v.gf : nullptr);
        std::map<std::string, Pol> found; // canonical source -> polarity
        for (const auto &[expr, gf] : equations) {
            std::set<std::string> names;
            collect_names(*expr, names);
            for (const std::string &n : names) {
                auto it = by_name.find(n);
                if (it == by_name.end() || it->second == &v) continue;
                Pol p = polarity(*expr, n);
                if (gf && p != 0) p = table_direction(*gf) == 2 ? flip(p) : table_direction(*gf) == 3 ? 3 : p;
                found[n] = combine(found.count(n) ? found[n] : 0, p == 0 ? 3 : p);
            }
        }
        for (const auto &[n, p] : found) out.push_back({by_name[n]->name, v.name, p == 1 ? '+' : p == 2 ? '-' : '?'});
    }
    return out;
}

} // namespace holon_sd
