#include "units/units.hpp"

#include "equations/parser.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"

#include <cmath>
#include <cstdlib>
#include <set>
#include <unordered_map>

namespace holon_sd {

namespace {

bool is_unit_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ' ' ||
           c == '$' || c == '%' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

void combine(Units &into, const Units &other, int sign) {
    for (const auto &[base, exp] : other) {
        int &e = into[base];
        e += sign * exp;
        if (e == 0) into.erase(base);
    }
}

Units power(const Units &u, int k) {
    Units out;
    if (k == 0) return out;
    for (const auto &[base, exp] : u) out[base] = exp * k;
    return out;
}

bool is_dimensionless_name(const std::string &c) {
    return c == "dmnl" || c == "dimensionless" || c == "unitless" || c == "1" || c == "fraction" || c.empty();
}

// A small recursive-descent parser: factor ((*|/) factor)*, factor = name|1|(expr) [^ int].
class UnitParser {
public:
    explicit UnitParser(const std::string &s) : s_(s) {}
    std::optional<Units> parse() {
        auto u = product();
        skip();
        if (!u || pos_ != s_.size()) return std::nullopt;
        return u;
    }

private:
    void skip() {
        while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
    }
    std::optional<Units> product() {
        auto left = factor();
        if (!left) return std::nullopt;
        for (;;) {
            skip();
            if (pos_ >= s_.size() || (s_[pos_] != '*' && s_[pos_] != '/')) return left;
            int sign = s_[pos_++] == '*' ? 1 : -1;
            auto right = factor();
            if (!right) return std::nullopt;
            combine(*left, *right, sign);
        }
    }
    std::optional<Units> factor() {
        skip();
        if (depth_ > 16 || pos_ >= s_.size()) return std::nullopt;
        std::optional<Units> u;
        if (s_[pos_] == '(') {
            ++pos_;
            ++depth_;
            u = product();
            --depth_;
            skip();
            if (!u || pos_ >= s_.size() || s_[pos_] != ')') return std::nullopt;
            ++pos_;
        } else {
            size_t start = pos_;
            while (pos_ < s_.size() && is_unit_char(s_[pos_])) ++pos_;
            std::string name = canonical_name(s_.substr(start, pos_ - start));
            if (name.empty()) return std::nullopt;
            u = Units{};
            if (!is_dimensionless_name(name)) (*u)[name] = 1;
        }
        skip();
        if (pos_ < s_.size() && s_[pos_] == '^') {
            ++pos_;
            skip();
            size_t start = pos_;
            if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
            std::string digits = s_.substr(start, pos_ - start);
            if (digits.empty() || digits == "-" || digits.size() > 3) return std::nullopt;
            u = power(*u, std::stoi(digits));
        }
        return u;
    }
    const std::string &s_;
    size_t pos_ = 0;
    int depth_ = 0;
};

// The units an expression computes: known units, or unknown (nullopt) where a number, an
// undeclared variable or a function without a unit rule makes them undetermined.
class Inference {
public:
    Inference(const Model &m, const UnitTable &table, std::vector<UnitFinding> &findings) : findings_(findings) {
        time_ = m.sim_specs.time_units.empty() ? std::nullopt : table.parse(m.sim_specs.time_units);
        for (const Variable &v : m.variables) {
            if (v.units.empty()) continue;
            if (auto u = table.parse(v.units)) declared_[canonical_name(v.name)] = *u;
        }
    }

    const std::optional<Units> &time_units() const { return time_; }
    std::optional<Units> declared(const std::string &name) const {
        auto it = declared_.find(canonical_name(name));
        if (it == declared_.end()) return std::nullopt;
        return it->second;
    }

