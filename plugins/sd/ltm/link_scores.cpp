#include "ltm/link_scores.hpp"

#include "compile/compiler.hpp"
#include "equations/lexer.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"
#include "ltm/expand_builtins.hpp"
#include "structure/dependencies.hpp"

#include <cmath>
#include <set>
#include <unordered_map>

namespace holon_sd::ltm {

namespace {

// Builtins that keep state between steps and have no explicit stock-and-flow form here:
// re-evaluating the equation with PREVIOUS inputs would restart or double their state, so the
// partial change of one input is not defined that way.
bool stateful_builtin(const std::string &canonical) {
    // (SMTH, DELAY1/3/N and INIT never get here: expand_stateful_builtins made them explicit.)
    static const std::set<std::string> names{"previous", "trend",  "forcst",    "delay",  "delay n", "npv",
                                             "random",   "normal", "lognormal", "exprnd", "poisson"};
    return names.count(canonical) > 0;
}

// z's equation with every variable other than `keep` read at the previous step.
std::string partial_equation(const Variable &z, const std::string &keep, const std::set<std::string> &variables) {
    std::vector<Token> tokens;
    try {
        tokens = tokenize(z.equation);
    } catch (const ModelError &e) {
        throw ModelError("variable '" + z.name + "': " + e.what(), z.name);
    }
    std::string out;
    size_t copied = 0;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
        const Token &t = tokens[i];
        if (t.kind != TokenKind::name) continue;
        const std::string c = canonical_name(t.text);
        const bool call = tokens[i + 1].kind == TokenKind::lparen;
        if (call) {
            if (stateful_builtin(c))
                throw Unsupported("variable '" + z.name + "' calls " + t.text +
                                  ", a builtin with its own state: the partial change of one of its inputs is not "
                                  "defined by re-evaluating the equation, so its links cannot be scored");
            continue;
        }
        if (tokens[i + 1].kind == TokenKind::lbracket)
            throw Unsupported("variable '" + z.name + "' reads an array element: arrayed links are not scored");
        // LOOKUP's first argument names a table, not a value.
        if (i >= 2 && tokens[i - 1].kind == TokenKind::lparen && tokens[i - 2].kind == TokenKind::name &&
            canonical_name(tokens[i - 2].text) == "lookup")
            continue;
        if (c == keep || !variables.count(c)) continue;
        const size_t begin = static_cast<size_t>(t.offset);
        const size_t end = static_cast<size_t>(tokens[i + 1].offset);
        const std::string written = trim(std::string_view(z.equation).substr(begin, end - begin));
        out.append(z.equation, copied, begin - copied);
        out += "PREVIOUS(" + written + ")";
        out.append(z.equation, begin + written.size(), end - begin - written.size());
        copied = end;
    }
    out.append(z.equation, copied, std::string::npos);
    return out;
}

void refuse_arrays(const Model &model) {
    if (!model.dimensions.empty())
        throw Unsupported("the model has dimensions: link scores of arrayed models are not computed (arrayed links "
                          "would need one score per element pair)");
    for (const Variable &v : model.variables)
        if (!v.dimensions.empty() || !v.elements.empty())
            throw Unsupported("variable '" + v.name + "' is arrayed: link scores of arrayed models are not computed");
}

std::string unique_name(const std::string &base, std::set<std::string> &taken) {
    std::string name = base;
    for (int k = 2; taken.count(canonical_name(name)); ++k) name = base + " " + std::to_string(k);
    taken.insert(canonical_name(name));
    return name;
}

double sign(double v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0; }

} // namespace

double link_score(double partial_change, double total_change, double source_change) {
    if (total_change == 0 || source_change == 0) return 0;
    return std::fabs(partial_change / total_change) * sign(partial_change / source_change);
}

