// The explicit stock-and-flow forms of SMTH, DELAY1/3/N and INIT simulate exactly as the
// compiler's own expansion of the builtins.
#include "compile/compiler.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"
#include "ltm/expand_builtins.hpp"
#include "ltm/link_scores.hpp"
#include "vm/simulator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace holon_sd::ltm {
namespace {

std::vector<double> series_of(const Model &m, const std::string &name) {
    const Program p = compile(m);
    Simulator sim(p);
    const Results &r = sim.run();
    for (size_t c = 0; c < r.names.size(); ++c)
        if (canonical_name(r.names[c]) == canonical_name(name)) {
            std::vector<double> out;
            for (size_t row = 0; row < r.times.size(); ++row) out.push_back(r.value(row, c));
            return out;
        }
    ADD_FAILURE() << "no column " << name;
    return {};
}

// x oscillates and grows, so every smoothing and delay has something to follow.
Model with_output(const std::string &equation) {
    Model m;
    m.sim_specs.stop = 20;
    m.sim_specs.dt = 0.25;
    Variable x;
    x.name = "x";
    x.kind = VariableKind::stock;
    x.equation = "1";
    x.inflows = {"x growth"};
    Variable growth;
    growth.name = "x growth";
    growth.kind = VariableKind::flow;
    growth.equation = "0.2 + SIN(TIME)";
    Variable z;
    z.name = "Output";
    z.equation = equation;
    m.variables = {x, growth, z};
    return m;
}

class ExplicitForm : public ::testing::TestWithParam<const char *> {};

TEST_P(ExplicitForm, SimulatesAsTheBuiltin) {
    const Model original = with_output(GetParam());
    Model expanded = original;
    expand_stateful_builtins(expanded);
    EXPECT_GT(expanded.variables.size(), original.variables.size());
    const std::string z = expanded.variables[2].equation;
    for (const char *builtin : {"SMTH", "DELAY", "INIT"}) EXPECT_EQ(z.find(builtin), std::string::npos) << z;
    const std::vector<double> want = series_of(original, "Output");
    const std::vector<double> got = series_of(expanded, "Output");
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-9 * (1 + std::abs(want[i]))) << "row " << i;
}

INSTANTIATE_TEST_SUITE_P(LtmBuiltins, ExplicitForm,
                         ::testing::Values("SMTH1(x, 2)", "SMTH3(x, 3, 5)", "SMTHN(x * 2, 4, 2)", "SMTHN(x, 4, 3, 0)",
                                           "DELAY1(x, 2)", "DELAY3(x, 3, 7)", "DELAYN(x, 2.5, 4)",
                                           "1 + INIT(x) * 2", "SMTH1(DELAY1(x, 2), 3) - MAX(x, SMTH1(x, 1))",
                                           "DELAY3(IF x > 3 THEN x ELSE 0, 2)"));

TEST(LtmBuiltins, OrderMustBeAPlainNumber) {
    Model m = with_output("DELAYN(x, 2, x)");
    EXPECT_THROW(expand_stateful_builtins(m), Unsupported);
}

TEST(LtmBuiltins, WrongArgumentCountIsAModelError) {
    Model m = with_output("SMTH1(x)");
    EXPECT_THROW(expand_stateful_builtins(m), ModelError);
}

} // namespace
} // namespace holon_sd::ltm
