#include "helpers.hpp"
#include "vm/simulator.hpp"

#include <cmath>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {
std::vector<double> run(const std::string &eqn, double stop = 4, double dt = 1, std::vector<Variable> extra = {}) {
    extra.push_back(aux("x", eqn));
    return series(model(extra, 0, stop, dt), "x");
}
} // namespace

TEST(SdBuiltins, Math) {
    EXPECT_DOUBLE_EQ(run("ABS(-3)")[0], 3);
    EXPECT_DOUBLE_EQ(run("SQRT(16)")[0], 4);
    EXPECT_DOUBLE_EQ(run("EXP(1)")[0], std::exp(1.0));
    EXPECT_DOUBLE_EQ(run("LN(EXP(2))")[0], 2);
    EXPECT_DOUBLE_EQ(run("LOG10(1000)")[0], 3);
    EXPECT_DOUBLE_EQ(run("INT(-9.9)")[0], -9);
    EXPECT_DOUBLE_EQ(run("MIN(3, 5)")[0], 3);
    EXPECT_DOUBLE_EQ(run("MAX(3, 5)")[0], 5);
    EXPECT_DOUBLE_EQ(run("SAFEDIV(1, 0)")[0], 0);
    EXPECT_DOUBLE_EQ(run("SAFEDIV(1, 0, 7)")[0], 7);
    EXPECT_DOUBLE_EQ(run("SAFEDIV(6, 3, 7)")[0], 2);
    EXPECT_DOUBLE_EQ(run("PI")[0], 3.141592653589793);
    EXPECT_DOUBLE_EQ(run("SIN(0) + COS(0)")[0], 1);
}

TEST(SdBuiltins, TimeFunctions) {
    EXPECT_EQ(run("STEP(5, 2)"), (std::vector<double>{0, 0, 5, 5, 5}));
    EXPECT_EQ(run("RAMP(2, 1)"), (std::vector<double>{0, 0, 2, 4, 6}));
    EXPECT_EQ(run("RAMP(2, 1, 3)"), (std::vector<double>{0, 0, 2, 4, 4}));
    EXPECT_EQ(run("PULSE(4, 1, 2)", 4, 0.5), (std::vector<double>{0, 0, 8, 0, 0, 0, 8, 0, 0}));
    EXPECT_EQ(run("PULSE(4, 2)", 4, 1), (std::vector<double>{0, 0, 4, 0, 0}));
    EXPECT_EQ(run("TIME * DT + STARTTIME + STOPTIME", 2, 1), (std::vector<double>{2, 3, 4}));
}

TEST(SdBuiltins, Smooth1) {
    // s' = (10 - s) / 2, s(0) = 10 * 0 ... the input steps from 0 to 10 at time 0: s(0) = 0.
    // Euler dt 1: 0, 5, 7.5, 8.75
    auto s = run("SMTH1(input, 2, 0)", 3, 1, {aux("input", "10")});
    EXPECT_EQ(s, (std::vector<double>{0, 5, 7.5, 8.75}));
    EXPECT_EQ(run("SMTH1(10, 2)", 2), (std::vector<double>{10, 10, 10}));
}

TEST(SdBuiltins, Smooth3AndSmoothN) {
    // Three stages of time 1: s1: 0,10,10; s2: 0,0,10; s3: 0,0,0,10
    EXPECT_EQ(run("SMTH3(10, 3, 0)", 3), (std::vector<double>{0, 0, 0, 10}));
    EXPECT_EQ(run("SMTHN(10, 3, 3, 0)", 3), (std::vector<double>{0, 0, 0, 10}));
}

TEST(SdBuiltins, Delay1AndDelay3) {
    // DELAY1(input, 2, 0): content 0; outflow = content/2; content' = 10 - outflow.
    // content: 0, 10, 15, 17.5 -> output 0, 5, 7.5, 8.75
    EXPECT_EQ(run("DELAY1(10, 2, 0)", 3), (std::vector<double>{0, 5, 7.5, 8.75}));
    // Three stages of 1: the pulse of material takes three steps to reach the output.
    EXPECT_EQ(run("DELAY3(10, 3, 0)", 3), (std::vector<double>{0, 0, 0, 10}));
    EXPECT_EQ(run("DELAYN(10, 3, 3, 0)", 3), (std::vector<double>{0, 0, 0, 10}));
    EXPECT_EQ(run("DELAY1(10, 2)", 2), (std::vector<double>{10, 10, 10}));
}

