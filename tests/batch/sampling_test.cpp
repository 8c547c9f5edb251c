#include "batch/sampling.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace holon::batch {
namespace {

Distribution uniform(double a, double b) {
    Distribution d;
    d.kind = DistributionKind::uniform;
    d.a = a;
    d.b = b;
    return d;
}

// The stratum (0..n-1) each point falls in, for one dimension of a uniform(a, b) sample.
std::vector<size_t> strata_of(const std::vector<std::vector<double>> &points, size_t dim, double a, double b) {
    std::vector<size_t> s;
    const double n = static_cast<double>(points.size());
    for (const auto &p : points) s.push_back(static_cast<size_t>(std::floor((p[dim] - a) / (b - a) * n)));
    return s;
}

TEST(LatinHypercube, EveryStratumOfEveryDimensionHoldsExactlyOnePoint) {
    for (uint64_t n : {1u, 2u, 7u, 50u, 333u}) {
        const auto points = latin_hypercube({uniform(0, 1), uniform(-5, 5), uniform(100, 101)}, n, 11);
        ASSERT_EQ(points.size(), n);
        const std::pair<double, double> ranges[] = {{0, 1}, {-5, 5}, {100, 101}};
        for (size_t d = 0; d < 3; ++d) {
            auto s = strata_of(points, d, ranges[d].first, ranges[d].second);
            std::sort(s.begin(), s.end());
            std::vector<size_t> expected(n);
            std::iota(expected.begin(), expected.end(), size_t{0});
            EXPECT_EQ(s, expected) << "n=" << n << " dim=" << d;
        }
    }
}

TEST(LatinHypercube, NonUniformMarginalsStillOnePointPerProbabilityStratum) {
    Distribution normal;
    normal.kind = DistributionKind::normal;
    normal.a = 10;
    normal.b = 2;
    const size_t n = 40;
    const auto points = latin_hypercube({normal}, n, 5);
    // Map back through the normal CDF: the probabilities must cover every 1/n stratum once.
    std::set<size_t> strata;
    for (const auto &p : points) {
        const double cdf = 0.5 * std::erfc(-(p[0] - 10) / (2 * std::sqrt(2.0)));
        strata.insert(static_cast<size_t>(std::floor(cdf * static_cast<double>(n))));
    }
    EXPECT_EQ(strata.size(), n);
}

TEST(Sampling, SameSeedSamePointsOtherSeedOtherPoints) {
    const std::vector<Distribution> dims{uniform(0, 1), uniform(2, 3)};
    EXPECT_EQ(latin_hypercube(dims, 100, 42), latin_hypercube(dims, 100, 42));
    EXPECT_NE(latin_hypercube(dims, 100, 42), latin_hypercube(dims, 100, 43));
    EXPECT_EQ(monte_carlo(dims, 100, 42), monte_carlo(dims, 100, 42));
    EXPECT_NE(monte_carlo(dims, 100, 42), monte_carlo(dims, 100, 43));
}

TEST(Sampling, TheDocumentedGeneratorIsTheStandardMersenneTwister) {
    // docs/batch.md promises u = (x >> 11) * 2^-53 over std::mt19937_64(seed); the standard fixes
    // the 10000th output of mt19937_64 with the default seed as 9981545732273789042.
    std::mt19937_64 engine;
    engine.discard(9999);
    EXPECT_EQ(engine(), 9981545732273789042ull);
    UniformSource source(std::mt19937_64::default_seed);
    for (int i = 0; i < 9999; ++i) source.next();
    EXPECT_DOUBLE_EQ(source.next(), static_cast<double>(9981545732273789042ull >> 11) * 0x1.0p-53);
    // A Monte Carlo point is the quantile of consecutive draws.
    UniformSource again(99);
    const double u0 = again.next(), u1 = again.next();
    const auto mc = monte_carlo({uniform(0, 10), uniform(0, 1)}, 1, 99);
    EXPECT_DOUBLE_EQ(mc[0][0], 10 * u0);
    EXPECT_DOUBLE_EQ(mc[0][1], u1);
}

TEST(MonteCarlo, NormalSampleHasTheRequestedMeanAndSpread) {
    Distribution d;
    d.kind = DistributionKind::normal;
    d.a = 3;
    d.b = 0.5;
    const auto points = monte_carlo({d}, 20000, 1);
    double sum = 0, sq = 0;
    for (const auto &p : points) sum += p[0];
    const double mean = sum / 20000;
    for (const auto &p : points) sq += (p[0] - mean) * (p[0] - mean);
    EXPECT_NEAR(mean, 3, 0.02);
    EXPECT_NEAR(std::sqrt(sq / 19999), 0.5, 0.02);
}

TEST(Distribution, QuantilesOfEachKind) {
    Distribution ln;
    ln.kind = DistributionKind::lognormal;
    ln.a = 1;
    ln.b = 0.3;
    EXPECT_NEAR(ln.quantile(0.5), std::exp(1.0), 1e-9); // the median is exp(meanlog)

    Distribution tri;
    tri.kind = DistributionKind::triangular;
    tri.a = 0;
    tri.b = 10;
    tri.c = 2;
    EXPECT_DOUBLE_EQ(tri.quantile(0.0), 0);
    EXPECT_NEAR(tri.quantile(0.2), 2, 1e-12); // the mode sits at F = (c-a)/(b-a)
    EXPECT_NEAR(tri.quantile(1.0), 10, 1e-12);

    Distribution disc;
    disc.kind = DistributionKind::discrete;
    disc.values = {1, 2, 3};
    disc.weights = {1, 0, 3};
    EXPECT_EQ(disc.quantile(0.1), 1);
    EXPECT_EQ(disc.quantile(0.3), 3); // weight 0 is never drawn
    EXPECT_EQ(disc.quantile(0.999), 3);

    Distribution normal;
    normal.kind = DistributionKind::normal;
    normal.a = 0;
    normal.b = 1;
    EXPECT_TRUE(std::isfinite(normal.quantile(0.0))); // u = 0 must not give -inf
    EXPECT_NEAR(normal.quantile(0.975), 1.959964, 1e-5);
}

TEST(MonteCarlo, DiscreteFrequenciesFollowTheWeights) {
    Distribution d;
    d.kind = DistributionKind::discrete;
    d.values = {10, 20};
    d.weights = {1, 3};
    const auto points = monte_carlo({d}, 10000, 3);
    const auto twenties = std::count_if(points.begin(), points.end(), [](const auto &p) { return p[0] == 20; });
    EXPECT_NEAR(static_cast<double>(twenties) / 10000, 0.75, 0.02);
}

TEST(Grid, FullFactorialWithTheFirstAxisSlowest) {
    const auto points = grid_points({{1, 2}, {10, 20, 30}});
    ASSERT_EQ(points.size(), 6u);
    EXPECT_EQ(points[0], (std::vector<double>{1, 10}));
    EXPECT_EQ(points[1], (std::vector<double>{1, 20}));
    EXPECT_EQ(points[3], (std::vector<double>{2, 10}));
    EXPECT_EQ(points[5], (std::vector<double>{2, 30}));
    std::set<std::vector<double>> unique(points.begin(), points.end());
    EXPECT_EQ(unique.size(), 6u);
}

TEST(Grid, LinspaceIncludesBothEnds) {
    EXPECT_EQ(linspace(0, 1, 5), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
    EXPECT_EQ(linspace(3, 9, 1), (std::vector<double>{3}));
    EXPECT_EQ(linspace(0.1, 0.7, 7).back(), 0.7);
}

} // namespace
} // namespace holon::batch
