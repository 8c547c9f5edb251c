#include "xmile/macros.hpp"

#include "builtins/functions.hpp"
#include "equations/lexer.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"
#include "xmile/equation_names.hpp"
#include "xmile/limits.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace holon_sd {

namespace {

constexpr size_t max_equation_size = 1'000'000;
constexpr int max_call_nesting = 100;
constexpr size_t max_macros = 1000;

[[noreturn]] void fail(const MacroDefinition &d, const std::string &what) {
    throw ModelError(what + " (line " + std::to_string(d.line) + ", column " + std::to_string(d.column) + ")", {}, d.line,
                     d.column);
}

// One call of a macro in an equation: the text from the name to the closing parenthesis.
struct Call {
    const MacroDefinition *macro = nullptr;
    size_t begin = 0, end = 0;
    size_t last_token = 0; // the closing parenthesis
    std::vector<std::string> args;
};

// Where a call is written: the variable, and whether in one element's own equation.
struct Site {
    const Variable &variable;
    bool element;
};

// Sums of variable counts stop just past the bound, so no count can overflow.
size_t add_capped(size_t a, size_t b) {
    const size_t cap = max_model_variables + 1;
    return std::min(std::min(a, cap) + std::min(b, cap), cap);
}

// A name or a number, perhaps negative or in parentheses (as a nested call passes its parameter
// on): pasting it at every use reads the same value each time.
bool is_plain(const std::string &argument) {
    std::vector<Token> tokens;
    try {
        tokens = tokenize(argument);
    } catch (const ModelError &) {
        return false;
    }
    if (tokens.empty()) return false;
    size_t begin = 0, end = tokens.size() - 1; // without the end token
    while (end - begin >= 3 && tokens[begin].kind == TokenKind::lparen && tokens[end - 1].kind == TokenKind::rparen) {
        ++begin;
        --end;
    }
    if (end - begin == 2 && tokens[begin].kind == TokenKind::op && tokens[begin].text == "-") ++begin;
    return end - begin == 1 && (tokens[begin].kind == TokenKind::name || tokens[begin].kind == TokenKind::number);
}

class Expander {
public:
    Expander(const std::vector<MacroDefinition> &macros, Model &m) : macros_(macros), m_(m) {
        for (const Variable &v : m_.variables) taken_.insert(canonical_name(v.name));
    }

    void check() {
        if (macros_.size() > max_macros)
            fail(macros_[max_macros], "more than " + std::to_string(max_macros) + " macros");
        for (const MacroDefinition &d : macros_) {
            const std::string c = canonical_name(d.name);
            if (!by_name_.emplace(c, &d).second) fail(d, "macro '" + d.name + "' is defined twice");
            if (taken_.count(c)) fail(d, "macro '" + d.name + "' has the same name as a variable of the model");
            if (find_function(c))
                m_.warnings.push_back("macro '" + d.name + "' replaces the builtin function of the same name");
            std::set<std::string> locals;
            bool defaults = false;
            for (const MacroParameter &p : d.parameters) {
                if (!locals.insert(canonical_name(p.name)).second)
                    fail(d, "macro '" + d.name + "': parameter '" + p.name + "' is listed twice");
                if (defaults && p.default_value.empty())
                    fail(d, "macro '" + d.name + "': parameter '" + p.name + "' needs a default, as the ones before it have");
                defaults = defaults || !p.default_value.empty();
            }
            for (const Variable &v : d.variables) {
                if (!locals.insert(canonical_name(v.name)).second)
                    fail(d, "macro '" + d.name + "': variable '" + v.name + "' has the name of a parameter or another variable");
                if (!v.dimensions.empty() || !v.elements.empty())
                    fail(d, "macro '" + d.name + "': arrayed variable '" + v.name + "' (arrays inside macros are not supported)");
            }
        }
        std::map<const MacroDefinition *, int> state; // 1: on the path, 2: done
        std::vector<const MacroDefinition *> path;
        for (const MacroDefinition &d : macros_) refuse_recursion(d, state, path);
    }

