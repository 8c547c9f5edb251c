// Sobol and Morris estimators against published and analytic values (brief T-SA-1..3).
#include "core/stats.hpp"
#include "sensitivity/morris.hpp"
#include "sensitivity/sobol.hpp"
#include "test_functions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>

using namespace holon_explore;
using namespace holon_explore::sensitivity;

namespace {

const double pi = std::numbers::pi;
double to_ishigami(double u) { return -pi + 2 * pi * u; }

std::vector<double> g_a() { return {0, 1, 4.5, 9, 99, 99, 99, 99}; }

// Analytic G-function indices: V_i = 1/(3(1+a_i)^2), V = prod(1+V_i) - 1.
struct GIndices {
    std::vector<double> s1, st;
};
GIndices g_analytic(const std::vector<double> &a) {
    std::vector<double> vi;
    double prod = 1;
    for (double ai : a) {
        vi.push_back(1.0 / (3 * (1 + ai) * (1 + ai)));
        prod *= 1 + vi.back();
    }
    const double v = prod - 1;
    GIndices g;
    for (double x : vi) {
        g.s1.push_back(x / v);
        g.st.push_back(x * prod / (1 + x) / v);
    }
    return g;
}

} // namespace

TEST(ExploreStats, NormalQuantileAndBinomialTail) {
    EXPECT_NEAR(normal_ppf(0.975), 1.959963984540054, 1e-12);
    EXPECT_NEAR(normal_ppf(0.05), -1.6448536269514722, 1e-12);
    // P(X >= 4), X ~ Bin(5, 0.5) = (5 + 1) / 32
    EXPECT_NEAR(binomial_upper_tail(4, 5, 0.5), 6.0 / 32, 1e-15);
    EXPECT_NEAR(binomial_upper_tail(3, 10, 0.2), 1 - (std::pow(0.8, 10) + 10 * 0.2 * std::pow(0.8, 9) + 45 * 0.04 * std::pow(0.8, 8)), 1e-14);
    EXPECT_EQ(binomial_upper_tail(0, 10, 0.3), 1.0);
    EXPECT_EQ(binomial_upper_tail(11, 10, 0.3), 0.0);
    EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4}, 0.5), 2.5);
    EXPECT_DOUBLE_EQ(quantile({10, 8, 6, 2}, 0.9), 9.4);
}

TEST(ExploreSobol, SobolSequenceStartsAsPublished) {
    // The unscrambled sequence's first points in 2 dimensions: (0,0), (.5,.5), (.75,.25), (.25,.75).
    const auto p = explore_test::sobol_points(4, 2);
    EXPECT_EQ(p[1], (std::vector<double>{0.5, 0.5}));
    EXPECT_EQ(p[2], (std::vector<double>{0.75, 0.25}));
    EXPECT_EQ(p[3], (std::vector<double>{0.25, 0.75}));
}

TEST(ExploreSobol, IshigamiAtTwoToTheThirteenMatchesPublishedIndices) {
    const std::size_t n = 1u << 13;
    const auto x = explore_test::saltelli_sample(n, 3, true);
    const auto y = explore_test::evaluate(x, explore_test::ishigami, to_ishigami);
    ASSERT_EQ(y.size(), n * 8);
    const SobolIndices s = sobol_indices(y, 3, SobolOptions{});
    const double s1[] = {0.3139, 0.4424, 0.0}, st[] = {0.5576, 0.4424, 0.2437};
    for (std::size_t j = 0; j < 3; ++j) {
        EXPECT_NEAR(s.s1[j], s1[j], 0.02) << "S1 of x" << j + 1;
        EXPECT_NEAR(s.st[j], st[j], 0.02) << "ST of x" << j + 1;
        EXPECT_GT(s.s1_conf[j], 0);
        EXPECT_LT(s.s1_conf[j], 0.1);
    }
    // Second order: only x1-x3 interact, S13 = V13 / V = 0.2437 (SALib's regression test: ~0.25).
    EXPECT_NEAR(s.s2[0 * 3 + 2], 0.2437, 0.03);
    EXPECT_NEAR(s.s2[0 * 3 + 1], 0.0, 0.03);
    EXPECT_NEAR(s.s2[1 * 3 + 2], 0.0, 0.03);
    EXPECT_NEAR(s.variance, 13.844588, 0.2);
    EXPECT_TRUE(std::isnan(s.s2[1 * 3 + 0])); // lower triangle unset
    std::printf("Ishigami N=8192: S1 = %.4f %.4f %.4f (+-%.4f %.4f %.4f), ST = %.4f %.4f %.4f, S13 = %.4f\n", s.s1[0], s.s1[1],
                s.s1[2], s.s1_conf[0], s.s1_conf[1], s.s1_conf[2], s.st[0], s.st[1], s.st[2], s.s2[2]);
}

TEST(ExploreSobol, GFunctionMatchesAnalyticIndices) {
    const auto a = g_a();
    const GIndices g = g_analytic(a);
    // The brief's rounded analytic values, to make sure the formula above is the published one.
    EXPECT_NEAR(g.s1[0], 0.7162, 5e-5);
    EXPECT_NEAR(g.st[1], 0.2422, 5e-5);
    const std::size_t n = 1u << 13;
    const auto x = explore_test::saltelli_sample(n, 8, false);
    const auto y = explore_test::evaluate(x, [&](const std::vector<double> &p) { return explore_test::sobol_g(p, a); },
                                          [](double u) { return u; });
    SobolOptions o;
    o.second_order = false;
    const SobolIndices s = sobol_indices(y, 8, o);
    EXPECT_TRUE(s.s2.empty());
    for (std::size_t j = 0; j < 8; ++j) {
        EXPECT_NEAR(s.s1[j], g.s1[j], 0.02) << "S1 of x" << j + 1;
        EXPECT_NEAR(s.st[j], g.st[j], 0.02) << "ST of x" << j + 1;
        std::printf("G x%zu: S1 %.4f (analytic %.4f), ST %.4f (analytic %.4f)\n", j + 1, s.s1[j], g.s1[j], s.st[j], g.st[j]);
    }
}

