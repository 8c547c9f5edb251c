// Issue 19: DELAY FIXED with a delay time that is not a whole number of TIME STEPs or that
// changes. Vensim's reference (fn_delay_fixed): "The delay time can be an expression, but only its
// initial value is used"; "The minimum delay time is TIME STEP". The output is the input a whole
// number of steps ago: the delay over TIME STEP rounded half up, at least 1 (Vensim DSS 7.3.4's
// output of the delay_fixed test model: 0.5 and 1.2 steps act as 1, 1.5 as 2, 3.7 as 4), with
// PySD's tolerance of 1e-6 before rounding (DelayFixed.initialize). Expected values by hand.
#include "helpers.hpp"

#include <cmath>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

Model mdl_with_controls(const std::string &equations, const std::string &controls) {
    return read_mdl("{UTF-8}\n" + equations + controls, {"", "test.mdl"});
}

void expect_near_all(const std::vector<double> &got, const std::vector<double> &want, const char *what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-9) << what << " at row " << i;
}

} // namespace

// TIME STEP 1, input Time^2 (0, 1, 4, 9, 16). Each delay's steps n: the output is the initial value
// while Time < n, then (Time - n)^2. The rows are the ones Vensim wrote for the same equations.
TEST(SdVensimDelayFixed, NonIntegerDelaysRoundHalfUpToWholeSteps) {
    Model m = mdl(R"(
time squared = Time ^ 2 ~~|
half step = DELAY FIXED(time squared, 0.5, -10) ~~|
one point two = DELAY FIXED(time squared, 1.2, -4) ~~|
one and a half = DELAY FIXED(time squared, 1.5, 20) ~~|
three point seven = DELAY FIXED(time squared, 3.7, 4) ~~|
)");
    EXPECT_EQ(series(m, "half step"), (std::vector<double>{-10, 0, 1, 4, 9}));       // 1 step (at least TIME STEP)
    EXPECT_EQ(series(m, "one point two"), (std::vector<double>{-4, 0, 1, 4, 9}));    // 1 step
    EXPECT_EQ(series(m, "one and a half"), (std::vector<double>{20, 20, 0, 1, 4}));  // 2 steps (half up)
    EXPECT_EQ(series(m, "three point seven"), (std::vector<double>{4, 4, 4, 4, 0})); // 4 steps
}

// A delay time that changes is read once, at the initial time: 2 + 2 SIN(Time) is 2 there (2 steps
// for the whole run although it moves between 0 and 4), Time / 2 is 0 there (the minimum, 1 step
// for the whole run although it reaches 2).
TEST(SdVensimDelayFixed, AChangingDelayTimeIsFixedAtItsInitialValue) {
    Model m = mdl(R"(
time squared = Time ^ 2 ~~|
swinging = DELAY FIXED(time squared, 2 + 2 * SIN(Time), 7) ~~|
growing = DELAY FIXED(time squared, Time / 2, 4) ~~|
)");
    EXPECT_EQ(series(m, "swinging"), (std::vector<double>{7, 7, 0, 1, 4}));
    EXPECT_EQ(series(m, "growing"), (std::vector<double>{4, 0, 1, 4, 9}));
}

// 0.15 with TIME STEP 0.1 is a step and a half, but 0.15 / 0.1 is 1.4999999999999998 in binary:
// without the tolerance it would round down to 1 step. With it: 2 steps, so the output is -1 at
// 0 and 0.1, then the input (10 Time) of 0.2 earlier: 0, 1, 2, 3.
TEST(SdVensimDelayFixed, AStepAndAHalfWrittenInDecimalsRoundsUp) {
    Model m = mdl_with_controls("input = 10 * Time ~~|\nfixed = DELAY FIXED(input, 0.15, -1) ~~|\n",
                                "INITIAL TIME = 0 ~ Month ~|\nFINAL TIME = 0.5 ~ Month ~|\n"
                                "TIME STEP = 0.1 ~ Month ~|\nSAVEPER = TIME STEP ~ Month ~|\n");
    expect_near_all(series(m, "fixed"), {-1, -1, 0, 1, 2, 3}, "fixed");
}