    std::optional<Units> infer(const Expr &e, const std::string &variable) {
        switch (e.kind) {
        case ExprKind::number:
        case ExprKind::wildcard:
        case ExprKind::range: return std::nullopt;
        case ExprKind::name:
            if (e.name == "time" || e.name == "dt" || e.name == "starttime" || e.name == "stoptime") return time_;
            if (e.name == "pi") return Units{};
            return declared(e.name);
        case ExprKind::subscript: return declared(e.name);
        case ExprKind::transpose: return infer(*e.args[0], variable);
        case ExprKind::unary: {
            auto a = infer(*e.args[0], variable);
            return e.op == '!' ? std::optional<Units>(Units{}) : a;
        }
        case ExprKind::binary: {
            auto a = infer(*e.args[0], variable), b = infer(*e.args[1], variable);
            switch (e.op) {
            case '*':
            case '/':
                if (!a || !b) return std::nullopt;
                combine(*a, *b, e.op == '*' ? 1 : -1);
                return a;
            case '^': {
                const Expr &ex = *e.args[1];
                if (!a) return std::nullopt;
                if (a->empty()) return a;
                if (ex.kind == ExprKind::number && ex.value == std::floor(ex.value) && std::fabs(ex.value) < 100)
                    return power(*a, static_cast<int>(ex.value));
                return std::nullopt;
            }
            case '+':
            case '-':
            case '%': return agree(a, b, variable, "both sides of '" + std::string(1, e.op == '%' ? 'M' : e.op) + "'");
            case '&':
            case '|': return Units{};
            default: // comparisons: operands agree, the result is a truth value
                agree(a, b, variable, "both sides of a comparison");
                return Units{};
            }
        }
        case ExprKind::if_then_else: {
            infer(*e.args[0], variable);
            return agree(infer(*e.args[1], variable), infer(*e.args[2], variable), variable, "the THEN and ELSE branches");
        }
        case ExprKind::call: return call(e, variable);
        }
        return std::nullopt;
    }

private:
    std::optional<Units> agree(const std::optional<Units> &a, const std::optional<Units> &b, const std::string &variable,
                               const std::string &what) {
        if (a && b && *a != *b)
            findings_.push_back({variable, format_units(*a), format_units(*b),
                                 "variable '" + variable + "': " + what + " have different units (" + format_units(*a) +
                                     " and " + format_units(*b) + ")"});
        return a ? a : b;
    }

    std::optional<Units> call(const Expr &e, const std::string &variable) {
        const std::string &f = e.name;
        std::vector<std::optional<Units>> args;
        for (const auto &a : e.args) args.push_back(infer(*a, variable));
        auto arg = [&](size_t i) { return i < args.size() ? args[i] : std::nullopt; };
        if (f == "exp" || f == "ln" || f == "log10" || f == "sin" || f == "cos" || f == "tan" || f == "arcsin" ||
            f == "arccos" || f == "arctan") {
            if (auto a = arg(0); a && !a->empty())
                findings_.push_back({variable, "1", format_units(*a),
                                     "variable '" + variable + "': " + f + " needs a dimensionless argument, found " +
                                         format_units(*a)});
            return Units{};
        }
        if (f == "sqrt") {
            auto a = arg(0);
            if (!a) return std::nullopt;
            Units out;
            for (const auto &[base, exp] : *a) {
                if (exp % 2 != 0) return std::nullopt;
                out[base] = exp / 2;
            }
            return out;
        }
        if (f == "abs" || f == "int" || f == "init" || f == "previous" || f == "smth1" || f == "smth3" || f == "smthn" ||
            f == "delay1" || f == "delay3" || f == "delayn" || f == "delay n" || f == "delay" || f == "forcst" || f == "sum" || f == "mean" ||
            f == "stddev")
            return arg(0);
        if ((f == "min" || f == "max") && args.size() == 2) return agree(arg(0), arg(1), variable, "the arguments of " + f);
        if (f == "min" || f == "max") return arg(0);
        if (f == "if then else" && args.size() == 3) return agree(arg(1), arg(2), variable, "the THEN and ELSE branches");
        if (f == "safediv" && args.size() >= 2) {
            auto a = arg(0), b = arg(1);
            if (!a || !b) return std::nullopt;
            combine(*a, *b, -1);
            return a;
        }
        if (f == "trend") {
            if (auto t = time_) return power(*t, -1);
            return std::nullopt;
        }
        if (f == "size" || f == "rank") return Units{};
        if (f == "step" || f == "pulse" || f == "ramp" || f == "random" || f == "normal") return std::nullopt;
        // A graphical function called by name returns its own declared units.
        return declared(f);
    }

