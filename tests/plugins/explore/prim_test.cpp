// PRIM on hand-worked cases: every number below is worked out by hand in the comments.
#include "discovery/prim.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace holon_explore::discovery;

namespace {

// x = 0..9, y = 1 where x >= 6 (4 cases of interest).
PrimData ramp() {
    PrimData d;
    d.x.emplace_back();
    for (int i = 0; i < 10; ++i) {
        d.x[0].push_back(i);
        d.y.push_back(i >= 6 ? 1 : 0);
    }
    return d;
}

} // namespace

TEST(ExplorePrim, SdtoolkitQuantileAsEmaTestsIt) {
    // EMA's test_quantile: arange(10) -> q0.9 = q0.95 = 8.5, q0.1 = q0.05 = 0.5;
    // [1,1,2,...,9,9] -> 8.5 / 1.5 (ties are stepped over).
    std::vector<double> a;
    for (int i = 0; i < 10; ++i) a.push_back(i);
    EXPECT_EQ(sdtoolkit_quantile(a, 0.9), 8.5);
    EXPECT_EQ(sdtoolkit_quantile(a, 0.95), 8.5);
    EXPECT_EQ(sdtoolkit_quantile(a, 0.1), 0.5);
    EXPECT_EQ(sdtoolkit_quantile(a, 0.05), 0.5);
    const std::vector<double> b = {1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9};
    EXPECT_EQ(sdtoolkit_quantile(b, 0.95), 8.5);
    EXPECT_EQ(sdtoolkit_quantile(b, 0.05), 1.5);
}

TEST(ExplorePrim, BoxStatisticsOfAHandMadeBox) {
    // Box x in [5, 9]: rows 5..9 (5 rows), of which 6..9 are of interest.
    const PrimData d = ramp();
    const Limits range = data_range(d);
    const BoxStats s = box_stats(d, Limits{{5}, {9}}, range);
    EXPECT_EQ(s.rows, 5u);
    EXPECT_EQ(s.interest, 4u);
    EXPECT_DOUBLE_EQ(s.coverage, 1.0);
    EXPECT_DOUBLE_EQ(s.density, 0.8);
    EXPECT_DOUBLE_EQ(s.mass, 0.5);
    EXPECT_EQ(s.restricted, 1);
}

TEST(ExplorePrim, BoxStatisticsOfEmaUpdateCase) {
    // EMA's test_update: rows (a, b, c) = (0,1,2), (2,5,6), (3,2,1), y = 1, 1, 0; the box
    // a in [0, 2], b in [1, 5], c in [1, 6] holds rows 0 and 1: mean 1, coverage 1, density 1,
    // one restricted dimension (a's upper limit 3 -> 2), mass 2/3.
    PrimData d;
    d.x = {{0, 2, 3}, {1, 5, 2}, {2, 6, 1}};
    d.y = {1, 1, 0};
    const BoxStats s = box_stats(d, Limits{{0, 1, 1}, {2, 5, 6}}, data_range(d));
    EXPECT_EQ(s.rows, 2u);
    EXPECT_DOUBLE_EQ(s.coverage, 1.0);
    EXPECT_DOUBLE_EQ(s.density, 1.0);
    EXPECT_DOUBLE_EQ(s.mass, 2.0 / 3.0);
    EXPECT_EQ(s.restricted, 1);
}

TEST(ExplorePrim, PeelingTrajectoryOfTheRamp) {
    // Each step the lower peel (cut at the 0.05 quantile, the mean of the two lowest values)
    // removes one row of no interest and raises the mean: lenient1 = gain / 1 row > 0, while the
    // upper peel (cut 8.5) lowers it. From [5.5, 9] (rows 6..9, all of interest) both peels keep
    // the mean at 1: objective 0, peeling stops. Pasting below 5.5 would add row 5 (not of
    // interest), so the box stays.
    const PrimData d = ramp();
    const auto t = prim(d, PrimOptions{});
    const std::vector<double> lower = {0, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5};
    ASSERT_EQ(t.size(), lower.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        EXPECT_EQ(t[i].limits.lower[0], lower[i]) << "box " << i;
        EXPECT_EQ(t[i].limits.upper[0], 9) << "box " << i;
        EXPECT_EQ(t[i].stats.rows, 10 - i);
        EXPECT_DOUBLE_EQ(t[i].stats.coverage, 1.0);
        EXPECT_DOUBLE_EQ(t[i].stats.density, 4.0 / static_cast<double>(10 - i));
        EXPECT_EQ(t[i].phase, i == 0 ? "start" : "peel");
    }
    EXPECT_EQ(t[0].stats.restricted, 0);
    EXPECT_EQ(t.back().stats.restricted, 1);
    EXPECT_DOUBLE_EQ(t.back().stats.mass, 0.4);
    // Quasi-p of the lower limit: without it the box is the whole data, p = 4/10; the box has
    // T = 4 rows and H = 4 cases: P(Bin(4, 0.4) >= 4) = 0.4^4. The upper side is not restricted.
    EXPECT_NEAR(t.back().qp[0].lower, std::pow(0.4, 4), 1e-15);
    EXPECT_LT(t.back().qp[0].upper, 0);
}