    void run() {
        refuse_too_many_variables();
        created_ = m_.variables.size();
        // Index-based: the variables a call adds are expanded in their turn.
        for (size_t i = 0; i < m_.variables.size(); ++i) {
            std::vector<Variable> added;
            Variable &v = m_.variables[i];
            // The call limit holds per variable, so a large model may call a one-line macro anywhere.
            calls_ = 0;
            // A variable a call added continues that call's nesting: ACC(ACC(ACC(...))) nests
            // through the argument variables, and is refused at the same depth as SQ(SQ(...)).
            int depth = 0;
            if (auto it = start_depth_.find(v.name); it != start_depth_.end()) {
                depth = it->second;
                start_depth_.erase(it);
            }
            v.equation = expand(v.equation, Site{v, false}, added, depth);
            for (ElementEquation &e : v.elements) e.equation = expand(e.equation, Site{v, true}, added, depth);
            for (Variable &a : added) m_.variables.push_back(std::move(a));
        }
    }

private:
    // Before anything is copied: an upper bound on the variables the calls add (each call of a
    // macro with variables adds its parameters and variables, and the calls in them add theirs).
    void refuse_too_many_variables() const {
        std::map<const MacroDefinition *, size_t> memo;
        size_t total = m_.variables.size();
        for (const Variable &v : m_.variables) {
            total = add_capped(total, calls_cost(v.equation, memo));
            for (const ElementEquation &e : v.elements) total = add_capped(total, calls_cost(e.equation, memo));
        }
        if (total > max_model_variables)
            throw ModelError("macro calls would give the model more than " + std::to_string(max_model_variables) +
                                 " variables (Holon's bound for modules and macros together)",
                             std::string());
    }

    size_t calls_cost(const std::string &equation, std::map<const MacroDefinition *, size_t> &memo) const {
        size_t total = 0;
        try {
            for (const std::string &name : called_names(equation))
                if (auto it = by_name_.find(canonical_name(name)); it != by_name_.end())
                    total = add_capped(total, cost(*it->second, memo));
        } catch (const ModelError &) {
            // An equation that does not tokenize: expand() reports it with its variable.
        }
        return total;
    }

    // check() has refused recursive macros, so this terminates.
    size_t cost(const MacroDefinition &d, std::map<const MacroDefinition *, size_t> &memo) const {
        if (auto it = memo.find(&d); it != memo.end()) return it->second;
        size_t total = d.variables.empty() ? 0 : d.parameters.size() + d.variables.size();
        total = add_capped(total, calls_cost(d.equation, memo));
        for (const MacroParameter &p : d.parameters) total = add_capped(total, calls_cost(p.default_value, memo));
        for (const Variable &v : d.variables) total = add_capped(total, calls_cost(v.equation, memo));
        memo[&d] = total;
        return total;
    }

    std::vector<const MacroDefinition *> callees(const MacroDefinition &d) const {
        std::vector<const MacroDefinition *> out;
        auto add = [&](const std::string &equation) {
            try {
                for (const std::string &name : called_names(equation))
                    if (auto it = by_name_.find(canonical_name(name)); it != by_name_.end()) out.push_back(it->second);
            } catch (const ModelError &e) {
                fail(d, "macro '" + d.name + "': " + e.what());
            }
        };
        add(d.equation);
        for (const MacroParameter &p : d.parameters) add(p.default_value);
        for (const Variable &v : d.variables) add(v.equation);
        return out;
    }

    void refuse_recursion(const MacroDefinition &d, std::map<const MacroDefinition *, int> &state,
                          std::vector<const MacroDefinition *> &path) const {
        if (state[&d] == 2) return;
        state[&d] = 1;
        path.push_back(&d);
        for (const MacroDefinition *callee : callees(d)) {
            if (state[callee] == 1) {
                std::string cycle;
                bool on = false;
                for (const MacroDefinition *p : path) {
                    on = on || p == callee;
                    if (on) cycle += p->name + " -> ";
                }
                fail(*callee, "macro '" + callee->name + "' calls itself (" + cycle + callee->name +
                                  "); recursive macros are not supported");
            }
            refuse_recursion(*callee, state, path);
        }
        path.pop_back();
        state[&d] = 2;
    }

    // The call whose name is tokens[t] (a macro, followed by '('): its text and arguments.
    static Call read_call(const std::vector<Token> &tokens, size_t t, const MacroDefinition *macro,
                          const std::string &equation, const std::string &caller) {
        Call call;
        call.macro = macro;
        call.begin = static_cast<size_t>(tokens[t].offset);
        std::optional<CallArguments> args = call_arguments(tokens, t + 1, equation);
        if (!args) throw ModelError("variable '" + caller + "': unbalanced parentheses", caller);
        call.args = std::move(args->args);
        call.last_token = args->close;
        call.end = static_cast<size_t>(tokens[args->close].offset) + 1;
        return call;
    }

