// The builtins and the integrator added for the XMILE issue: pipeline DELAY, statistical functions
// with seeds, RANK, PREVIOUS(SELF), CVODE and its refusals.
#include "helpers.hpp"
#include "ir/error.hpp"

#include <cmath>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

std::vector<double> run_column(const Model &m, const std::string &name, const RunSettings &settings) {
    Program p = compile(m);
    Simulator sim(p);
    const Results &r = sim.run(settings);
    for (size_t c = 0; c < r.names.size(); ++c) {
        if (canonical_name(r.names[c]) != canonical_name(name)) continue;
        std::vector<double> out;
        for (size_t row = 0; row < r.times.size(); ++row) out.push_back(r.value(row, c));
        return out;
    }
    ADD_FAILURE() << "no column " << name;
    return {};
}

} // namespace

TEST(SdDelay, PipelineShiftsTheInputByTheDelayTime) {
    // input = TIME * 10; output = input 2 time units ago, 7 before that.
    Model m = model({aux("input", "TIME * 10"), aux("out", "DELAY(input, 2, 7)")}, 0, 6, 0.5);
    std::vector<double> out = series(m, "out");
    ASSERT_EQ(out.size(), 13u);
    for (size_t i = 0; i < out.size(); ++i) {
        double t = 0.5 * static_cast<double>(i);
        EXPECT_DOUBLE_EQ(out[i], t < 2 ? 7 : (t - 2) * 10) << "at time " << t;
    }
}

TEST(SdDelay, DefaultInitialIsTheInputsInitialValueAndItBreaksLoops) {
    // A stock fed by its own delayed value: no algebraic loop because DELAY reads the past.
    Model m = model({stock("s", "1", {"f"}), flow("f", "DELAY(s, 1)")}, 0, 3, 1);
    std::vector<double> s = series(m, "s");
    // f(0) = s(0) = 1 (initial), f(1) = s(0) = 1, f(2) = s(1) = 2, ...
    EXPECT_EQ(s, (std::vector<double>{1, 2, 3, 5}));
}

TEST(SdRandom, SameSeedSameSeriesOtherSeedOtherSeries) {
    Model m = model({aux("u", "RANDOM(2, 4)"), aux("n", "NORMAL(0, 1)")}, 0, 50, 1);
    RunSettings a, b;
    a.seed = 7;
    b.seed = 8;
    std::vector<double> u1 = run_column(m, "u", a), u2 = run_column(m, "u", a), u3 = run_column(m, "u", b);
    EXPECT_EQ(u1, u2);
    EXPECT_NE(u1, u3);
    for (double v : u1) {
        EXPECT_GE(v, 2);
        EXPECT_LT(v, 4);
    }
}

TEST(SdRandom, OneDrawPerStepEvenUnderRk4) {
    // A stock integrating a random flow under RK4 sees the same draw in all four stages, so it
    // grows by exactly dt * draw each step.
    Model m = model({aux("r", "RANDOM(0, 1, 42)"), stock("s", "0", {"f"}), flow("f", "r")}, 0, 5, 1);
    m.sim_specs.method = IntegrationMethod::rk4;
    std::vector<double> r = series(m, "r"), s = series(m, "s");
    for (size_t i = 1; i < s.size(); ++i) EXPECT_NEAR(s[i] - s[i - 1], r[i - 1], 1e-12);
}

TEST(SdArrays, RankGivesThePositionOfTheIthSmallest) {
    Model m = model({}, 0, 0, 1);
    m.dimensions.push_back(Dimension{"d", {"a", "b", "c", "e"}});
    Variable v = aux("v", "");
    v.dimensions = {"d"};
    v.elements = {{{"a"}, "30", {}}, {{"b"}, "10", {}}, {{"c"}, "20", {}}, {{"e"}, "10", {}}};
    m.variables = {v, aux("first", "RANK(v[*], 1)"), aux("second", "RANK(v[*], 2)"), aux("largest", "RANK(v[*], -1)"),
                   aux("none", "RANK(v[*], 5)")};
    EXPECT_EQ(series(m, "first").at(0), 2);  // b (tie with e: array order)
    EXPECT_EQ(series(m, "second").at(0), 4); // e
    EXPECT_EQ(series(m, "largest").at(0), 1);
    EXPECT_TRUE(std::isnan(series(m, "none").at(0)));
}

TEST(SdBuiltins, PreviousOfSelfCounts) {
    Model m = model({aux("count", "PREVIOUS(SELF, 0) + 1")}, 0, 3, 1);
    EXPECT_EQ(series(m, "count"), (std::vector<double>{1, 2, 3, 4}));
}

TEST(SdCvode, TeacupMatchesTheExactSolution) {
    // dT/dt = -(T - 70) / 10, T(0) = 180  =>  T(t) = 70 + 110 e^{-t/10}
    Model m = model({stock("T", "180", {}, {"loss"}), flow("loss", "(T - 70) / 10")}, 0, 30, 0.125);
    m.sim_specs.save_step = 1;
    for (bool adams : {false, true}) {
        RunSettings s;
        s.method = IntegrationMethod::cvode;
        s.cvode.adams = adams;
        s.cvode.rtol = 1e-9;
        s.cvode.atol = 1e-9;
        std::vector<double> t = run_column(m, "T", s);
        ASSERT_EQ(t.size(), 31u);
        for (size_t i = 0; i < t.size(); ++i)
            EXPECT_NEAR(t[i], 70 + 110 * std::exp(-static_cast<double>(i) / 10), 1e-5) << (adams ? "adams" : "bdf");
    }
}

TEST(SdCvode, RefusesPerDtBuiltinsNamingTheVariable) {
    Model m = model({stock("s", "0", {"f"}), flow("f", "PULSE(1, 2)")}, 0, 4, 1);
    RunSettings s;
    s.method = IntegrationMethod::cvode;
    try {
        run_column(m, "s", s);
        FAIL() << "expected a refusal";
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("variable 'f' uses PULSE"), std::string::npos) << e.what();
    }
}

TEST(SdCvode, KeepsItsStepBudgetOverTheWholeRun) {
    Model m = model({stock("T", "180", {}, {"loss"}), flow("loss", "(T - 70) / 10")}, 0, 1000, 1);
    RunSettings s;
    s.method = IntegrationMethod::cvode;
    s.cvode.max_steps = 20;
    EXPECT_THROW(run_column(m, "T", s), ModelError);
}
