#include "xmile/macros.hpp"

#include "builtins/functions.hpp"
#include "equations/lexer.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"
#include "xmile/equation_names.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace holon::sd {

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
        // Index-based: the variables a call adds are expanded in their turn.
        for (size_t i = 0; i < m_.variables.size(); ++i) {
            std::vector<Variable> added;
            Variable &v = m_.variables[i];
            const bool arrayed = !v.dimensions.empty();
            v.equation = expand(v.equation, v.name, arrayed, added);
            for (ElementEquation &e : v.elements) e.equation = expand(e.equation, v.name, arrayed, added);
            for (Variable &a : added) m_.variables.push_back(std::move(a));
        }
    }

private:
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
    std::string expand(const std::string &equation, const std::string &caller, bool arrayed, std::vector<Variable> &added,
                       int depth = 0) {
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
            if (++calls_ > max_macro_calls)
                throw ModelError("variable '" + caller + "': more than " + std::to_string(max_macro_calls) + " macro calls",
                                 caller);
            const std::string replacement =
                expand(instantiate(*call.macro, call.args, caller, arrayed, added), caller, arrayed, added, depth + 1);
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
        auto rename = [&](const NameReference &r) -> std::optional<std::string> {
            const std::string c = canonical_name(r.name);
            if (auto it = names.find(c); it != names.end()) return it->second;
            // Else an element or dimension name inside [...], or a computed subscript's builtin.
            if (r.in_subscript || r.called || is_reserved_name(c)) return std::nullopt;
            throw ModelError("macro '" + d.name + "' (called by '" + caller + "'): '" + r.name +
                                 "' is neither a parameter nor a variable of the macro",
                             caller);
        };
        try {
            return rename_references(text, rename);
        } catch (const ModelError &e) {
            if (!e.variable().empty()) throw;
            throw ModelError("macro '" + d.name + "': " + e.what(), caller);
        }
    }

    std::string instantiate(const MacroDefinition &d, const std::vector<std::string> &args, const std::string &caller,
                            bool arrayed, std::vector<Variable> &added) {
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
            for (size_t i = 0; i < d.parameters.size(); ++i) {
                const MacroParameter &p = d.parameters[i];
                names[canonical_name(p.name)] =
                    "(" + (i < args.size() ? args[i] : substitute(p.default_value, names, d, caller)) + ")";
            }
            return "(" + substitute(d.equation, names, d, caller) + ")";
        }
        if (arrayed)
            throw ModelError("variable '" + caller + "' is arrayed and calls macro '" + d.name +
                                 "', which has variables (a copy per element is not supported)",
                             caller);
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
    int calls_ = 0;
};

} // namespace

void expand_macros(const std::vector<MacroDefinition> &macros, Model &m) {
    if (macros.empty()) return;
    Expander expander(macros, m);
    expander.check();
    expander.run();
}

} // namespace holon::sd