LinkScores link_scores(const Model &original, RunSettings settings, FlowStockForm form) {
    refuse_arrays(original);
    Model model = original;
    expand_stateful_builtins(model);
    if (settings.method.value_or(model.sim_specs.method) != IntegrationMethod::euler) {
        if (settings.method)
            throw Unsupported("link scores are computed with Euler only (the stock change over a step must be dt "
                              "times the net flow)");
        throw Unsupported(std::string("the model asks for ") + to_string(model.sim_specs.method) +
                          "; link scores are computed with Euler only: set method to euler to score it under Euler");
    }
    settings.method = IntegrationMethod::euler;
    settings.save_step.reset();
    // The score labelled T needs the values at T + dt: one extra step past stop scores stop too.
    const double dt = settings.dt.value_or(model.sim_specs.dt);
    settings.stop = settings.stop.value_or(model.sim_specs.stop) + dt;
    settings.outputs.clear();

    std::unordered_map<std::string, const Variable *> by_name;
    std::set<std::string> names;
    for (const Variable &v : model.variables) {
        by_name.emplace(canonical_name(v.name), &v);
        names.insert(canonical_name(v.name));
    }

    struct Pending {
        ScoredLink link;
        std::string synthetic; // the partial's variable (links into auxiliaries and flows)
    };
    std::vector<Pending> pending;
    Model augmented = model;
    std::set<std::string> taken = names;
    for (const Dependency &d : dependencies(model)) {
        const auto source = by_name.find(canonical_name(d.from));
        if (source == by_name.end()) throw ModelError("stock '" + d.to + "' names unknown flow '" + d.from + "'", d.to);
        // A graphical function called by name is a table, not a value that changes.
        if (source->second->gf && source->second->equation.empty()) continue;
        Pending p;
        p.link.from = d.from;
        p.link.to = d.to;
        p.link.polarity = d.polarity;
        const Variable &z = *by_name.at(canonical_name(d.to));
        if (z.kind == VariableKind::stock) {
            p.link.flow_to_stock = true;
        } else {
            Variable partial;
            partial.name = unique_name("ltm partial " + d.from + " to " + d.to, taken);
            partial.kind = z.kind;
            partial.equation = partial_equation(z, canonical_name(d.from), names);
            partial.gf = z.gf;
            partial.non_negative = z.non_negative;
            p.synthetic = partial.name;
            augmented.variables.push_back(std::move(partial));
        }
        pending.push_back(std::move(p));
    }

    const Program program = compile(augmented);
    Simulator simulator(program);
    const Results &r = simulator.run(settings);
    std::unordered_map<std::string, size_t> column;
    for (size_t c = 0; c < r.names.size(); ++c) column.emplace(canonical_name(r.names[c]), c);
    auto series = [&](const std::string &name) {
        const auto it = column.find(canonical_name(name));
        if (it == column.end()) throw ModelError("link scores: no output for '" + name + "'", name);
        std::vector<double> values(r.times.size());
        for (size_t row = 0; row < r.times.size(); ++row) values[row] = r.value(row, it->second);
        return values;
    };

    LinkScores out;
    out.dt = dt;
    const size_t rows = r.times.size();
    const size_t steps = rows > 0 ? rows - 1 : 0;
    out.times.assign(r.times.begin(), r.times.begin() + static_cast<std::ptrdiff_t>(steps));

    // Net flow per stock, for the flow -> stock scores.
    std::unordered_map<std::string, std::vector<double>> net_flow;
    for (const Variable &s : model.variables) {
        if (s.kind != VariableKind::stock) continue;
        std::vector<double> net(rows, 0.0);
        for (const auto *flows : {&s.inflows, &s.outflows}) {
            const double direction = flows == &s.inflows ? 1.0 : -1.0;
            for (const std::string &f : *flows) {
                const std::vector<double> values = series(f);
                for (size_t k = 0; k < rows; ++k) net[k] += direction * values[k];
            }
        }
        net_flow.emplace(canonical_name(s.name), std::move(net));
    }

    for (Pending &p : pending) {
        std::vector<double> &scores = p.link.scores;
        scores.assign(steps, 0.0);
        const std::vector<double> x = series(p.link.from);
        if (p.link.flow_to_stock) {
            const std::vector<double> &net = net_flow.at(canonical_name(p.link.to));
            const double direction = p.link.polarity == '-' ? -1.0 : 1.0;
            for (size_t j = 0; j < steps; ++j) {
                if (form == FlowStockForm::original_2020) {
                    scores[j] = net[j] == 0 ? 0.0 : direction * std::fabs(x[j] / net[j]);
                } else if (j > 0) {
                    const double flow_change = x[j] - x[j - 1];
                    const double net_change = net[j] - net[j - 1];
                    scores[j] = net_change == 0 || flow_change == 0 ? 0.0 : direction * std::fabs(flow_change / net_change);
                }
            }
        } else {
            const std::vector<double> z = series(p.link.to);
            const std::vector<double> partial = series(p.synthetic);
            for (size_t j = 0; j < steps; ++j)
                scores[j] = link_score(partial[j + 1] - z[j], z[j + 1] - z[j], x[j + 1] - x[j]);
        }
        out.links.push_back(std::move(p.link));
    }
    return out;
}

} // namespace holon_sd::ltm