TEST(ExplorePrim, OriginalObjectivePeelsToMinimumMassAndBreaksTiesUpperFirst) {
    // With ORIGINAL (the mean of the new box) every peel inside rows 6..9 scores 1 for both
    // sides; the tie goes to the upper peel, so the upper limit comes down 8.5, 7.5, 6.5 until
    // one row (mass 0.1) is left and no peel removes anything.
    PrimOptions o;
    o.objective = Objective::original;
    const auto t = prim(ramp(), o);
    ASSERT_EQ(t.size(), 10u);
    EXPECT_EQ(t[6].limits.lower[0], 5.5);
    EXPECT_EQ(t[6].limits.upper[0], 9);
    EXPECT_EQ(t[7].limits.upper[0], 8.5);
    EXPECT_EQ(t[8].limits.upper[0], 7.5);
    EXPECT_EQ(t[9].limits.upper[0], 6.5);
    EXPECT_DOUBLE_EQ(t[9].stats.mass, 0.1);
    EXPECT_DOUBLE_EQ(t[9].stats.coverage, 0.25);
    EXPECT_DOUBLE_EQ(t[9].stats.density, 1.0);
}

TEST(ExplorePrim, TiesGoToTheEarlierColumn) {
    // Two identical columns: every candidate on 'b' scores the same as on 'a', so only 'a' is
    // ever restricted.
    PrimData d = ramp();
    d.x.push_back(d.x[0]);
    const auto t = prim(d, PrimOptions{});
    EXPECT_EQ(t.back().limits.lower[0], 5.5);
    EXPECT_EQ(t.back().limits.lower[1], 0);
    EXPECT_EQ(t.back().stats.restricted, 1);
}

TEST(ExplorePrim, MinimumMassStopsPeeling) {
    // mass_min 0.7: the third peel would leave 7 rows (0.7, allowed), the fourth 6 (0.6, not).
    PrimOptions o;
    o.mass_min = 0.7;
    const auto t = prim(ramp(), o);
    ASSERT_EQ(t.size(), 4u);
    EXPECT_DOUBLE_EQ(t.back().stats.mass, 0.7);
}

TEST(ExplorePrim, RefusesDataWithoutCasesOfInterest) {
    PrimData d = ramp();
    for (int &y : d.y) y = 0;
    EXPECT_THROW(prim(d, PrimOptions{}), std::invalid_argument);
}

TEST(ExplorePrim, PastingTakesBackWhatACoarsePeelCutOff) {
    // x = 0..9, y = 0 0 1 1 1 0 1 1 1 1 (7 cases), peel_alpha 0.3. The first peel cuts at the 0.3
    // quantile, (2 + 3) / 2 = 2.5: rows 3..9, mean 6/7 (gain 0.157 over 3 rows). No further peel
    // helps (cutting at 4.5 or 7.5 leaves 4 of 5). Pasting below 2.5: the rows outside are x = 0,
    // 1, 2, whose 0.95 quantile is 1.5; the box [1.5, 9] holds rows 2..9 with mean 7/8 > 6/7, so
    // it is taken. Pasting again would reach 0.5 and add row 1 (not of interest): stop.
    PrimData d = ramp();
    d.y = {0, 0, 1, 1, 1, 0, 1, 1, 1, 1};
    PrimOptions o;
    o.peel_alpha = 0.3;
    const auto t = prim(d, o);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[1].phase, "peel");
    EXPECT_EQ(t[1].limits.lower[0], 2.5);
    EXPECT_DOUBLE_EQ(t[1].stats.density, 6.0 / 7);
    EXPECT_EQ(t[2].phase, "paste");
    EXPECT_EQ(t[2].limits.lower[0], 1.5);
    EXPECT_EQ(t[2].limits.upper[0], 9);
    EXPECT_EQ(t[2].stats.rows, 8u);
    EXPECT_EQ(t[2].stats.interest, 7u);
    EXPECT_DOUBLE_EQ(t[2].stats.coverage, 1.0);
    EXPECT_DOUBLE_EQ(t[2].stats.density, 7.0 / 8);
    EXPECT_DOUBLE_EQ(t[2].stats.mass, 0.8);
    // Without pasting the trajectory ends at the peel.
    o.paste = false;
    EXPECT_EQ(prim(d, o).size(), 2u);
}
