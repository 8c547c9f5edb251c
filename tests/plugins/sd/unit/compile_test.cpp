#include "helpers.hpp"
#include "ir/error.hpp"

using namespace holon_sd;
using namespace holon_sd::test;

TEST(SdCompile, AlgebraicLoopNamesItsMembers) {
    Model m = model({aux("a", "b + 1"), aux("b", "c * 2"), aux("c", "a"), aux("d", "1")});
    try {
        compile(m);
        FAIL() << "no error";
    } catch (const ModelError &e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("algebraic loop"), std::string::npos) << msg;
        for (const char *member : {"a", "b", "c"}) EXPECT_NE(msg.find(std::string(" ") + member), std::string::npos) << msg;
        EXPECT_EQ(msg.find(" d"), std::string::npos) << msg;
    }
}

TEST(SdCompile, StocksBreakLoops) {
    Model m = model({stock("s", "1", {"f"}), flow("f", "s * 0.5")}, 0, 2, 1);
    EXPECT_EQ(series(m, "s"), (std::vector<double>{1, 1.5, 2.25}));
}

TEST(SdCompile, UndefinedVariableAndUnknownFunctionAreNamed) {
    try {
        compile(model({aux("x", "y + 1")}));
        FAIL();
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("undefined variable 'y'"), std::string::npos) << e.what();
        EXPECT_EQ(e.variable(), "x");
    }
    try {
        compile(model({aux("x", "FOO(1)")}));
        FAIL();
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("unknown function 'foo'"), std::string::npos) << e.what();
    }
}

TEST(SdCompile, EulerRk2Rk4OnExponentialGrowth) {
    // ds/dt = s, s(0) = 1, one step of dt = 1: Euler 2, Heun 2.5, RK4 1 + 1 + 1/2 + 1/6 + 1/24.
    Model m = model({stock("s", "1", {"f"}), flow("f", "s")}, 0, 1, 1);
    EXPECT_DOUBLE_EQ(series(m, "s")[1], 2);
    m.sim_specs.method = IntegrationMethod::rk2;
    EXPECT_DOUBLE_EQ(series(m, "s")[1], 2.5);
    m.sim_specs.method = IntegrationMethod::rk4;
    EXPECT_DOUBLE_EQ(series(m, "s")[1], 1 + 1 + 0.5 + 1.0 / 6 + 1.0 / 24);
}

TEST(SdCompile, NonNegativeStockAndFlow) {
    Variable s = stock("s", "1", {}, {"out"});
    s.non_negative = true;
    Model m = model({s, flow("out", "3")}, 0, 2, 1);
    EXPECT_EQ(series(m, "s"), (std::vector<double>{1, 0, 0}));
    Variable f = flow("f", "TIME - 1");
    f.non_negative = true;
    EXPECT_EQ(series(model({f}, 0, 2, 1), "f"), (std::vector<double>{0, 0, 1}));
}

TEST(SdCompile, ArraysApplyToAllPerElementAndSum) {
    Model m = model({}, 0, 0, 1);
    m.dimensions.push_back({"Region", {"North", "South"}});
    Variable rate = aux("rate", "");
    rate.dimensions = {"Region"};
    rate.elements = {{{"North"}, "2", std::nullopt}, {{"South"}, "3", std::nullopt}};
    Variable doubled = aux("doubled", "rate[Region] * 2");
    doubled.dimensions = {"Region"};
    m.variables = {rate, doubled, aux("total", "SUM(doubled[*])"), aux("south", "rate[South]")};
    EXPECT_DOUBLE_EQ(series(m, "doubled[North]")[0], 4);
    EXPECT_DOUBLE_EQ(series(m, "doubled[South]")[0], 6);
    EXPECT_DOUBLE_EQ(series(m, "total")[0], 10);
    EXPECT_DOUBLE_EQ(series(m, "south")[0], 3);
}

TEST(SdCompile, SaveStepThinsTheOutput) {
    Model m = model({aux("t", "TIME")}, 0, 4, 0.5);
    m.sim_specs.save_step = 2;
    EXPECT_EQ(series(m, "t"), (std::vector<double>{0, 2, 4}));
}