TEST(SdBuiltins, VensimDelayNStagesSeeEarlierDelayTimes) {
    // DELAY_N(0, D, 6, 2), D = 4 then 8 from time 2. Stage contents start at 6 * 4 / 2 = 12.
    // t0: outflows 12/2, 12/2 -> output 6; contents 6, 12.  t1: 6/2, 12/2 -> 6; contents 3, 9.
    // t2: stage 1 sees D(2) = 8: 3/4; stage 2 still D(1) = 4: 9/2 -> output 4.5; contents 2.25, 5.25.
    // t3: both see 8: 2.25/4, 5.25/4 -> output 1.3125. (XMILE's DELAYN would give 9/4 at t2.)
    std::vector<Variable> d{aux("D", "4 + STEP(4, 2)")};
    EXPECT_EQ(run("DELAY_N(0, D, 6, 2)", 3, 1, d), (std::vector<double>{6, 6, 4.5, 1.3125}));
    EXPECT_EQ(run("DELAYN(0, D, 2, 6)", 3, 1, d), (std::vector<double>{6, 6, 2.25, 1.875}));
    // Order 1 has no earlier stage: the delay time is the current one, as in DELAY1.
    EXPECT_EQ(run("DELAY_N(10, 2, 0, 1)", 3), run("DELAY1(10, 2, 0)", 3));
}

TEST(SdBuiltins, TrendAndForecast) {
    // input = TIME + 1 (1, 2, 3, ...); average time 1, initial trend 0: average(0) = 1.
    // average' = input - average: 1, 1 + (1-1) = 1 ... at t=1 input 2, average 1: trend = (2-1)/(1*1) = 1
    std::vector<Variable> in{aux("input", "TIME + 1")};
    EXPECT_EQ(run("TREND(input, 1)", 2, 1, in), (std::vector<double>{0, 1, 0.5}));
    // FORCST = input * (1 + trend * horizon): 1*(1+0), 2*(1+1*2), 3*(1+0.5*2)
    EXPECT_EQ(run("FORCST(input, 1, 2)", 2, 1, in), (std::vector<double>{1, 6, 6}));
}

TEST(SdBuiltins, InitAndPrevious) {
    std::vector<Variable> in{aux("input", "TIME * 2 + 1")};
    EXPECT_EQ(run("INIT(input)", 2, 1, in), (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(run("PREVIOUS(input, 42)", 3, 1, in), (std::vector<double>{42, 1, 3, 5}));
}

TEST(SdBuiltins, GraphicalFunctions) {
    Lookup table{GraphicalFunctionType::continuous, {0, 10}, {0, 100}};
    EXPECT_DOUBLE_EQ(lookup_value(table, 5), 50);
    EXPECT_DOUBLE_EQ(lookup_value(table, -5), 0);
    EXPECT_DOUBLE_EQ(lookup_value(table, 15), 100);
    table.type = GraphicalFunctionType::extrapolate;
    EXPECT_DOUBLE_EQ(lookup_value(table, 15), 150);
    EXPECT_DOUBLE_EQ(lookup_value(table, -5), -50);
    table.type = GraphicalFunctionType::discrete;
    EXPECT_DOUBLE_EQ(lookup_value(table, 9.99), 0);
    EXPECT_DOUBLE_EQ(lookup_value(table, 10), 100);

    Variable gf_var = aux("curve", "");
    gf_var.gf = GraphicalFunction{GraphicalFunctionType::continuous, {0, 4}, {0, 8}, std::nullopt, std::nullopt};
    EXPECT_EQ(run("curve(TIME)", 2, 1, {gf_var}), (std::vector<double>{0, 2, 4}));
    EXPECT_EQ(run("LOOKUP(curve, TIME + 1)", 1, 1, {gf_var}), (std::vector<double>{2, 4}));
    Variable with_gf = aux("y", "TIME");
    with_gf.gf = gf_var.gf;
    EXPECT_EQ(series(model({with_gf}, 0, 1, 1), "y"), (std::vector<double>{0, 2}));
}

TEST(SdBuiltins, ArrayFunctions) {
    Model m = model({}, 0, 0, 1);
    m.dimensions.push_back({"D", {"a", "b", "c"}});
    Variable v = aux("v", "");
    v.dimensions = {"D"};
    v.elements = {{{"a"}, "1", std::nullopt}, {{"b"}, "2", std::nullopt}, {{"c"}, "6", std::nullopt}};
    m.variables = {v, aux("s", "SUM(v[*])"), aux("mean", "MEAN(v[*])"), aux("mn", "MIN(v[*])"), aux("mx", "MAX(v)"),
                   aux("n", "SIZE(v[*])"), aux("sd", "STDDEV(v[*])")};
    EXPECT_DOUBLE_EQ(series(m, "s")[0], 9);
    EXPECT_DOUBLE_EQ(series(m, "mean")[0], 3);
    EXPECT_DOUBLE_EQ(series(m, "mn")[0], 1);
    EXPECT_DOUBLE_EQ(series(m, "mx")[0], 6);
    EXPECT_DOUBLE_EQ(series(m, "n")[0], 3);
    EXPECT_DOUBLE_EQ(series(m, "sd")[0], std::sqrt((4.0 + 1.0 + 9.0) / 3.0));
}