    // Replaces each macro call in `equation` by its instance, whose own text (the macro's
    // equation with the arguments in place) is expanded in turn: calls inside arguments and
    // inside macros. `depth` counts those nested expansions.
    std::string expand(const std::string &equation, const Site &site, std::vector<Variable> &added, int depth) {
        const std::string &caller = site.variable.name;
        if (depth > max_call_nesting)
            throw ModelError("variable '" + caller + "': macro calls nested more than " + std::to_string(max_call_nesting) +
                                 " deep",
                             caller);
        std::vector<Token> tokens;
        try {
            tokens = tokenize(equation);
        } catch (const ModelError &e) {
            throw ModelError("variable '" + caller + "': " + e.what(), caller);
        }
        std::string out;
        size_t copied = 0;
        bool changed = false;
        for (size_t t = 0; t + 1 < tokens.size(); ++t) {
            if (tokens[t].kind != TokenKind::name || tokens[t + 1].kind != TokenKind::lparen) continue;
            auto it = by_name_.find(canonical_name(tokens[t].text));
            if (it == by_name_.end()) continue;
            const Call call = read_call(tokens, t, it->second, equation, caller);
            if (++calls_ > max_macro_calls_per_variable)
                throw ModelError("variable '" + caller + "': more than " + std::to_string(max_macro_calls_per_variable) +
                                     " macro calls",
                                 caller);
            const size_t before = added.size();
            const std::string instance = instantiate(*call.macro, call.args, site, added);
            for (size_t k = before; k < added.size(); ++k) start_depth_[added[k].name] = depth + 1;
            const std::string replacement = expand(instance, site, added, depth + 1);
            out.append(equation, copied, call.begin - copied);
            out += replacement;
            if (out.size() > max_equation_size)
                throw ModelError("variable '" + caller + "': its equation grows beyond " + std::to_string(max_equation_size) +
                                     " characters as macros expand",
                                 caller);
            copied = call.end;
            changed = true;
            t = call.last_token;
        }
        if (!changed) return equation;
        out.append(equation, copied);
        return out;
    }

    // Rewrites a macro's equation: parameters and macro variables to what they stand for.
    static std::string substitute(const std::string &text, const std::map<std::string, std::string> &names,
                                  const MacroDefinition &d, const std::string &caller) {
        auto lookup = [&](const NameReference &r) -> const std::string * {
            const std::string c = canonical_name(r.name);
            if (auto it = names.find(c); it != names.end()) return &it->second;
            // Else an element or dimension name inside [...], or a computed subscript's builtin.
            if (r.in_subscript || r.called || is_reserved_name(c)) return nullptr;
            throw ModelError("macro '" + d.name + "' (called by '" + caller + "'): '" + r.name +
                                 "' is neither a parameter nor a variable of the macro",
                             caller);
        };
        try {
            // Measured first, so a long body pasting a long argument many times fails before its text is built.
            size_t size = text.size();
            rename_references(text, [&](const NameReference &r) -> std::optional<std::string> {
                if (const std::string *s = lookup(r)) size += s->size();
                return std::nullopt;
            });
            if (size > max_equation_size)
                throw ModelError("variable '" + caller + "': its call of macro '" + d.name +
                                     "' would build an equation of more than " + std::to_string(max_equation_size) +
                                     " characters",
                                 caller);
            return rename_references(text, [&](const NameReference &r) -> std::optional<std::string> {
                if (const std::string *s = lookup(r)) return *s;
                return std::nullopt;
            });
        } catch (const ModelError &e) {
            if (!e.variable().empty()) throw;
            throw ModelError("macro '" + d.name + "': " + e.what(), caller);
        }
    }

    std::string instantiate(const MacroDefinition &d, const std::vector<std::string> &args, const Site &site,
                            std::vector<Variable> &added) {
        const std::string &caller = site.variable.name;
        size_t required = 0;
        for (const MacroParameter &p : d.parameters)
            if (p.default_value.empty()) ++required;
        if (args.size() < required || args.size() > d.parameters.size()) {
            std::string expected = required == d.parameters.size()
                                       ? std::to_string(required)
                                       : std::to_string(required) + " to " + std::to_string(d.parameters.size());
            throw ModelError("variable '" + caller + "': macro '" + d.name + "' takes " + expected + " argument" +
                                 (d.parameters.size() == 1 ? "" : "s") + ", not " + std::to_string(args.size()),
                             caller);
        }
        std::map<std::string, std::string> names;
        if (d.variables.empty()) {
            // Arguments are values: one used more than once gets its own variable, so that
            // SUB(x) = x - x on RANDOM(0,1) is 0 and TWICE(ACC(1,0)) builds one stock.
            const std::vector<size_t> uses = parameter_uses(d, args.size());
            std::string base;
            for (size_t i = 0; i < d.parameters.size(); ++i) {
                const MacroParameter &p = d.parameters[i];
                std::string value = i < args.size() ? args[i] : substitute(p.default_value, names, d, caller);
                if (uses[i] < 2 || is_plain(value)) {
                    names[canonical_name(p.name)] = "(" + value + ")";
                    continue;
                }
                if (site.element)
                    throw ModelError("variable '" + caller + "': an element equation passes an expression to macro '" +
                                         d.name + "' for parameter '" + p.name +
                                         "', which the macro uses more than once; pass a variable instead",
                                     caller);
                reserve(1, d, caller);
                if (base.empty()) base = instance_prefix(d, caller);
                Variable v;
                v.name = base + p.name;
                v.equation = std::move(value);
                v.dimensions = site.variable.dimensions; // an apply-to-all argument keeps the caller's dimensions
                names[canonical_name(p.name)] = quoted_name(v.name);
                added.push_back(std::move(v));
            }
            return "(" + substitute(d.equation, names, d, caller) + ")";
        }
        if (!site.variable.dimensions.empty())
            throw ModelError("variable '" + caller + "' is arrayed and calls macro '" + d.name +
                                 "', which has variables (a copy per element is not supported)",
                             caller);
        reserve(d.parameters.size() + d.variables.size(), d, caller);
        const std::string base = instance_prefix(d, caller);
        for (size_t i = 0; i < d.parameters.size(); ++i) {
            const MacroParameter &p = d.parameters[i];
            Variable v;
            v.name = base + p.name;
            v.equation = i < args.size() ? args[i] : substitute(p.default_value, names, d, caller);
            names[canonical_name(p.name)] = quoted_name(v.name);
            added.push_back(std::move(v));
        }
        std::map<std::string, std::string> instance_names; // canonical local name -> its copy's name
        for (const Variable &v : d.variables) {
            names[canonical_name(v.name)] = quoted_name(base + v.name);
            instance_names[canonical_name(v.name)] = base + v.name;
        }
        for (const Variable &v : d.variables) {
            Variable copy = v;
            copy.name = base + v.name;
            copy.equation = substitute(v.equation, names, d, caller);
            for (std::vector<std::string> *flows : {&copy.inflows, &copy.outflows})
                for (std::string &f : *flows) {
                    auto it = instance_names.find(canonical_name(f));
                    if (it == instance_names.end())
                        throw ModelError("macro '" + d.name + "': stock '" + v.name + "' names flow '" + f +
                                             "', which is not a variable of the macro",
                                         caller);
                    f = it->second;
                }
            added.push_back(std::move(copy));
        }
        return "(" + substitute(d.equation, names, d, caller) + ")";
    }

