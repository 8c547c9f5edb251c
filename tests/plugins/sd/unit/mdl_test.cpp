// The Vensim .mdl reader: syntax, subscripts, lookups, macros, data files, the sketch, errors,
// and export to XMILE and back.
#include "compile/compiler.hpp"
#include "helpers.hpp"
#include "ir/error.hpp"
#include "mdl/reader.hpp"
#include "model_json/model_json.hpp"
#include "vm/simulator.hpp"
#include "xmile/reader.hpp"
#include "xmile/writer.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {


double at_start(const std::string &equations, const std::string &name) { return series(mdl(equations), name).at(0); }

std::string error_of(const std::string &text) {
    try {
        read_mdl(text, {"", "broken.mdl"});
    } catch (const ModelError &e) {
        return e.what();
    }
    return "no error";
}

std::string compile_error_of(const std::string &equations) {
    try {
        compile(mdl(equations)); // the reader or the compiler refuses it
    } catch (const ModelError &e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(SdMdl, PrecedenceIsVensims) {
    EXPECT_DOUBLE_EQ(at_start("x = -2^2 ~~|", "x"), -4);
    EXPECT_DOUBLE_EQ(at_start("x = 2^3^2 ~~|", "x"), 512);
    EXPECT_DOUBLE_EQ(at_start("x = 1 + 2 * 3 - 4 / 2 ~~|", "x"), 5);
    EXPECT_DOUBLE_EQ(at_start("x = IF THEN ELSE(1 < 2 :AND: :NOT: 3 < 2, 7, 8) ~~|", "x"), 7);
    EXPECT_DOUBLE_EQ(at_start("x = IF THEN ELSE(0 :OR: 0 = 1, 7, 8) ~~|", "x"), 8);
}

TEST(SdMdl, ReadsCommentsContinuationUnitsAndDocumentation) {
    Model m = mdl("{ a comment ~ with | signs }\n\"Quoted, name\" = 3 * \\\n  4 ~ Widget [0, 100, 1] ~ The docs. |\n");
    ASSERT_FALSE(m.variables.empty());
    EXPECT_EQ(m.variables[0].name, "Quoted, name");
    EXPECT_EQ(m.variables[0].units, "Widget");
    EXPECT_EQ(m.variables[0].documentation, "The docs.");
    EXPECT_DOUBLE_EQ(series(m, "Quoted, name").at(0), 12);
    EXPECT_DOUBLE_EQ(m.sim_specs.stop, 4);
    EXPECT_DOUBLE_EQ(*m.sim_specs.save_step, 1);
    EXPECT_EQ(m.sim_specs.time_units, "Month");
}

TEST(SdMdl, StockFlowsBecomeInflowsAndOutflows) {
    Model m = mdl("S = INTEG(in - out, 10) ~~|\nin = 2 ~~|\nout = S / 5 ~~|\n");
    const Variable &s = m.variables[0];
    EXPECT_EQ(s.kind, VariableKind::stock);
    EXPECT_EQ(s.inflows, std::vector<std::string>{"in"});
    EXPECT_EQ(s.outflows, std::vector<std::string>{"out"});
    std::vector<double> v = series(m, "S");
    EXPECT_DOUBLE_EQ(v[1], 10 + 2 - 2);
    // A rate that is not a sum of flows gets its own flow variable.
    std::vector<double> w = series(mdl("S = INTEG(2 * S, 1) ~~|\n"), "S");
    EXPECT_DOUBLE_EQ(w[2], 9);
}

TEST(SdMdl, SubscriptRangesMappingsExceptAndEquivalence) {
    std::string eqs = "Dim: (a1-a3) ~~|\nSub: a2, a3 ~~|\nOther: b1, b2, b3 -> Dim ~~|\nSame <-> Dim ~~|\n"
                      "x[Dim] = 1, 2, 3 ~~|\n"
                      "y[Dim] :EXCEPT: [a1] = x[Dim] * 10 ~~|\ny[a1] = 0 ~~|\n"
                      "z[Other] = x[Dim] ~~|\n"
                      "total = SUM(x[Dim!]) ~~|\nbiggest = VMAX(x[Sub!]) ~~|\n"
                      "w[Same] = x[Same] + 1 ~~|\n";
    Model m = mdl(eqs);
    EXPECT_DOUBLE_EQ(series(m, "y[a1]").at(0), 0);
    EXPECT_DOUBLE_EQ(series(m, "y[a3]").at(0), 30);
    EXPECT_DOUBLE_EQ(series(m, "z[b2]").at(0), 2);
    EXPECT_DOUBLE_EQ(series(m, "total").at(0), 6);
    EXPECT_DOUBLE_EQ(series(m, "biggest").at(0), 3);
    EXPECT_DOUBLE_EQ(series(m, "w[a2]").at(0), 3);
}

TEST(SdMdl, LookupsStandaloneWithLookupAndRanges) {
    std::string eqs = "table([(0,0)-(10,10)], (0,0), (10,10)) ~~|\n"
                      "a = table(4) ~~|\n"
                      "b = WITH LOOKUP(20, ((0,1),(10,2))) ~~|\n"
                      "steps((0,1),(2,5),(4,9)) ~~|\n"
                      "c = LOOKUP INVERT(steps, 7) ~~|\nd = LOOKUP EXTRAPOLATE(steps, 6) ~~|\n"
                      "e = LOOKUP BACKWARD(steps, 3) ~~|\nf = LOOKUP FORWARD(steps, 3) ~~|\ng = LOOKUP FORWARD(steps, 2) ~~|\n";
    Model m = mdl(eqs);
    EXPECT_DOUBLE_EQ(series(m, "a").at(0), 4);
    EXPECT_DOUBLE_EQ(series(m, "b").at(0), 2); // clamped beyond the last point
    EXPECT_DOUBLE_EQ(series(m, "c").at(0), 3);
    EXPECT_DOUBLE_EQ(series(m, "d").at(0), 13);
    EXPECT_DOUBLE_EQ(series(m, "e").at(0), 5);
    EXPECT_DOUBLE_EQ(series(m, "f").at(0), 9);
    EXPECT_DOUBLE_EQ(series(m, "g").at(0), 5);
    EXPECT_NE(compile_error_of("h = LOOKUP INVERT(x, 1) ~~|\nx = 1 ~~|\n").find("LOOKUP INVERT"), std::string::npos);
}

TEST(SdMdl, VensimFunctions) {
    EXPECT_DOUBLE_EQ(at_start("x = LOG(1000, 10) ~~|", "x"), 3);
    EXPECT_DOUBLE_EQ(at_start("x = INTEGER(-2.7) ~~|", "x"), -2);
    EXPECT_DOUBLE_EQ(at_start("x = QUANTUM(7.9, 2) ~~|", "x"), 6);
    EXPECT_DOUBLE_EQ(at_start("x = XIDZ(1, 0, 5) ~~|", "x"), 5);
    EXPECT_DOUBLE_EQ(at_start("x = ZIDZ(1, 0) ~~|", "x"), 0);
    EXPECT_DOUBLE_EQ(at_start("x = MODULO(7, 3) ~~|", "x"), 1);
    EXPECT_DOUBLE_EQ(at_start("x = GAME(5) ~~|", "x"), 5);
    EXPECT_DOUBLE_EQ(at_start("x = POWER(2, 10) ~~|", "x"), 1024);
    EXPECT_NEAR(at_start("x = TANH(0.5) ~~|", "x"), std::tanh(0.5), 1e-12);
    EXPECT_DOUBLE_EQ(at_start("x = IF THEN ELSE(:NA: = -1.298074214633707e33, 1, 0) ~~|", "x"), 1);
    std::vector<double> p = series(mdl("x = PULSE(1, 2) ~~|"), "x");
    EXPECT_EQ(p, (std::vector<double>{0, 1, 1, 0, 0}));
    std::vector<double> s = series(mdl("x = SAMPLE IF TRUE(Time = 2, Time * 10, -1) ~~|"), "x");
    EXPECT_EQ(s, (std::vector<double>{-1, -1, 20, 20, 20}));
    // The stock's initial value needs x, and x's running equation needs the stock.
    Model active = mdl("S = INTEG(1, x) ~~|\nx = ACTIVE INITIAL(S * 2, 5) ~~|");
    std::vector<double> st = series(active, "S"), x = series(active, "x");
    EXPECT_DOUBLE_EQ(st.at(0), 5);
    EXPECT_DOUBLE_EQ(st.at(1), 6);
    EXPECT_DOUBLE_EQ(x.at(1), 12);
}

TEST(SdMdl, VectorSelectBangRangesRunIndependentlyOfTheLeftHandSide) {
    // x[d2]: every s[., d2] (d1 runs) paired with every v element (d2! runs on its own), action 0
    // = sum of selection * value: b1 (1 + 3) * (10 + 20) = 120, b2 (2 + 4) * 30 = 180.
    std::string eqs = "d1: (a1-a2) ~~|\nd2: (b1-b2) ~~|\ns[d1, d2] = 1, 2; 3, 4; ~~|\nv[d2] = 10, 20 ~~|\n"
                      "x[d2] = VECTOR SELECT(s[d1!, d2], v[d2!], -1, 0, 0) ~~|\n"
                      "p[d2] = VECTOR SELECT(s[d1!, d2], v[d2!], -1, 1, 0) ~~|\n";
    Model m = mdl(eqs);
    EXPECT_DOUBLE_EQ(series(m, "x[b1]").at(0), 120);
    EXPECT_DOUBLE_EQ(series(m, "x[b2]").at(0), 180);
    // action 1 = product of selection * value over the four pairs: (1*10)(1*20)(3*10)(3*20) for b1.
    EXPECT_DOUBLE_EQ(series(m, "p[b1]").at(0), 10.0 * 20 * 30 * 60);
}

TEST(SdMdl, ControlVariablesThatChangeDuringTheRunAreReadEveryStep) {
    // TIME STEP halves at 4, FINAL TIME moves from 10 to 20 at 5, SAVEPER becomes 5 at 10.
    std::string text = "{UTF-8}\nS = INTEG(1, 0) ~~|\n"
                       "INITIAL TIME = 0 ~~|\nFINAL TIME = IF THEN ELSE(Time < 5, 10, 20) ~~|\n"
                       "TIME STEP = IF THEN ELSE(Time < 4, 1, 0.5) ~~|\n"
                       "SAVEPER = IF THEN ELSE(Time < 10, TIME STEP, 5) ~~|\n";
    Model m = read_mdl(text, {"", "controls.mdl"});
    EXPECT_EQ(m.sim_specs.dt_variable, "TIME STEP");
    EXPECT_EQ(m.sim_specs.stop_variable, "FINAL TIME");
    EXPECT_EQ(m.sim_specs.save_step_variable, "SAVEPER");
    Program p = compile(from_model_json(to_model_json(m, "mdl"))); // the shared model keeps them
    Simulator sim(p);
    const Results &r = sim.run();
    std::vector<double> expected{0, 1, 2, 3, 4};
    for (double t = 4.5; t < 10; t += 0.5) expected.push_back(t);
    for (double t = 10; t <= 20; t += 5) expected.push_back(t);
    EXPECT_EQ(r.times, expected);
    // S sums the steps (rate 1), so it is the time; TIME STEP reads the step's own dt (0.5 from time 4).
    size_t s = 0, dt = 0;
    for (size_t c = 0; c < r.names.size(); ++c) {
        if (r.names[c] == "S") s = c;
        if (r.names[c] == "TIME STEP") dt = c;
    }
    for (size_t row = 0; row < r.times.size(); ++row) {
        EXPECT_DOUBLE_EQ(r.value(row, s), r.times[row]);
        EXPECT_DOUBLE_EQ(r.value(row, dt), r.times[row] < 4 ? 1 : 0.5);
    }
    RunSettings cvode;
    cvode.method = IntegrationMethod::cvode;
    EXPECT_THROW(sim.run(cvode), ModelError);
    EXPECT_THROW(write_xmile(m), ModelError); // XMILE would keep only the start values
}

TEST(SdMdl, VectorRankReorderAndGetTimeValue) {
    // x = 3, 1, 3, 2: ascending a2 (1), a4 (2), a1 (3), a3 (3, after a1); descending is that reversed.
    std::string eqs = "d: (a1-a4) ~~|\nx[d] = 3, 1, 3, 2 ~~|\n"
                      "up[d] = VECTOR RANK(x[d], 1) ~~|\ndown[d] = VECTOR RANK(x[d], -1) ~~|\n"
                      "order[d] = VECTOR SORT ORDER(x[d], 1) ~~|\nsorted[d] = VECTOR REORDER(x[d], order[d]) ~~|\n"
                      "later = GET TIME VALUE(0, 2, 0) ~~|\n";
    Model m = mdl(eqs);
    const std::vector<double> up{3, 1, 4, 2}, down{2, 4, 1, 3}, order{1, 3, 0, 2}, sorted{1, 2, 3, 3};
    for (size_t i = 0; i < 4; ++i) {
        std::string el = "[a" + std::to_string(i + 1) + "]";
        EXPECT_DOUBLE_EQ(series(m, "up" + el).at(0), up[i]) << el;
        EXPECT_DOUBLE_EQ(series(m, "down" + el).at(0), down[i]) << el;
        EXPECT_DOUBLE_EQ(series(m, "order" + el).at(0), order[i]) << el;
        EXPECT_DOUBLE_EQ(series(m, "sorted" + el).at(0), sorted[i]) << el;
    }
    EXPECT_EQ(series(m, "later"), (std::vector<double>{2, 3, 4, 5, 6}));
    // The clock takes a part of the date (1-10), never the model's time units (0).
    EXPECT_NE(compile_error_of("y = GET TIME VALUE(2, 0, 0) ~~|").find("GET TIME VALUE"), std::string::npos);
}

TEST(SdMdl, NpvDiscountsEveryStepIncludingTheCurrentOne) {
    // 10 per month at 10 % per month: the sum of 10 / 1.1^k for k = 0 .. t, then doubled by factor 2.
    std::vector<double> npv = series(mdl("v = NPV(10, 0.1, 0, 2) ~~|"), "v");
    ASSERT_EQ(npv.size(), 5u);
    double sum = 0;
    for (size_t t = 0; t < npv.size(); ++t) {
        sum += 10 / std::pow(1.1, static_cast<double>(t));
        EXPECT_NEAR(npv[t], 2 * sum, 1e-12) << "t = " << t;
    }
    // The initial value starts the accumulation.
    EXPECT_DOUBLE_EQ(series(mdl("v = NPV(0, 0.1, 7, 1) ~~|"), "v").at(3), 7);
}

TEST(SdMdl, MacrosAreExpandedPerCall) {
    std::string eqs = ":MACRO: DOUBLE IT(input)\nDOUBLE IT = input * 2 ~ input ~ |\n:END OF MACRO:\n"
                      "a = DOUBLE IT(3) + DOUBLE IT(Time) ~~|\n";
    std::vector<double> v = series(mdl(eqs), "a");
    EXPECT_DOUBLE_EQ(v[0], 6);
    EXPECT_DOUBLE_EQ(v[2], 10);
}

TEST(SdMdl, SketchBecomesViews) {
    std::string text = std::string("{UTF-8}\nx = 1 ~~|\n") + mdl_controls +
                       "\\\\\\---/// Sketch information - do not modify anything except names\nV300  Do not put anything below "
                       "this section - it will be ignored\n*View 1\n$192-192-192,0,Times New Roman|12||0-0-0\n"
                       "10,1,x,100,200,40,20,3,3,0,0,0,0,0,0\n10,2,\"y, z\",300,200,40,20,3,3,0,0,0,0,0,0\n"
                       "1,3,1,2,0,0,0,0,0,64,0,-1--1--1,,1|(200,150)|\n///---\\\\\\\n";
    Model m = read_mdl(text, {});
    ASSERT_EQ(m.views.size(), 1u);
    ASSERT_EQ(m.views[0].elements.size(), 2u);
    EXPECT_EQ(m.views[0].elements[1].name, "y, z");
    EXPECT_DOUBLE_EQ(m.views[0].elements[0].x, 100);
    ASSERT_EQ(m.views[0].links.size(), 1u);
    EXPECT_EQ(m.views[0].links[0].from, 1);
    EXPECT_EQ(m.views[0].links[0].to, 2);
    ASSERT_EQ(m.views[0].links[0].points.size(), 1u);
    // The shared model keeps the views under methods.sd.
    Model back = from_model_json(to_model_json(m, "mdl"));
    ASSERT_EQ(back.views.size(), 1u);
    EXPECT_EQ(back.views[0].elements[1].name, "y, z");
    EXPECT_DOUBLE_EQ(back.views[0].links[0].points[0].second, 150);
}

TEST(SdMdl, ErrorsAreOneLineWithFileAndLine) {
    std::string e = error_of("{UTF-8}\nx = 1 ~~|\ny = (2 + ~~|\n");
    EXPECT_EQ(e.rfind("broken.mdl:3: variable 'y': ", 0), 0u) << e;
    EXPECT_EQ(e.find('\n'), std::string::npos);
    e = error_of(std::string("{UTF-8}\nx = A FUNCTION OF(y) ~~|\ny = 1 ~~|\n") + mdl_controls);
    EXPECT_NE(e.find("broken.mdl:2: variable 'x': unsupported Vensim function 'A FUNCTION OF'"), std::string::npos) << e;
    e = error_of("{UTF-8}\nx = 1 ~~|\ny = 2 ~~\n");
    EXPECT_NE(e.find("broken.mdl:"), std::string::npos) << e;
    e = error_of("{UTF-8}\nx = 1 ~~|\n");
    EXPECT_NE(e.find("INITIAL TIME"), std::string::npos) << e;
}

TEST(SdMdl, ReadsDataFilesNextToTheModel) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "holon_mdl_data_test";
    std::filesystem::create_directories(dir);
    {
        std::ofstream csv(dir / "data.csv");
        csv << "time,0,2,4\nvalue,10,30,50\nconst,7,8,9\n";
    }
    std::string eqs = "series := GET DIRECT DATA('data.csv', 'Sheet1', '1', 'B2') ~~|\n"
                      "k = GET DIRECT CONSTANTS('data.csv', 'Sheet1', 'C3') ~~|\n";
    Model m = read_mdl("{UTF-8}\n" + eqs + mdl_controls, {dir.string(), "data.mdl"});
    std::vector<double> v = series(m, "series");
    EXPECT_DOUBLE_EQ(v[1], 20);
    EXPECT_DOUBLE_EQ(v[4], 50);
    EXPECT_DOUBLE_EQ(series(m, "k").at(0), 8);
    std::string e = error_of("{UTF-8}\nk = GET DIRECT CONSTANTS('missing.csv', 'x', 'A1') ~~|\n" + std::string(mdl_controls));
    EXPECT_NE(e.find("missing.csv"), std::string::npos) << e;
    std::filesystem::remove_all(dir);
}

TEST(SdMdl, DataVariablesWithoutEquationsReadDataFiles) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "holon_mdl_vdf_test";
    std::filesystem::create_directories(dir);
    {
        // Blank cells: no data point at that time. The second file also has 'level', unused.
        std::ofstream tab(dir / "data.tab");
        tab << "Time\tlevel\tstep[A]\tstep[ B ]\traw\n"
               "0\t10\t1\t5\t3\n"
               "1\t\t\t6\t\n"
               "2\t30\t2\t\t4\n"
               "3\t\t\t\t\n"
               "4\t50\t3\t8\t\n";
        std::ofstream csv(dir / "more.csv");
        csv << "Time,level,extra\n0,99,7\n4,99,11\n";
    }
    std::string eqs = "Dim: A, B ~~|\nlevel ~~|\nstep[Dim]:HOLD BACKWARD: ~~|\nraw:RAW: ~~|\nextra ~~|\n";
    MdlOptions options{dir.string(), "data.mdl", {"data.tab", "more.csv"}};
    Model m = read_mdl("{UTF-8}\n" + eqs + mdl_controls, options);
    EXPECT_EQ(series(m, "level"), (std::vector<double>{10, 20, 30, 40, 50}));     // interpolated
    EXPECT_EQ(series(m, "step[A]"), (std::vector<double>{1, 1, 2, 2, 3}));      // held
    EXPECT_EQ(series(m, "step[B]"), (std::vector<double>{5, 6, 6, 6, 8}));
    EXPECT_EQ(series(m, "extra"), (std::vector<double>{7, 8, 9, 10, 11}));      // from the second file
    std::vector<double> raw = series(m, "raw"); // only at its own times
    ASSERT_EQ(raw.size(), 5u);
    EXPECT_EQ(raw[0], 3);
    EXPECT_TRUE(std::isnan(raw[1]));
    EXPECT_EQ(raw[2], 4);
    EXPECT_TRUE(std::isnan(raw[3]));
    EXPECT_TRUE(std::isnan(raw[4]));

    std::string e = error_of("{UTF-8}\nlevel ~~|\n" + std::string(mdl_controls));
    EXPECT_NE(e.find("broken.mdl:2: variable 'level': has no equation"), std::string::npos) << e;
    EXPECT_NE(e.find("pass data_files"), std::string::npos) << e;
    try {
        read_mdl("{UTF-8}\nmissing ~~|\n" + std::string(mdl_controls), options);
        ADD_FAILURE() << "a data variable without a column was accepted";
    } catch (const ModelError &err) {
        EXPECT_NE(std::string(err.what()).find("variable 'missing': has no equation"), std::string::npos) << err.what();
    }
    std::filesystem::remove_all(dir);
}

TEST(SdMdl, ExportToXmileAndBackSimulatesTheSame) {
    std::string eqs = "Dim: a, b ~~|\nS[Dim] = INTEG(in[Dim] - S[Dim] / 4, 10) ~~|\nin[Dim] = 1, 2 ~~|\n"
                      "smoothed = SMOOTH(S[a], 2) ~~|\ntable((0,0),(10,5)) ~~|\nlooked = table(S[b]) ~~|\n";
    Model m = mdl(eqs);
    Model back = read_xmile(write_xmile(m));
    for (const char *name : {"S[a]", "S[b]", "smoothed", "looked"}) {
        std::vector<double> a = series(m, name), b = series(back, name);
        ASSERT_EQ(a.size(), b.size()) << name;
        for (size_t i = 0; i < a.size(); ++i) EXPECT_DOUBLE_EQ(a[i], b[i]) << name << " at " << i;
    }
}