    std::vector<UnitFinding> &findings_;
    std::optional<Units> time_;
    std::unordered_map<std::string, Units> declared_;
};

} // namespace

std::optional<Units> parse_units(const std::string &text) {
    if (text.size() > 200) return std::nullopt;
    return UnitParser(text).parse();
}

const std::vector<std::vector<std::string>> &builtin_unit_aliases() {
    static const std::vector<std::vector<std::string>> groups = {
        {"people", "person", "persons"}, {"dollar", "dollars", "$", "$s"}, {"unit", "units"},
        {"second", "seconds"},           {"minute", "minutes"},            {"hour", "hours"},
        {"day", "days"},                 {"week", "weeks"},                {"month", "months"},
        {"year", "years"}};
    return groups;
}

namespace {

bool is_number(const std::string &name, double &value) {
    char *end = nullptr;
    value = std::strtod(name.c_str(), &end);
    return !name.empty() && end == name.c_str() + name.size();
}

// No real unit has a larger power; definitions that multiply out beyond it are not meant.
constexpr long long max_exponent = 1000;

} // namespace

UnitTable::UnitTable(const std::vector<UnitDefinition> &definitions) {
    std::map<std::string, Units> equations; // canonical unit name -> its equation's units, unscaled only
    for (const UnitDefinition &d : definitions) {
        std::string name = canonical_name(d.name);
        if (name.empty()) continue;
        primary_.emplace(name, name);
        for (const std::string &a : d.aliases) primary_.emplace(canonical_name(a), name);
        if (d.equation.empty()) continue;
        auto u = parse_units(d.equation);
        if (!u) {
            problems_.push_back("unit '" + d.name + "': cannot read its equation '" + d.equation + "'");
            continue;
        }
        bool scaled = false;
        for (const auto &[base, exp] : *u) {
            double value = 0;
            if (is_number(base, value)) scaled = scaled || value != 1;
        }
        if (!scaled) equations.emplace(name, *u);
    }
    for (const std::vector<std::string> &group : builtin_unit_aliases()) {
        std::string target = canonical_name(group.front());
        for (const std::string &member : group)
            if (auto it = primary_.find(canonical_name(member)); it != primary_.end()) {
                target = it->second;
                break;
            }
        for (const std::string &member : group) primary_.emplace(canonical_name(member), target);
    }
    // Expands each definition through the others once (memoised), depth first with an explicit
    // stack so that no chain of definitions can exhaust the call stack. The definition that
    // closes a cycle, and one whose exponents grow past any real unit, stay units of their own.
    enum class State { open, expanded, own };
    std::map<std::string, State> state;
    std::set<std::string> closes_cycle;
    auto unit_of = [this](const std::string &base) {
        auto p = primary_.find(base);
        return p == primary_.end() ? base : p->second;
    };
    for (const auto &entry : equations) {
        std::vector<std::pair<std::string, bool>> stack{{entry.first, false}}; // name, children done
        while (!stack.empty()) {
            auto [name, children_done] = stack.back();
            stack.pop_back();
            if (!children_done) {
                if (state.count(name)) continue;
                state[name] = State::open;
                stack.emplace_back(name, true);
                for (const auto &term : equations.at(name)) {
                    std::string unit = unit_of(term.first);
                    if (!equations.count(unit)) continue;
                    auto s = state.find(unit);
                    if (s == state.end()) stack.emplace_back(unit, false);
                    else if (s->second == State::open) closes_cycle.insert(name);
                }
                continue;
            }
            if (closes_cycle.count(name)) {
                state[name] = State::own;
                problems_.push_back("unit '" + name + "' is defined through itself; it is kept as a unit of its own");
                continue;
            }
            Units out;
            bool too_large = false;
            for (const auto &[base, exp] : equations.at(name)) {
                std::string unit = unit_of(base);
                double value = 0;
                if (is_number(unit, value)) continue;
                auto s = state.find(unit);
                Units part = s != state.end() && s->second == State::expanded ? expansion_.at(unit) : Units{{unit, 1}};
                for (const auto &[b, e] : part) too_large = too_large || std::abs(static_cast<long long>(e) * exp) > max_exponent;
                if (!too_large) combine(out, power(part, exp), 1);
            }
            for (const auto &[b, e] : out) too_large = too_large || std::abs(e) > max_exponent;
            if (too_large) {
                state[name] = State::own;
                problems_.push_back("unit '" + name + "' expands to powers beyond " + std::to_string(max_exponent) +
                                    "; it is kept as a unit of its own");
                continue;
            }
            state[name] = State::expanded;
            expansion_.emplace(name, std::move(out));
        }
    }
}

Units UnitTable::resolve(const std::string &name) const {
    auto p = primary_.find(name);
    const std::string &unit = p == primary_.end() ? name : p->second;
    auto e = expansion_.find(unit);
    if (e != expansion_.end()) return e->second;
    return Units{{unit, 1}};
}

std::optional<Units> UnitTable::parse(const std::string &text) const {
    auto raw = parse_units(text);
    if (!raw) return std::nullopt;
    Units out;
    for (const auto &[base, exp] : *raw) combine(out, power(resolve(base), exp), 1);
    return out;
}

std::string format_units(const Units &u) {
    std::string num, den;
    for (const auto &[base, exp] : u) {
        std::string &side = exp > 0 ? num : den;
        if (!side.empty()) side += "*";
        side += base;
        if (std::abs(exp) != 1) side += "^" + std::to_string(std::abs(exp));
    }
    if (num.empty()) num = "1";
    return den.empty() ? num : num + "/" + den;
}

std::vector<UnitFinding> check_units(const Model &model) {
    std::vector<UnitFinding> findings;
    UnitTable table(model.units);
    for (const std::string &problem : table.problems()) findings.push_back({"", "", "", problem});
    Inference inf(model, table, findings);
    for (const Variable &v : model.variables) {
        if (!v.units.empty() && !table.parse(v.units))
            findings.push_back({v.name, "", v.units, "variable '" + v.name + "': cannot read the units '" + v.units + "'"});
    }
    for (const Variable &v : model.variables) {
        auto declared = inf.declared(v.name);
        if (v.kind == VariableKind::stock) {
            // A flow's units are the stock's per time unit.
            if (declared && inf.time_units()) {
                Units want = *declared;
                combine(want, *inf.time_units(), -1);
                for (const auto *list : {&v.inflows, &v.outflows})
                    for (const std::string &flow : *list)
                        if (auto fu = inf.declared(flow); fu && *fu != want)
                            findings.push_back({flow, format_units(want), format_units(*fu),
                                                "flow '" + flow + "' of stock '" + v.name + "' should be in " +
                                                    format_units(want) + ", is in " + format_units(*fu)});
            }
            continue;
        }
        std::vector<std::string> equations;
        if (!v.equation.empty()) equations.push_back(v.equation);
        for (const ElementEquation &ee : v.elements) equations.push_back(ee.equation);
        for (const std::string &text : equations) {
            if (text.find("???") != std::string::npos) continue;
            ExprPtr e;
            try {
                e = parse_equation(text);
            } catch (const ModelError &err) {
                throw ModelError("variable '" + v.name + "': " + err.what(), v.name);
            }
            auto found = inf.infer(*e, v.name);
            // Through a graphical function the equation's units are its input's, not its result's.
            if (v.gf) continue;
            if (declared && found && *declared != *found)
                findings.push_back({v.name, format_units(*declared), format_units(*found),
                                    "variable '" + v.name + "' is declared in " + format_units(*declared) +
                                        " but its equation computes " + format_units(*found)});
        }
    }
    return findings;
}

} // namespace holon_sd