    // How often the macro's equation uses each parameter, counting the defaults that will be
    // pasted for the parameters without an argument (a default may use earlier parameters).
    static std::vector<size_t> parameter_uses(const MacroDefinition &d, size_t given) {
        std::map<std::string, size_t> index;
        for (size_t i = 0; i < d.parameters.size(); ++i) index.emplace(canonical_name(d.parameters[i].name), i);
        std::vector<size_t> uses(d.parameters.size(), 0);
        auto count = [&](const std::string &text) {
            try {
                rename_references(text, [&](const NameReference &r) -> std::optional<std::string> {
                    if (auto it = index.find(canonical_name(r.name)); !r.called && it != index.end()) ++uses[it->second];
                    return std::nullopt;
                });
            } catch (const ModelError &) {
                // substitute() reports the text that does not tokenize, naming the macro.
            }
        };
        count(d.equation);
        for (size_t j = given; j < d.parameters.size(); ++j) count(d.parameters[j].default_value);
        return uses;
    }

    // Counts `n` new variables against the bound shared with modules, before they are copied.
    void reserve(size_t n, const MacroDefinition &d, const std::string &caller) {
        if (created_ + n > max_model_variables)
            throw ModelError("variable '" + caller + "': calling macro '" + d.name +
                                 "' would give the model more than " + std::to_string(max_model_variables) +
                                 " variables (Holon's bound for modules and macros together)",
                             caller);
        created_ += n;
    }

    // "<caller>.<macro>#<n>.", with the first n whose names are all free.
    std::string instance_prefix(const MacroDefinition &d, const std::string &caller) {
        int &n = counters_[canonical_name(caller) + "|" + canonical_name(d.name)];
        for (;;) {
            const std::string base = caller + "." + d.name + "#" + std::to_string(++n) + ".";
            bool free = true;
            for (const MacroParameter &p : d.parameters) free = free && !taken_.count(canonical_name(base + p.name));
            for (const Variable &v : d.variables) free = free && !taken_.count(canonical_name(base + v.name));
            if (!free) continue;
            for (const MacroParameter &p : d.parameters) taken_.insert(canonical_name(base + p.name));
            for (const Variable &v : d.variables) taken_.insert(canonical_name(base + v.name));
            return base;
        }
    }

    const std::vector<MacroDefinition> &macros_;
    Model &m_;
    std::map<std::string, const MacroDefinition *> by_name_;
    std::set<std::string> taken_;
    std::map<std::string, int> counters_;
    int calls_ = 0;       // in the variable being expanded
    size_t created_ = 0;  // variables of the model so far, counting those a call is adding
    std::map<std::string, int> start_depth_; // added variables not yet expanded -> the nesting they continue
};

} // namespace

void expand_macros(const std::vector<MacroDefinition> &macros, Model &m) {
    if (macros.empty()) return;
    Expander expander(macros, m);
    expander.check();
    expander.run();
}

} // namespace holon_sd