TEST(ExploreSobol, BootstrapIsReproducibleFromItsSeed) {
    const auto x = explore_test::saltelli_sample(512, 3, false);
    const auto y = explore_test::evaluate(x, explore_test::ishigami, to_ishigami);
    SobolOptions o;
    o.second_order = false;
    o.seed = 7;
    const SobolIndices a = sobol_indices(y, 3, o), b = sobol_indices(y, 3, o);
    o.seed = 8;
    const SobolIndices c = sobol_indices(y, 3, o);
    EXPECT_EQ(a.s1_conf, b.s1_conf);
    EXPECT_NE(a.s1_conf, c.s1_conf);
    EXPECT_EQ(a.s1, c.s1); // the point estimates do not depend on the seed
}

TEST(ExploreSobol, RefusesARowCountThatIsNotWholeBlocks) {
    std::vector<double> y(17, 1.0);
    try {
        sobol_indices(y, 3, SobolOptions{});
        FAIL() << "expected a refusal";
    } catch (const std::invalid_argument &e) {
        EXPECT_STREQ(e.what(), "a Saltelli sample of 3 factors with second order has a multiple of 8 rows (N blocks of 8); got 17");
    }
}

TEST(ExploreSobol, LayoutCheckNamesTheRowThatBreaksIt) {
    auto x = explore_test::saltelli_sample(4, 2, false);
    EXPECT_EQ(check_saltelli_layout(x, {"a", "b"}, false), "");
    x[1][5] += 0.125; // block 1 (rows 4..7), row 5 = AB^1: its 'b' should come from A (row 4)
    EXPECT_EQ(check_saltelli_layout(x, {"a", "b"}, false),
              "row 5 breaks the Saltelli layout: it should equal row 4 except in 'a', which comes from row 7 (column 'b' differs)");
}

TEST(ExploreMorris, IshigamiX2MuStarIsExactlySevenPointEightSevenFiveForAnyTrajectories) {
    // x2 enters as 7 sin^2(x2); on the 4-level grid x2 is -pi, -pi/3, pi/3 or pi, every step
    // (Delta = 2/3) joins a level where sin^2 = 0 to one where it is 3/4, so |EE| = 5.25 / (2/3).
    for (uint64_t seed : {1u, 2u, 12345u}) {
        const auto x = explore_test::morris_trajectories(50, 3, 4, seed);
        std::vector<std::vector<double>> inputs = x;
        for (auto &column : inputs)
            for (double &v : column) v = to_ishigami(v);
        const auto y = explore_test::evaluate(x, explore_test::ishigami, to_ishigami);
        const auto m = morris_indices(inputs, {"x1", "x2", "x3"}, y, MorrisOptions{});
        EXPECT_NEAR(m[1].mu_star, 7.875, 1e-9) << "seed " << seed;
        EXPECT_EQ(m[1].effects.size(), 50u);
        EXPECT_LE(std::fabs(m[1].mu), m[1].mu_star + 1e-12);
        EXPECT_GT(m[0].mu_star, 0);
    }
}

TEST(ExploreMorris, SigmaUsesDdofOneAndSignFollowsTheFactor) {
    // f = 3 x1 - x2 on two trajectories; EE(x1) = 3, EE(x2) = -1 exactly, whatever the direction.
    const std::vector<std::vector<double>> x = {{0, 2.0 / 3, 2.0 / 3, 1, 1.0 / 3, 1.0 / 3},
                                                {1.0 / 3, 1.0 / 3, 1, 1, 1, 1.0 / 3}};
    std::vector<double> y;
    for (std::size_t r = 0; r < 6; ++r) y.push_back(3 * x[0][r] - x[1][r]);
    MorrisOptions o;
    o.resamples = 0;
    const auto m = morris_indices(x, {"x1", "x2"}, y, o);
    EXPECT_NEAR(m[0].mu, 3, 1e-12);
    EXPECT_NEAR(m[1].mu, -1, 1e-12);
    EXPECT_NEAR(m[1].mu_star, 1, 1e-12);
    EXPECT_NEAR(m[0].sigma, 0, 1e-12);
    // y = x1^2: effects on two trajectories (0 -> 2/3 and 1/3 -> 1) are (4/9)/(2/3) and (8/9)/(2/3)
    const std::vector<std::vector<double>> x1 = {{0, 2.0 / 3, 1.0 / 3, 1}};
    const std::vector<double> y1 = {0, 4.0 / 9, 1.0 / 9, 1};
    const auto q = morris_indices(x1, {"x1"}, y1, o);
    const double e1 = (4.0 / 9) / (2.0 / 3), e2 = (8.0 / 9) / (2.0 / 3);
    EXPECT_NEAR(q[0].mu, (e1 + e2) / 2, 1e-12);
    EXPECT_NEAR(q[0].sigma, std::fabs(e1 - e2) / std::sqrt(2.0), 1e-12); // ddof 1 of two values
}

TEST(ExploreMorris, RefusesRowsThatAreNotTrajectories) {
    const std::vector<std::vector<double>> x = {{0, 1, 1}, {0, 1, 0}};
    try {
        morris_indices(x, {"a", "b"}, {1, 2, 3}, MorrisOptions{});
        FAIL() << "expected a refusal";
    } catch (const std::invalid_argument &e) {
        EXPECT_STREQ(e.what(), "rows 0 and 1 differ in both 'a' and 'b': not a Morris trajectory (one factor moves per step)");
    }
}
