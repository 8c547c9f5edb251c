// Builds tiny models in a line and runs them, for tests with hand-computed answers.
#pragma once

#include "compile/compiler.hpp"
#include "ir/names.hpp"
#include "mdl/reader.hpp"
#include "vm/simulator.hpp"

#include <gtest/gtest.h>

#include <string>

namespace holon_sd::test {

// Vensim control equations for .mdl test text: months 0..4, one-month steps.
inline const char *mdl_controls = R"(
INITIAL TIME = 0 ~ Month ~ |
FINAL TIME = 4 ~ Month ~ |
TIME STEP = 1 ~ Month [0,?] ~ |
SAVEPER = TIME STEP ~ Month ~ |
)";

// Reads .mdl equations (without the controls, which mdl_controls adds) as file `name`.
inline Model mdl(const std::string &equations, const std::string &name = "test.mdl") {
    return read_mdl("{UTF-8}\n" + equations + mdl_controls, {"", name});
}

inline Variable aux(std::string name, std::string eqn) {
    Variable v;
    v.name = std::move(name);
    v.equation = std::move(eqn);
    return v;
}

inline Variable flow(std::string name, std::string eqn) {
    Variable v = aux(std::move(name), std::move(eqn));
    v.kind = VariableKind::flow;
    return v;
}

inline Variable stock(std::string name, std::string init, std::vector<std::string> in, std::vector<std::string> out = {}) {
    Variable v = aux(std::move(name), std::move(init));
    v.kind = VariableKind::stock;
    v.inflows = std::move(in);
    v.outflows = std::move(out);
    return v;
}

inline Variable with_units(Variable v, std::string units) {
    v.units = std::move(units);
    return v;
}

inline Model model(std::vector<Variable> vars, double start = 0, double stop = 4, double dt = 1) {
    Model m;
    m.sim_specs.start = start;
    m.sim_specs.stop = stop;
    m.sim_specs.dt = dt;
    m.variables = std::move(vars);
    return m;
}

// The series of `name` from a run of `m`.
inline std::vector<double> series(const Model &m, const std::string &name) {
    Program p = compile(m);
    Simulator sim(p);
    const Results &r = sim.run();
    for (size_t c = 0; c < r.names.size(); ++c) {
        if (canonical_name(r.names[c]) != canonical_name(name)) continue;
        std::vector<double> out;
        for (size_t row = 0; row < r.times.size(); ++row) out.push_back(r.value(row, c));
        return out;
    }
    ADD_FAILURE() << "no column " << name;
    return {};
}

// The value of `name` at the start of a run of a model with only `vars`.
inline double value_of(std::vector<Variable> vars, const std::string &name) {
    return series(model(std::move(vars), 0, 0, 1), name).at(0);
}

} // namespace holon_sd::test
