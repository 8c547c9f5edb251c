#include "ltm/expand_builtins.hpp"

#include "equations/lexer.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"
#include "ltm/link_scores.hpp"

#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace holon_sd::ltm {

namespace {

enum class Family { smooth, delay, init };

struct Builtin {
    Family family;
    int order;             // 0: given by the third argument
    size_t min_args, max_args;
};

std::optional<Builtin> expandable(const std::string &canonical) {
    if (canonical == "smth1") return Builtin{Family::smooth, 1, 2, 3};
    if (canonical == "smth3") return Builtin{Family::smooth, 3, 2, 3};
    if (canonical == "smthn") return Builtin{Family::smooth, 0, 3, 4};
    if (canonical == "delay1") return Builtin{Family::delay, 1, 2, 3};
    if (canonical == "delay3") return Builtin{Family::delay, 3, 2, 3};
    if (canonical == "delayn") return Builtin{Family::delay, 0, 3, 4};
    if (canonical == "init") return Builtin{Family::init, 0, 1, 1};
    return std::nullopt;
}

std::string quoted(const std::string &name) { return "\"" + name + "\""; }

Variable make(std::string name, VariableKind kind, std::string equation) {
    Variable v;
    v.name = std::move(name);
    v.kind = kind;
    v.equation = std::move(equation);
    return v;
}

class Expander {
public:
    explicit Expander(Model &m) : m_(m) {
        for (const Variable &v : m_.variables) taken_.insert(canonical_name(v.name));
    }

    void run() {
        // Index-based: expanding appends variables, which are expanded in their turn.
        for (size_t i = 0; i < m_.variables.size(); ++i) {
            if (m_.variables[i].kind == VariableKind::stock) continue;
            while (expand_first_call(i)) {
            }
        }
    }

private:
    std::string unique(const std::string &base) {
        std::string name = base;
        for (int k = 2; taken_.count(canonical_name(name)); ++k) name = base + " " + std::to_string(k);
        taken_.insert(canonical_name(name));
        return name;
    }

    // Replaces the first expandable call in variable i's equation; false when there is none.
    bool expand_first_call(size_t i) {
        const std::string equation = m_.variables[i].equation;
        const std::string owner = m_.variables[i].name;
        std::vector<Token> tokens;
        try {
            tokens = tokenize(equation);
        } catch (const ModelError &e) {
            throw ModelError("variable '" + owner + "': " + e.what(), owner);
        }
        for (size_t t = 0; t + 1 < tokens.size(); ++t) {
            if (tokens[t].kind != TokenKind::name || tokens[t + 1].kind != TokenKind::lparen) continue;
            const std::string function = canonical_name(tokens[t].text);
            const auto builtin = expandable(function);
            if (!builtin) continue;
            std::optional<CallArguments> call = call_arguments(tokens, t + 1, equation);
            if (!call) throw ModelError("variable '" + owner + "': unbalanced parentheses", owner);
            const std::vector<std::string> &args = call->args;
            const size_t close = call->close;
            if (args.size() < builtin->min_args || args.size() > builtin->max_args)
                throw ModelError("variable '" + owner + "': " + tokens[t].text + " takes " +
                                     std::to_string(builtin->min_args) + " to " + std::to_string(builtin->max_args) +
                                     " arguments",
                                 owner);
            const std::string output = expand(*builtin, tokens[t].text, args, owner);
            const size_t begin = static_cast<size_t>(tokens[t].offset);
            const size_t end = static_cast<size_t>(tokens[close].offset) + 1;
            m_.variables[i].equation = equation.substr(0, begin) + quoted(output) + equation.substr(end);
            return true;
        }
        return false;
    }

    int order_of(const Builtin &b, const std::string &written, const std::vector<std::string> &args,
                 const std::string &owner) const {
        if (b.order > 0) return b.order;
        char *end = nullptr;
        const double value = std::strtod(args[2].c_str(), &end);
        if (args[2].empty() || *end != '\0' || value != std::floor(value) || value < 1 || value > 1000)
            throw Unsupported("variable '" + owner + "' calls " + written +
                              " with an order that is not a whole number from 1 to 1000: its stages cannot be made explicit");
        return static_cast<int>(value);
    }

    // Adds the stocks and flows of one call; returns the name of the variable that carries its output.
    std::string expand(const Builtin &b, const std::string &written, const std::vector<std::string> &args,
                       const std::string &owner) {
        const std::string base = owner + " " + canonical_name(written) + " " + std::to_string(++calls_);
        const std::string input = "(" + args[0] + ")";
        if (b.family == Family::init) {
            const std::string stock = unique(base);
            m_.variables.push_back(make(stock, VariableKind::stock, input));
            return stock;
        }
        const int order = order_of(b, written, args, owner);
        const size_t init_arg = b.order > 0 ? 2 : 3;
        const std::string initial = args.size() > init_arg ? "(" + args[init_arg] + ")" : input;
        const std::string stage_time = "((" + args[1] + ") / " + std::to_string(order) + ")";
        std::string previous = input;
        std::string inflow;
        if (b.family == Family::delay) {
            inflow = unique(base + " inflow");
            m_.variables.push_back(make(inflow, VariableKind::flow, input));
        }
        std::string output;
        for (int k = 1; k <= order; ++k) {
            const std::string stock = unique(base + " stage " + std::to_string(k));
            Variable s;
            if (b.family == Family::smooth) {
                const std::string adjustment = unique(base + " adjustment " + std::to_string(k));
                s = make(stock, VariableKind::stock, initial);
                s.inflows = {adjustment};
                m_.variables.push_back(
                    make(adjustment, VariableKind::flow, "(" + previous + " - " + quoted(stock) + ") / " + stage_time));
                previous = quoted(stock);
                output = stock;
            } else {
                const std::string outflow = unique(base + " outflow " + std::to_string(k));
                s = make(stock, VariableKind::stock, initial + " * " + stage_time);
                s.inflows = {inflow};
                s.outflows = {outflow};
                m_.variables.push_back(make(outflow, VariableKind::flow, quoted(stock) + " / " + stage_time));
                inflow = outflow;
                output = outflow;
            }
            m_.variables.push_back(std::move(s));
        }
        return output;
    }

    Model &m_;
    std::set<std::string> taken_;
    int calls_ = 0;
};

} // namespace

void expand_stateful_builtins(Model &model) { Expander(model).run(); }

} // namespace holon_sd::ltm
