// Extra-trees feature scores: the input that drives the outcome scores highest, scores sum to 1,
// the same seed gives the same scores.
#include "core/stats.hpp"
#include "features/extra_trees.hpp"

#include <gtest/gtest.h>

#include <numeric>

using namespace holon_explore;
using namespace holon_explore::features;

namespace {
std::vector<std::vector<double>> inputs(std::size_t n, std::size_t d, uint64_t seed) {
    Uniform u(seed);
    std::vector<std::vector<double>> x(d, std::vector<double>(n));
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < d; ++c) x[c][r] = u.next();
    return x;
}
} // namespace

TEST(ExploreFeatures, TheDrivingInputScoresHighest) {
    const auto x = inputs(500, 4, 3);
    std::vector<double> y;
    for (std::size_t r = 0; r < 500; ++r) y.push_back(10 * x[1][r] + x[3][r]); // x2 dominates, x4 a little
    ExtraTreesOptions o;
    o.max_features = 4; // every split sees every input, so the scores follow the variance explained
    const auto s = extra_trees_scores(x, y, o);
    EXPECT_NEAR(std::accumulate(s.begin(), s.end(), 0.0), 1.0, 1e-12);
    EXPECT_GT(s[1], 0.8);
    EXPECT_GT(s[3], s[0]);
    EXPECT_GT(s[3], s[2]);
}

TEST(ExploreFeatures, CasesOfInterestWithEmaDefaultMaxFeatures) {
    // y = 1 where x1 > 0.7 and x3 < 0.4: only x1 and x3 carry information.
    const auto x = inputs(1000, 3, 5);
    std::vector<double> y;
    for (std::size_t r = 0; r < 1000; ++r) y.push_back(x[0][r] > 0.7 && x[2][r] < 0.4 ? 1 : 0);
    const auto s = extra_trees_scores(x, y, ExtraTreesOptions{});
    EXPECT_GT(s[0], s[1]);
    EXPECT_GT(s[2], s[1]);
    EXPECT_LT(s[1], 0.2);
}

TEST(ExploreFeatures, SeedReproducesTheScores) {
    const auto x = inputs(200, 3, 9);
    std::vector<double> y;
    for (std::size_t r = 0; r < 200; ++r) y.push_back(x[0][r] * x[1][r]);
    ExtraTreesOptions o;
    o.trees = 20;
    o.seed = 4;
    const auto a = extra_trees_scores(x, y, o), b = extra_trees_scores(x, y, o);
    o.seed = 5;
    const auto c = extra_trees_scores(x, y, o);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(extra_trees_scores(x, std::vector<double>(200, 1.0), o), std::vector<double>(3, 0.0)); // constant outcome
}
