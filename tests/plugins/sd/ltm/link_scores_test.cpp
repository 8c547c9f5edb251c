// Link scores against the published micro examples (methods.md T-LTM-1) and hand-computed
// flow-to-stock cases, plus the refusals.
#include "ltm/link_scores.hpp"

#include "ir/names.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace holon_sd::ltm {
namespace {

Variable var(std::string name, VariableKind kind, std::string equation, std::vector<std::string> in = {},
             std::vector<std::string> out = {}) {
    Variable v;
    v.name = std::move(name);
    v.kind = kind;
    v.equation = std::move(equation);
    v.inflows = std::move(in);
    v.outflows = std::move(out);
    return v;
}

// A stock that starts at `initial` and grows by `growth` per unit time.
void ramp_stock(Model &m, const std::string &name, double initial, double growth) {
    m.variables.push_back(var(name, VariableKind::stock, std::to_string(initial), {name + " growth"}));
    m.variables.push_back(var(name + " growth", VariableKind::flow, std::to_string(growth)));
}

Model model(double stop = 2, double dt = 1) {
    Model m;
    m.sim_specs.start = 0;
    m.sim_specs.stop = stop;
    m.sim_specs.dt = dt;
    return m;
}

const ScoredLink &find(const LinkScores &s, const std::string &from, const std::string &to) {
    for (const ScoredLink &l : s.links)
        if (canonical_name(l.from) == canonical_name(from) && canonical_name(l.to) == canonical_name(to)) return l;
    throw std::runtime_error("no link " + from + " -> " + to);
}

TEST(LtmLinkScores, SumMicroExample) {
    // z = 2x + y with x 5 -> 7 and y 4 -> 5: LS(x->z) = 0.8, LS(y->z) = 0.2.
    Model m = model();
    ramp_stock(m, "x", 5, 2);
    ramp_stock(m, "y", 4, 1);
    m.variables.push_back(var("z", VariableKind::aux, "2 * x + y"));
    const LinkScores s = link_scores(m, {});
    ASSERT_EQ(s.times.size(), 3u);
    EXPECT_DOUBLE_EQ(s.times[0], 0.0);
    EXPECT_DOUBLE_EQ(find(s, "x", "z").scores[0], 0.8);
    EXPECT_DOUBLE_EQ(find(s, "y", "z").scores[0], 0.2);
    EXPECT_EQ(find(s, "x", "z").polarity, '+');
}

TEST(LtmLinkScores, QuotientMicroExampleTakesItsSignFromTheInput) {
    // z = (w + x) / y with w 7 -> 10, x 2 -> 4, y 3 -> 5 (z 3 -> 2.8): +5, +3.33, -6. z falls, yet
    // the scores of w and x are positive: the sign comes from Δ_x z / Δx, not from Δz.
    Model m = model();
    ramp_stock(m, "w", 7, 3);
    ramp_stock(m, "x", 2, 2);
    ramp_stock(m, "y", 3, 2);
    m.variables.push_back(var("z", VariableKind::aux, "(w + x) / y"));
    const LinkScores s = link_scores(m, {});
    EXPECT_NEAR(find(s, "w", "z").scores[0], 5.0, 1e-9);
    EXPECT_NEAR(find(s, "x", "z").scores[0], 10.0 / 3.0, 1e-9);
    EXPECT_NEAR(find(s, "y", "z").scores[0], -6.0, 1e-9);
}

TEST(LtmLinkScores, UnchangedInputOrOutputScoresZero) {
    Model m = model();
    ramp_stock(m, "x", 5, 2);
    m.variables.push_back(var("k", VariableKind::aux, "3"));
    m.variables.push_back(var("z", VariableKind::aux, "x * k"));
    m.variables.push_back(var("flat", VariableKind::aux, "x - x + k"));
    const LinkScores s = link_scores(m, {});
    EXPECT_EQ(find(s, "k", "z").scores[0], 0.0);    // Δk = 0
    EXPECT_EQ(find(s, "x", "flat").scores[0], 0.0); // Δflat = 0
    EXPECT_DOUBLE_EQ(find(s, "x", "z").scores[0], 1.0);
}

TEST(LtmLinkScores, GraphicalFunctionOfTheTargetIsKeptInThePartial) {
    // z = table(x + y) with a table doubling its input: the shares are those of x + y.
    Model m = model();
    ramp_stock(m, "x", 5, 2);
    ramp_stock(m, "y", 4, 1);
    Variable z = var("z", VariableKind::aux, "x + y");
    z.gf = GraphicalFunction{GraphicalFunctionType::extrapolate, {0, 100}, {0, 200}, std::nullopt, std::nullopt};
    m.variables.push_back(z);
    const LinkScores s = link_scores(m, {});
    EXPECT_NEAR(find(s, "x", "z").scores[0], 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(find(s, "y", "z").scores[0], 1.0 / 3.0, 1e-12);
}

// S' = in - out with in = 0.1 S and a constant out = 0.3, from S = 10, dt = 1.
Model two_flow_stock() {
    Model m = model(3, 1);
    m.variables.push_back(var("S", VariableKind::stock, "10", {"in"}, {"out"}));
    m.variables.push_back(var("in", VariableKind::flow, "0.1 * S"));
    m.variables.push_back(var("out", VariableKind::flow, "0.3"));
    return m;
}

TEST(LtmLinkScores, FlowToStock2023IsTheFlowsShareOfTheNetFlowsChange) {
    const LinkScores s = link_scores(two_flow_stock(), {});
    const ScoredLink &in = find(s, "in", "S");
    const ScoredLink &out = find(s, "out", "S");
    EXPECT_TRUE(in.flow_to_stock);
    ASSERT_EQ(in.scores.size(), 4u);
    EXPECT_EQ(in.scores[0], 0.0); // no earlier flow at the first step
    EXPECT_DOUBLE_EQ(in.scores[1], 1.0); // the inflow makes all of the net flow's change
    EXPECT_EQ(out.scores[1], 0.0);       // the constant outflow none of it
    // And the loop S -> in -> S closes with LS(S -> in) = 1 (in is proportional to S).
    EXPECT_DOUBLE_EQ(find(s, "S", "in").scores[1], 1.0);
}

TEST(LtmLinkScores, FlowToStock2020IsTheFlowsShareOfTheNetFlow) {
    const LinkScores s = link_scores(two_flow_stock(), {}, FlowStockForm::original_2020);
    // At T = 0: in = 1, out = 0.3, net = 0.7.
    EXPECT_NEAR(find(s, "in", "S").scores[0], 1.0 / 0.7, 1e-12);
    EXPECT_NEAR(find(s, "out", "S").scores[0], -0.3 / 0.7, 1e-12);
}

TEST(LtmLinkScores, TimesRunFromStartToStop) {
    Model m = model(1, 0.25);
    ramp_stock(m, "x", 1, 1);
    m.variables.push_back(var("z", VariableKind::aux, "x * x"));
    RunSettings settings;
    settings.start = 0.5;
    const LinkScores s = link_scores(m, settings);
    ASSERT_EQ(s.times.size(), 3u);
    EXPECT_DOUBLE_EQ(s.times[0], 0.5);
    EXPECT_DOUBLE_EQ(s.times[2], 1.0);
    EXPECT_DOUBLE_EQ(find(s, "x", "z").scores[2], 1.0); // scored at stop from the step past it
    EXPECT_DOUBLE_EQ(s.dt, 0.25);
}

TEST(LtmLinkScores, RefusesStatefulBuiltinsInScoredEquations) {
    Model m = model();
    ramp_stock(m, "x", 5, 2);
    m.variables.push_back(var("z", VariableKind::aux, "TREND(x, 2)"));
    try {
        link_scores(m, {});
        FAIL() << "expected Unsupported";
    } catch (const Unsupported &e) {
        EXPECT_NE(std::string(e.what()).find("TREND"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'z'"), std::string::npos) << e.what();
    }
}

TEST(LtmLinkScores, RefusesArrays) {
    Model m = model();
    m.dimensions.push_back(Dimension{"Region", {"north", "south"}});
    Variable a = var("a", VariableKind::aux, "1");
    a.dimensions = {"Region"};
    m.variables.push_back(a);
    EXPECT_THROW(link_scores(m, {}), Unsupported);
}

TEST(LtmLinkScores, ScoresOnlyWithEuler) {
    Model m = model();
    ramp_stock(m, "x", 5, 2);
    m.variables.push_back(var("z", VariableKind::aux, "2 * x"));
    m.sim_specs.method = IntegrationMethod::rk4;
    EXPECT_THROW(link_scores(m, {}), Unsupported);
    RunSettings euler;
    euler.method = IntegrationMethod::euler;
    EXPECT_DOUBLE_EQ(find(link_scores(m, euler), "x", "z").scores[0], 1.0);
    RunSettings rk2;
    rk2.method = IntegrationMethod::rk2;
    Model plain = model();
    ramp_stock(plain, "x", 5, 2);
    EXPECT_THROW(link_scores(plain, rk2), Unsupported);
}

TEST(LtmLinkScores, QuotedNamesAndCallsAreRewrittenSafely) {
    // A multi-word quoted name, a builtin call and LOOKUP of a table: only the variables are
    // read at the previous step, so the partial of x alone still gives the 2x + y shares.
    Model m = model();
    ramp_stock(m, "x", 5, 2);
    ramp_stock(m, "Other Input", 4, 1);
    Variable table = var("identity", VariableKind::aux, "");
    table.gf = GraphicalFunction{GraphicalFunctionType::extrapolate, {0, 1}, {0, 1}, std::nullopt, std::nullopt};
    m.variables.push_back(table);
    m.variables.push_back(var("z", VariableKind::aux, "LOOKUP(identity, ABS(2 * x + \"Other Input\"))"));
    const LinkScores s = link_scores(m, {});
    EXPECT_DOUBLE_EQ(find(s, "x", "z").scores[0], 0.8);
    EXPECT_DOUBLE_EQ(find(s, "Other Input", "z").scores[0], 0.2);
}

TEST(LtmLinkScores, LinksThroughASmoothAreScoredThroughItsStage) {
    // z = SMTH1(x, 2): x -> the smoothing's adjustment flow -> its stock -> z. With x growing
    // linearly the stock lags, and z follows its stock exactly (LS = 1 whenever z moves).
    Model m = model(6, 1);
    ramp_stock(m, "x", 0, 1);
    m.variables.push_back(var("z", VariableKind::aux, "SMTH1(x, 2)"));
    const LinkScores s = link_scores(m, {});
    const ScoredLink &to_z = find(s, "z smth1 1 stage 1", "z");
    EXPECT_EQ(to_z.scores[0], 0.0); // the stock has not moved yet (x starts at its initial value)
    EXPECT_DOUBLE_EQ(to_z.scores[2], 1.0);
    // From T = 2 to 3, x alone moves the adjustment (x - stock) / 2 by 0.5; it actually moves by 0.125.
    EXPECT_DOUBLE_EQ(find(s, "x", "z smth1 1 adjustment 1").scores[2], 4.0);
}

} // namespace
} // namespace holon_sd::ltm
